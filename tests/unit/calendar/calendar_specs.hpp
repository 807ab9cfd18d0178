#pragma once
// Calendars the calendar tests share, written the way a policy file would fill
// CalendarSpec: German, US federal and New Zealand holidays, and weekday hours.

#include <initializer_list>
#include <string>
#include <vector>

#include "core/calendar/calendar_spec.hpp"
#include "core/util/time.hpp"

namespace supportgw::calendar::testing {

inline HolidayRule fixed(std::string name, unsigned month, unsigned day,
                         Observance observance = Observance::on_the_day) {
  HolidayRule rule;
  rule.name = std::move(name);
  rule.kind = HolidayRuleKind::fixed_date;
  rule.month = month;
  rule.day = day;
  rule.observance = observance;
  return rule;
}

inline HolidayRule easter(std::string name, int offset) {
  HolidayRule rule;
  rule.name = std::move(name);
  rule.kind = HolidayRuleKind::easter_relative;
  rule.easter_offset = offset;
  return rule;
}

// weekday: 0 = Monday .. 6 = Sunday; nth: 1..5 or -1 for the last.
inline HolidayRule nth_weekday(std::string name, unsigned month, unsigned weekday, int nth) {
  HolidayRule rule;
  rule.name = std::move(name);
  rule.kind = HolidayRuleKind::nth_weekday;
  rule.month = month;
  rule.weekday = weekday;
  rule.nth = nth;
  return rule;
}

inline HolidayRule explicit_dates(std::string name, std::vector<CivilDate> dates) {
  HolidayRule rule;
  rule.name = std::move(name);
  rule.kind = HolidayRuleKind::explicit_dates;
  rule.dates = std::move(dates);
  return rule;
}

// Nationwide German holidays (gesetzliche Feiertage in every Land).
inline std::vector<HolidayRule> german_holidays() {
  return {
      fixed("Neujahr", 1, 1),
      easter("Karfreitag", -2),
      easter("Ostermontag", 1),
      fixed("Tag der Arbeit", 5, 1),
      easter("Christi Himmelfahrt", 39),
      easter("Pfingstmontag", 50),
      fixed("Tag der Deutschen Einheit", 10, 3),
      fixed("1. Weihnachtstag", 12, 25),
      fixed("2. Weihnachtstag", 12, 26),
  };
}

// US federal holidays (5 U.S.C. 6103), observed on the nearest weekday.
inline std::vector<HolidayRule> us_federal_holidays() {
  auto juneteenth = fixed("Juneteenth", 6, 19, Observance::nearest_weekday);
  juneteenth.first_year = 2021;
  return {
      fixed("New Year's Day", 1, 1, Observance::nearest_weekday),
      nth_weekday("Martin Luther King Jr. Day", 1, 0, 3),
      nth_weekday("Washington's Birthday", 2, 0, 3),
      nth_weekday("Memorial Day", 5, 0, -1),
      juneteenth,
      fixed("Independence Day", 7, 4, Observance::nearest_weekday),
      nth_weekday("Labor Day", 9, 0, 1),
      nth_weekday("Columbus Day", 10, 0, 2),
      fixed("Veterans Day", 11, 11, Observance::nearest_weekday),
      nth_weekday("Thanksgiving Day", 11, 3, 4),
      fixed("Christmas Day", 12, 25, Observance::nearest_weekday),
  };
}

// New Zealand public holidays (Holidays Act 2003, Mondayisation).
inline std::vector<HolidayRule> nz_holidays() {
  auto waitangi = fixed("Waitangi Day", 2, 6, Observance::next_free_weekday);
  waitangi.first_year = 2014;
  auto anzac = fixed("ANZAC Day", 4, 25, Observance::next_free_weekday);
  anzac.first_year = 2014;
  return {
      fixed("New Year's Day", 1, 1, Observance::next_free_weekday),
      fixed("Day after New Year's Day", 1, 2, Observance::next_free_weekday),
      waitangi,
      easter("Good Friday", -2),
      easter("Easter Monday", 1),
      anzac,
      nth_weekday("King's Birthday", 6, 0, 1),
      explicit_dates("Matariki", {{2022, 6, 24},
                                  {2023, 7, 14},
                                  {2024, 6, 28},
                                  {2025, 6, 20},
                                  {2026, 7, 10},
                                  {2027, 6, 25}}),
      nth_weekday("Labour Day", 10, 0, 4),
      fixed("Christmas Day", 12, 25, Observance::next_free_weekday),
      fixed("Boxing Day", 12, 26, Observance::next_free_weekday),
  };
}

// Minutes after midnight, from "HH:MM" written as two numbers.
constexpr int hm(int hours, int minutes) { return hours * 60 + minutes; }

// The same intervals Monday to Friday, closed at weekends.
inline CalendarSpec weekdays(std::string name, std::string zone,
                             std::initializer_list<OpenInterval> intervals,
                             std::vector<HolidayRule> holidays = {}) {
  CalendarSpec spec;
  spec.name = std::move(name);
  spec.time_zone = std::move(zone);
  for (int day = 0; day < 5; ++day) {
    spec.weekly_hours[day] = intervals;
  }
  spec.holidays = std::move(holidays);
  return spec;
}

// NETCOR: Europe/Berlin, Monday to Friday 08:30-17:00, German holidays.
inline CalendarSpec netcor() {
  return weekdays("netcor-business", "Europe/Berlin", {{hm(8, 30), hm(17, 0)}}, german_holidays());
}

inline CalendarSpec always_open(std::string zone) {
  CalendarSpec spec;
  spec.name = "24x7";
  spec.time_zone = std::move(zone);
  spec.always_open = true;
  return spec;
}

}  // namespace supportgw::calendar::testing
