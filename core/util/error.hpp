#pragma once
// Exceptions the core throws. Inside the core exceptions are fine (STYLE.md); each
// message names what it is about (a file, a ticket, a reference) so a one-line print
// of what() is enough for an operator.

#include <stdexcept>
#include <string>

namespace supportgw {

// Base of every error the core raises on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A ticket, reference or other named thing does not exist.
class NotFound : public Error {
 public:
  using Error::Error;
};

// A status change the lifecycle does not allow (closed -> open, ...).
class IllegalTransition : public Error {
 public:
  using Error::Error;
};

// A caller handed in a value that breaks a rule (empty subject, bad format string, ...).
class InvalidArgument : public Error {
 public:
  using Error::Error;
};

// The store could not do what was asked (I/O error, corrupt file, newer schema).
class StoreError : public Error {
 public:
  using Error::Error;
};

}  // namespace supportgw
