#include "core/util/time.hpp"

#include <date/date.h>

#include "core/util/error.hpp"

namespace supportgw {

Clock::~Clock() = default;

Timestamp SystemClock::now() const {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

CivilDate utc_date(Timestamp at) {
  const date::year_month_day ymd{date::floor<date::days>(at)};
  return CivilDate{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                   static_cast<unsigned>(ymd.day())};
}

std::string format_utc(Timestamp at) { return date::format("%FT%TZ", at); }

Timestamp parse_iso8601(std::string_view text) {
  // Strict RFC 3339 (the profile of ISO 8601 that machines exchange): a hand-written
  // reader, because date::parse accepts more than it should and trips GCC 12's
  // maybe-uninitialized warning.
  auto fail = [&]() -> Timestamp {
    throw InvalidArgument("'" + std::string(text) +
                          "' is not an ISO 8601 instant (expected YYYY-MM-DDTHH:MM:SS, optional "
                          "fraction, then Z or an offset such as +01:00)");
  };
  std::size_t pos = 0;
  auto number = [&](std::size_t digits) -> int {
    if (pos + digits > text.size()) {
      return -1;
    }
    int value = 0;
    for (std::size_t i = 0; i < digits; ++i) {
      const char c = text[pos + i];
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    pos += digits;
    return value;
  };
  auto expect = [&](char wanted) {
    if (pos < text.size() && (text[pos] == wanted || (wanted == 'T' && text[pos] == 't'))) {
      ++pos;
      return true;
    }
    return false;
  };
  const int year = number(4);
  const int month = expect('-') ? number(2) : -1;
  const int day = expect('-') ? number(2) : -1;
  const int hour = expect('T') ? number(2) : -1;
  const int minute = expect(':') ? number(2) : -1;
  const int second = expect(':') ? number(2) : -1;
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || hour > 23 ||
      minute > 59 || second > 59) {
    return fail();
  }
  const date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                                 date::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) {
    return fail();
  }
  std::int64_t millis = 0;
  if (expect('.')) {
    // Up to nanoseconds may be given; digits past milliseconds are truncated.
    std::size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && digits < 9) {
      if (digits < 3) {
        millis = millis * 10 + (text[pos] - '0');
      }
      ++pos;
      ++digits;
    }
    if (digits == 0) {
      return fail();
    }
    for (std::size_t d = digits; d < 3; ++d) {
      millis *= 10;
    }
  }
  int offset_minutes = 0;
  if (expect('Z') || expect('z')) {
    offset_minutes = 0;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    const int offset_hours = number(2);
    const int offset_mins = expect(':') ? number(2) : -1;
    if (offset_hours < 0 || offset_hours > 23 || offset_mins < 0 || offset_mins > 59) {
      return fail();
    }
    offset_minutes = sign * (offset_hours * 60 + offset_mins);
  } else {
    return fail();
  }
  if (pos != text.size()) {
    return fail();
  }
  using std::chrono::hours;
  using std::chrono::milliseconds;
  using std::chrono::minutes;
  using std::chrono::seconds;
  const auto local = date::sys_days{ymd} + hours{hour} + minutes{minute} + seconds{second};
  return std::chrono::time_point_cast<milliseconds>(local) + milliseconds{millis} -
         minutes{offset_minutes};
}

}  // namespace supportgw
