#pragma once
// Durations as a policy file writes them: "4h", "30m", "1h30m", "3d", "2w",
// "2 business days", "0m". The grammar (docs/policy.md, "Durations"):
//
//   duration      = time-amount / business-days
//   time-amount   = [number "w"] [number "d"] [number "h"] [number "m"]  ; at least one
//                   part, units in this order, each at most once, no spaces
//   business-days = number " business day" ["s"]  ; one space; "1 business day"
//   number        = 1*DIGIT  ; no sign, no fraction
//
// "d" is 24 hours and "w" 7 days of the calendar's open time; they are only allowed
// on an always-open (24x7) calendar, where open time is wall-clock time. On a business
// calendar write hours or business days: "1d" of business time would mean 24 open
// hours, which nobody means. The parser enforces this where it knows the calendar.
//
// Limits: a time amount is at most 10 years (5,256,000 minutes); business days at most
// 3,660. Larger or malformed input is refused with a message that says what was
// expected, never wrapped around.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace supportgw::policy {

struct Duration {
  enum class Kind {
    open_time,      // minutes of the calendar's open time (wall-clock on 24x7)
    business_days,  // whole open days of the calendar
  };
  Kind kind = Kind::open_time;
  std::chrono::minutes open_time{0};  // kind == open_time
  int business_days = 0;              // kind == business_days
  // True when the text used "d" or "w": only meaningful on an always-open calendar.
  bool uses_day_units = false;

  bool is_zero() const {
    return kind == Kind::open_time ? open_time.count() == 0 : business_days == 0;
  }
  friend bool operator==(const Duration&, const Duration&) = default;
};

// Parses one duration. On failure returns nullopt and sets `error` to what was wrong
// and what was expected (the caller adds file:line:column).
std::optional<Duration> parse_duration(std::string_view text, std::string& error);

// Canonical text: "1h30m", "3d", "2 business days", "0m". parse(to_string(d)) == d.
std::string to_string(const Duration& duration);

}  // namespace supportgw::policy
