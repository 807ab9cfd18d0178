#include "core/policy/policy_error.hpp"

#include <utility>

namespace supportgw::policy {

PolicyError::PolicyError(std::string file, std::uint32_t line, std::uint32_t column,
                         std::string message)
    : InvalidArgument(file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                      message),
      file_(std::move(file)),
      line_(line),
      column_(column),
      message_(std::move(message)) {}

}  // namespace supportgw::policy
