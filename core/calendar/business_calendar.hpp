#pragma once
// Business-time arithmetic on one calendar: when is it open, when does N hours of open
// time run out, how much open time lies between two instants.
//
// Open hours are local wall-clock times in the calendar's IANA time zone (Howard
// Hinnant's date/tz over the system tz database). Each local day's intervals become
// instants like this:
//   - a local time that a DST change skips (02:30 on the spring-forward day in Berlin)
//     moves forward to the end of the gap (03:00 local, the instant of the change);
//   - a local time that a DST change repeats (02:30 on the fall-back day) is its first
//     occurrence (date::choose::earliest).
// So an interval 00:00-24:00 holds 23 h on a spring-forward day and 25 h on a fall-back
// day, an interval lying wholly in the skipped hour holds nothing, and a 24x7 calendar
// counts real elapsed time. Durations are real elapsed time (milliseconds), never
// "wall-clock hours".
//
// Holidays (holidays.hpp) close a local day entirely.
//
// Caveat: date/tz reading the system database (USE_OS_TZDB) knows the transitions stored
// in the zone files, which on Debian 12 end in 2037; later years keep the last offset
// (standard time), without DST.
//
// Thread-safety: a BusinessCalendar is immutable after construction except for an
// internal, mutex-guarded cache of holiday sets per year; every const member may be
// called from any thread at once. Copies are cheap and share that cache.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/calendar/calendar_spec.hpp"
#include "core/calendar/holidays.hpp"
#include "core/util/time.hpp"

namespace supportgw::calendar {

class BusinessCalendar {
 public:
  // Checks `spec` and throws InvalidArgument naming the calendar when:
  //   - the time zone is not in the tz database (an empty zone is allowed only for an
  //     always_open calendar, which then uses UTC);
  //   - an always_open calendar also lists hours or holidays (it would ignore them);
  //   - an interval is outside 0..1440 minutes, empty, unsorted or overlaps another
  //     (touching, as 08:00-12:00 and 12:00-13:00, is fine);
  //   - a calendar that is not always_open has no open interval on any weekday;
  //   - a holiday rule is bad (check_holiday_rules).
  explicit BusinessCalendar(CalendarSpec spec);

  const std::string& name() const;
  // The IANA zone name ("Europe/Berlin"; "UTC" for a 24x7 calendar given none).
  const std::string& time_zone() const;
  bool always_open() const;
  const CalendarSpec& spec() const;

  // True when `at` lies inside an open interval (start inclusive, end exclusive) of a
  // day that is not a holiday. Always true for a 24x7 calendar.
  bool is_open(Timestamp at) const;

  // `at` itself when open, else the start of the next open interval.
  Timestamp next_opening(Timestamp at) const;

  // The earliest instant by which `business_duration` of open time has passed after
  // `start`; counting begins at next_opening(start). When the duration runs out exactly
  // at a closing time the result is that closing time (Friday 16:00 + 1 h = Friday 17:00
  // for 08:30-17:00), not the next opening. add(start, 0) == next_opening(start).
  // For a 24x7 calendar it is start + business_duration.
  // Walks day by day over open intervals, never minute by minute.
  // Throws InvalidArgument for a negative duration, or when `start` or the result lies
  // outside the years 1584..9998 (every member taking an instant checks this).
  Timestamp add(Timestamp start, std::chrono::milliseconds business_duration) const;

  // Open time in [from, to). Antisymmetric: between(a, b) == -between(b, a), so
  // between(a, c) == between(a, b) + between(b, c) for any a, b, c. For every start and
  // duration d >= 0, between(start, add(start, d)) == d.
  std::chrono::milliseconds between(Timestamp from, Timestamp to) const;

  // "Within N business days": let s = next_opening(start) and t its local time of day.
  // The result is local time t on the N-th open day after s's local day (an open day is
  // one that is not a holiday and whose weekday has hours that, after DST, hold some
  // time), moved into that day's hours: to its
  // first opening if t is before it, to the next interval's start if t falls in a break,
  // to its last closing if t is after it (so Thursday 16:00 + 1 day with a Friday
  // closing at 15:00 is Friday 15:00). A local t that DST skips or repeats on that day
  // follows the rules above. days == 0 gives s. On a 24x7 calendar every day is open:
  // the same local time N days later. Throws InvalidArgument for negative days.
  Timestamp add_business_days(Timestamp start, int days) const;

  // Holidays observed in `year` (holidays_in_year), from the cache. Empty for 24x7.
  std::vector<Holiday> holidays(int year) const;
  bool is_holiday(const CivilDate& local_day) const;

  // The local calendar day of an instant in this calendar's zone.
  CivilDate local_date(Timestamp at) const;
  // "2026-12-21T11:30:00+01:00" (milliseconds shown only when not zero).
  std::string format_local(Timestamp at) const;

 private:
  class Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace supportgw::calendar
