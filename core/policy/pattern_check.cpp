// GCC 12 reports -Wmaybe-uninitialized inside libstdc++'s <regex> at -O1 with sanitizers
// (std::function in _NFA states); a false positive in a system header, silenced for this
// file only.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "core/policy/pattern_check.hpp"

#include <regex>
#include <string>

namespace supportgw::policy {

bool is_valid_pattern(std::string_view pattern, std::size_t max_length) {
  if (pattern.size() > max_length) {
    return false;
  }
  try {
    const std::regex compiled{std::string(pattern)};
    return true;
  } catch (const std::regex_error&) {
    return false;
  }
}

}  // namespace supportgw::policy
