#pragma once
// Errors cross the plugin boundary as values, never as exceptions: a plugin built with
// another compiler's exception tables, or a host catching an exception whose type lives
// in an unloaded library, must never be possible.

#include <optional>
#include <string>
#include <utility>

namespace supportgw::sdk {

enum class StatusCode {
  ok = 0,
  invalid_argument,  // the input breaks a rule: too large, malformed, unknown field
  not_found,         // no such ticket (or a wrong token: never say which)
  denied,            // not allowed: a closed ticket, an expired token
  unavailable,       // the gateway is stopping or the store failed; try again later
  internal,          // a bug: an exception where none was expected
};

const char* to_string(StatusCode code) noexcept;

class Status {
 public:
  Status() = default;  // ok
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status success() { return {}; }

  bool ok() const noexcept { return code_ == StatusCode::ok; }
  explicit operator bool() const noexcept { return ok(); }
  StatusCode code() const noexcept { return code_; }
  // What went wrong, with its context ("ticket SR-2026-000123: closed").
  const std::string& message() const noexcept { return message_; }

 private:
  StatusCode code_ = StatusCode::ok;
  std::string message_;
};

inline const char* to_string(StatusCode code) noexcept {
  switch (code) {
    case StatusCode::ok:
      return "ok";
    case StatusCode::invalid_argument:
      return "invalid argument";
    case StatusCode::not_found:
      return "not found";
    case StatusCode::denied:
      return "denied";
    case StatusCode::unavailable:
      return "unavailable";
    case StatusCode::internal:
      return "internal error";
  }
  return "unknown";
}

// A value or the Status that says why there is none.
template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status error) : status_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const noexcept { return value_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  // Precondition: ok().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  const Status& status() const noexcept { return status_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace supportgw::sdk
