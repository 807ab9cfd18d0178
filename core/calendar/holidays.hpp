#pragma once
// Public holidays: turning a calendar's HolidayRules into the days that are off in a
// given year. Pure functions of their arguments; safe to call from any thread.
//
// Rules of observance (calendar_spec.hpp, Observance) apply to every rule kind. When a
// rule moves a holiday off a weekend, BOTH days are listed: the day itself (plain name,
// observed = false) and the weekday it is observed on (name + " (observed)",
// observed = true). A Monday-to-Friday calendar is closed on the weekend anyway; a
// calendar that opens on Saturdays stays closed on a Saturday Christmas.
//
// next_free_weekday (NZ/UK "Mondayisation") moves a weekend holiday to the first weekday
// after it that is not already off: days listed by other rules count as taken, and moved
// holidays are placed in date order, so Christmas on Saturday -> Monday and Boxing Day on
// Sunday -> Tuesday; Christmas on Sunday with Boxing Day on Monday -> Tuesday.
//
// A year's list holds every holiday OBSERVED in that year, even when its rule belongs to
// a neighbouring year: New Year's Day 2022 (a Saturday) under nearest_weekday is observed
// on Friday 2021-12-31 and appears in holidays_in_year(spec, 2021).

#include <string>
#include <vector>

#include "core/calendar/calendar_spec.hpp"
#include "core/util/time.hpp"

namespace supportgw::calendar {

struct Holiday {
  CivilDate date;         // the local calendar day that is off
  std::string name;       // the rule's name, + " (observed)" when moved here
  bool observed = false;  // true when an Observance moved the holiday to this day
  friend bool operator==(const Holiday&, const Holiday&) = default;
};

// The years holiday arithmetic accepts: the Gregorian calendar up to four-digit years.
inline constexpr int first_supported_year = 1583;
inline constexpr int last_supported_year = 9999;

// Western (Gregorian) Easter Sunday, by the anonymous Gregorian algorithm (Meeus/Jones/
// Butcher). Throws InvalidArgument outside first_supported_year..last_supported_year.
CivilDate western_easter(int year);

// Checks every HolidayRule of `spec` (month, day, weekday, nth, offsets, year range,
// explicit dates); throws InvalidArgument naming the calendar and the rule on the first
// bad one. BusinessCalendar calls it on construction.
void check_holiday_rules(const CalendarSpec& spec);

// The holidays observed in `year` (local dates), sorted by date then name, without
// duplicates. Ignores always_open (a 24x7 calendar has no rules to expand anyway).
// Throws InvalidArgument for a bad rule (check_holiday_rules) or a year outside the
// supported range.
std::vector<Holiday> holidays_in_year(const CalendarSpec& spec, int year);

}  // namespace supportgw::calendar
