#pragma once
// Instants and clocks. Every instant in the core is a UTC time point with millisecond
// resolution; local time exists only where a policy's calendar asks for it.

#include <chrono>
#include <string>
#include <string_view>

namespace supportgw {

using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

// A day in a civil calendar (the date parts of a reference, a holiday).
struct CivilDate {
  int year = 1970;
  unsigned month = 1;
  unsigned day = 1;
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

// The UTC calendar day of an instant.
CivilDate utc_date(Timestamp at);

// "2026-11-22T02:35:17.123Z"
std::string format_utc(Timestamp at);

// Parses "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)". Throws InvalidArgument naming
// the text and what was expected.
Timestamp parse_iso8601(std::string_view text);

// Where "now" comes from. Injected everywhere time matters so tests can walk
// simulated time; implementations must be safe to call from any thread.
class Clock {
 public:
  virtual ~Clock();
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

}  // namespace supportgw
