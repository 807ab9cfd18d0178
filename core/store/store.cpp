#include "core/store/store.hpp"

namespace supportgw {

// Out-of-line destructors anchor the vtables in one object file.
ReadTransaction::~ReadTransaction() = default;
Store::~Store() = default;

}  // namespace supportgw
