#include "core/calendar/holidays.hpp"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "core/util/error.hpp"
#include "tests/unit/calendar/calendar_specs.hpp"

namespace supportgw::calendar {
namespace {

using testing::easter;
using testing::explicit_dates;
using testing::fixed;
using testing::nth_weekday;

CalendarSpec with_rules(std::vector<HolidayRule> rules) {
  CalendarSpec spec;
  spec.name = "test-calendar";
  spec.time_zone = "Europe/Berlin";
  spec.holidays = std::move(rules);
  return spec;
}

// "YYYY-MM-DD name" lines, to compare whole lists at once with readable failures.
std::vector<std::string> lines(const std::vector<Holiday>& holidays) {
  std::vector<std::string> out;
  auto two = [](unsigned n) { return (n < 10 ? "0" : "") + std::to_string(n); };
  for (const Holiday& h : holidays) {
    out.push_back(std::to_string(h.date.year) + "-" + two(h.date.month) + "-" + two(h.date.day) +
                  " " + h.name);
  }
  return out;
}

bool contains(const std::vector<Holiday>& holidays, CivilDate date, const std::string& name) {
  return std::any_of(holidays.begin(), holidays.end(),
                     [&](const Holiday& h) { return h.date == date && h.name == name; });
}

bool any_on(const std::vector<Holiday>& holidays, CivilDate date) {
  return std::any_of(holidays.begin(), holidays.end(),
                     [&](const Holiday& h) { return h.date == date; });
}

TEST(WesternEaster, KnownYears) {
  EXPECT_EQ(western_easter(2024), (CivilDate{2024, 3, 31}));
  EXPECT_EQ(western_easter(2025), (CivilDate{2025, 4, 20}));
  EXPECT_EQ(western_easter(2026), (CivilDate{2026, 4, 5}));
  EXPECT_EQ(western_easter(2027), (CivilDate{2027, 3, 28}));
  EXPECT_EQ(western_easter(2038), (CivilDate{2038, 4, 25}));
  // The extremes: earliest possible (March 22) and latest possible (April 25).
  EXPECT_EQ(western_easter(1818), (CivilDate{1818, 3, 22}));
  EXPECT_EQ(western_easter(2285), (CivilDate{2285, 3, 22}));
  EXPECT_EQ(western_easter(1943), (CivilDate{1943, 4, 25}));
  EXPECT_EQ(western_easter(2000), (CivilDate{2000, 4, 23}));
}

TEST(WesternEaster, RefusesYearsOutsideTheGregorianRange) {
  EXPECT_THROW(western_easter(1582), InvalidArgument);
  EXPECT_THROW(western_easter(10000), InvalidArgument);
}

TEST(HolidaysInYear, Germany2026) {
  const auto holidays = holidays_in_year(with_rules(testing::german_holidays()), 2026);
  EXPECT_EQ(lines(holidays), (std::vector<std::string>{
                                 "2026-01-01 Neujahr",
                                 "2026-04-03 Karfreitag",
                                 "2026-04-06 Ostermontag",
                                 "2026-05-01 Tag der Arbeit",
                                 "2026-05-14 Christi Himmelfahrt",
                                 "2026-05-25 Pfingstmontag",
                                 "2026-10-03 Tag der Deutschen Einheit",
                                 "2026-12-25 1. Weihnachtstag",
                                 "2026-12-26 2. Weihnachtstag",
                             }));
}

TEST(HolidaysInYear, UsFederal2026WithNearestWeekday) {
  const auto holidays = holidays_in_year(with_rules(testing::us_federal_holidays()), 2026);
  EXPECT_EQ(lines(holidays), (std::vector<std::string>{
                                 "2026-01-01 New Year's Day",
                                 "2026-01-19 Martin Luther King Jr. Day",
                                 "2026-02-16 Washington's Birthday",
                                 "2026-05-25 Memorial Day",
                                 "2026-06-19 Juneteenth",
                                 "2026-07-03 Independence Day (observed)",
                                 "2026-07-04 Independence Day",
                                 "2026-09-07 Labor Day",
                                 "2026-10-12 Columbus Day",
                                 "2026-11-11 Veterans Day",
                                 "2026-11-26 Thanksgiving Day",
                                 "2026-12-25 Christmas Day",
                             }));
  const auto observed = std::find_if(holidays.begin(), holidays.end(),
                                     [](const Holiday& h) { return h.date.day == 3; });
  ASSERT_NE(observed, holidays.end());
  EXPECT_TRUE(observed->observed);
}

TEST(HolidaysInYear, NearestWeekdayCrossesTheYearBoundary) {
  const auto spec = with_rules(testing::us_federal_holidays());
  // New Year's Day 2022 is a Saturday: observed on Friday 2021-12-31, listed in 2021.
  EXPECT_TRUE(contains(holidays_in_year(spec, 2021), {2021, 12, 31}, "New Year's Day (observed)"));
  const auto y2022 = holidays_in_year(spec, 2022);
  EXPECT_TRUE(contains(y2022, {2022, 1, 1}, "New Year's Day"));
  EXPECT_FALSE(any_on(y2022, {2021, 12, 31}));
  // Juneteenth starts in 2021: not in 2020.
  EXPECT_FALSE(any_on(holidays_in_year(spec, 2020), {2020, 6, 19}));
  EXPECT_TRUE(any_on(holidays_in_year(spec, 2021), {2021, 6, 18}));  // Sat 19 -> Fri 18
}

TEST(HolidaysInYear, MondayIfWeekendCrossesTheYearBoundary) {
  const auto spec = with_rules({fixed("Silvester", 12, 31, Observance::monday_if_weekend),
                                fixed("Boxing Day", 12, 26, Observance::monday_if_weekend)});
  // 2022-12-31 is a Saturday: observed Monday 2023-01-02.
  EXPECT_TRUE(contains(holidays_in_year(spec, 2023), {2023, 1, 2}, "Silvester (observed)"));
  EXPECT_TRUE(contains(holidays_in_year(spec, 2022), {2022, 12, 31}, "Silvester"));
  EXPECT_FALSE(any_on(holidays_in_year(spec, 2022), {2023, 1, 2}));
  // 2021-12-26 is a Sunday: observed Monday 27.
  EXPECT_TRUE(contains(holidays_in_year(spec, 2021), {2021, 12, 27}, "Boxing Day (observed)"));
}

TEST(HolidaysInYear, NewZealand2027Mondayisation) {
  const auto holidays = holidays_in_year(with_rules(testing::nz_holidays()), 2027);
  EXPECT_EQ(lines(holidays), (std::vector<std::string>{
                                 "2027-01-01 New Year's Day",
                                 "2027-01-02 Day after New Year's Day",
                                 "2027-01-04 Day after New Year's Day (observed)",
                                 "2027-02-06 Waitangi Day",
                                 "2027-02-08 Waitangi Day (observed)",
                                 "2027-03-26 Good Friday",
                                 "2027-03-29 Easter Monday",
                                 "2027-04-25 ANZAC Day",
                                 "2027-04-26 ANZAC Day (observed)",
                                 "2027-06-07 King's Birthday",
                                 "2027-06-25 Matariki",
                                 "2027-10-25 Labour Day",
                                 "2027-12-25 Christmas Day",
                                 "2027-12-26 Boxing Day",
                                 "2027-12-27 Christmas Day (observed)",
                                 "2027-12-28 Boxing Day (observed)",
                             }));
}

TEST(HolidaysInYear, NextFreeWeekdaySkipsDaysTakenByOtherHolidays) {
  const auto spec = with_rules(testing::nz_holidays());
  // 2022: Christmas on Sunday, Boxing Day on Monday -> Christmas observed Tuesday 27.
  const auto y2022 = holidays_in_year(spec, 2022);
  EXPECT_TRUE(contains(y2022, {2022, 12, 26}, "Boxing Day"));
  EXPECT_TRUE(contains(y2022, {2022, 12, 27}, "Christmas Day (observed)"));
  // 2022 also starts on a weekend: Jan 1 (Sat) -> Mon 3, Jan 2 (Sun) -> Tue 4.
  EXPECT_TRUE(contains(y2022, {2022, 1, 3}, "New Year's Day (observed)"));
  EXPECT_TRUE(contains(y2022, {2022, 1, 4}, "Day after New Year's Day (observed)"));
  // 2023: Jan 1 on Sunday, Jan 2 on Monday -> New Year's Day observed Tuesday 3.
  EXPECT_TRUE(contains(holidays_in_year(spec, 2023), {2023, 1, 3}, "New Year's Day (observed)"));
  // The order rules are listed in does not change the outcome.
  auto reversed = testing::nz_holidays();
  std::reverse(reversed.begin(), reversed.end());
  EXPECT_EQ(holidays_in_year(with_rules(reversed), 2027), holidays_in_year(spec, 2027));
}

TEST(HolidaysInYear, ExplicitDatesOnlyInTheirYear) {
  const auto spec = with_rules(testing::nz_holidays());
  EXPECT_TRUE(contains(holidays_in_year(spec, 2026), {2026, 7, 10}, "Matariki"));
  EXPECT_TRUE(contains(holidays_in_year(spec, 2022), {2022, 6, 24}, "Matariki"));
  const auto y2030 = holidays_in_year(spec, 2030);
  EXPECT_TRUE(std::none_of(y2030.begin(), y2030.end(),
                           [](const Holiday& h) { return h.name == "Matariki"; }));
}

TEST(HolidaysInYear, FirstAndLastYearBoundTheRule) {
  auto rule = fixed("Reformationstag 2017", 10, 31);
  rule.first_year = 2017;
  rule.last_year = 2017;
  const auto spec = with_rules({rule});
  EXPECT_EQ(holidays_in_year(spec, 2017).size(), 1U);
  EXPECT_TRUE(holidays_in_year(spec, 2016).empty());
  EXPECT_TRUE(holidays_in_year(spec, 2018).empty());
}

TEST(HolidaysInYear, NthWeekdayIncludingLastAndMissingFifth) {
  const auto spec =
      with_rules({nth_weekday("Thanksgiving", 11, 3, 4), nth_weekday("Memorial Day", 5, 0, -1),
                  nth_weekday("Fifth Friday of February", 2, 4, 5),
                  nth_weekday("Last Sunday of October", 10, 6, -1)});
  EXPECT_EQ(
      lines(holidays_in_year(spec, 2026)),
      (std::vector<std::string>{"2026-05-25 Memorial Day", "2026-10-25 Last Sunday of October",
                                "2026-11-26 Thanksgiving"}));
  // February 2030 has no fifth Friday, February 2036 (leap, starts on a Friday) does.
  EXPECT_TRUE(contains(holidays_in_year(spec, 2036), {2036, 2, 29}, "Fifth Friday of February"));
}

TEST(HolidaysInYear, LeapDayRuleOnlyInLeapYears) {
  const auto spec = with_rules({fixed("Leap day", 2, 29)});
  EXPECT_TRUE(contains(holidays_in_year(spec, 2028), {2028, 2, 29}, "Leap day"));
  EXPECT_TRUE(holidays_in_year(spec, 2027).empty());
  EXPECT_TRUE(holidays_in_year(spec, 2100).empty());  // not a leap year
}

TEST(HolidaysInYear, EasterRelativeAcrossYears) {
  const auto spec = with_rules({easter("Rosenmontag", -48), easter("Fronleichnam", 60)});
  EXPECT_EQ(lines(holidays_in_year(spec, 2026)),
            (std::vector<std::string>{"2026-02-16 Rosenmontag", "2026-06-04 Fronleichnam"}));
  EXPECT_EQ(lines(holidays_in_year(spec, 2038)),
            (std::vector<std::string>{"2038-03-08 Rosenmontag", "2038-06-24 Fronleichnam"}));
}

// The message names the calendar and the rule, so an operator can find the line.
void expect_refused(const HolidayRule& rule, const std::string& fragment) {
  try {
    check_holiday_rules(with_rules({rule}));
    ADD_FAILURE() << "accepted a bad rule; expected an error mentioning " << fragment;
  } catch (const InvalidArgument& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("test-calendar"), std::string::npos) << message;
    EXPECT_NE(message.find(rule.name), std::string::npos) << message;
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
  }
}

TEST(CheckHolidayRules, RefusesBadRules) {
  expect_refused(fixed("Smarch", 13, 1), "month 13");
  expect_refused(fixed("April 31", 4, 31), "day 31");
  expect_refused(fixed("Day zero", 1, 0), "day 0");
  expect_refused(nth_weekday("Sixth Monday", 3, 0, 6), "nth 6");
  expect_refused(nth_weekday("Zeroth Monday", 3, 0, 0), "nth 0");
  expect_refused(nth_weekday("Eighth weekday", 3, 7, 1), "weekday 7");
  expect_refused(easter("Far away", 400), "Easter offset 400");
  expect_refused(explicit_dates("Nothing", {}), "no dates");
  expect_refused(explicit_dates("Feb 30", {{2026, 2, 30}}), "2026-2-30");
  auto backwards = fixed("Backwards", 5, 5);
  backwards.first_year = 2030;
  backwards.last_year = 2020;
  expect_refused(backwards, "first year 2030");
  EXPECT_THROW(check_holiday_rules(with_rules({fixed("", 1, 1)})), InvalidArgument);
  EXPECT_THROW(holidays_in_year(with_rules({fixed("Smarch", 13, 1)}), 2026), InvalidArgument);
}

TEST(HolidaysInYear, RefusesUnsupportedYears) {
  EXPECT_THROW(holidays_in_year(with_rules({}), 1500), InvalidArgument);
  EXPECT_THROW(holidays_in_year(with_rules({}), 10000), InvalidArgument);
}

}  // namespace
}  // namespace supportgw::calendar
