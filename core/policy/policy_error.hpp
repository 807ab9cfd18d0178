#pragma once
// The error a policy file gets: "file:line:column: what was expected". Derived from
// InvalidArgument, so the CLI maps it to exit code 4 like any other bad value.

#include <cstdint>
#include <string>

#include "core/util/error.hpp"

namespace supportgw::policy {

class PolicyError : public InvalidArgument {
 public:
  // `what()` is "<file>:<line>:<column>: <message>"; line and column count from 1.
  PolicyError(std::string file, std::uint32_t line, std::uint32_t column, std::string message);

  const std::string& file() const { return file_; }
  std::uint32_t line() const { return line_; }
  std::uint32_t column() const { return column_; }
  // The message without the location.
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  std::uint32_t line_;
  std::uint32_t column_;
  std::string message_;
};

}  // namespace supportgw::policy
