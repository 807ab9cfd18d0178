#include <string>

#include <gtest/gtest.h>

#include "core/calendar/business_calendar.hpp"
#include "core/util/error.hpp"
#include "tests/unit/calendar/calendar_specs.hpp"

namespace supportgw::calendar {
namespace {

using testing::hm;

// A refused spec gets InvalidArgument whose message names the calendar and the problem.
void expect_refused(const CalendarSpec& spec, const std::string& fragment) {
  try {
    const BusinessCalendar cal(spec);
    ADD_FAILURE() << "accepted a bad calendar; expected an error mentioning " << fragment;
  } catch (const InvalidArgument& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("'" + spec.name + "'"), std::string::npos) << message;
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
  }
}

TEST(BusinessCalendarValidation, UnknownOrMissingTimeZone) {
  expect_refused(testing::weekdays("mars", "Mars/Olympus_Mons", {{hm(9, 0), hm(17, 0)}}),
                 "time zone 'Mars/Olympus_Mons'");
  expect_refused(testing::weekdays("nowhere", "", {{hm(9, 0), hm(17, 0)}}), "no time zone");
}

TEST(BusinessCalendarValidation, IntervalsMustBeSortedInsideTheDayAndNotOverlap) {
  expect_refused(
      testing::weekdays("overlap", "UTC", {{hm(8, 0), hm(12, 0)}, {hm(11, 0), hm(17, 0)}}),
      "Monday interval 11:00-17:00 starts at 11:00, before the previous interval ends "
      "at 12:00");
  expect_refused(
      testing::weekdays("unsorted", "UTC", {{hm(13, 0), hm(17, 0)}, {hm(8, 0), hm(12, 0)}}),
      "sorted");
  expect_refused(testing::weekdays("late", "UTC", {{hm(20, 0), hm(25, 0)}}), "<= 24:00");
  expect_refused(testing::weekdays("empty", "UTC", {{hm(9, 0), hm(9, 0)}}), "start < end");
  expect_refused(testing::weekdays("negative", "UTC", {{-30, hm(9, 0)}}), "00:00 <= start");
  // Touching intervals and a full 00:00-24:00 day are fine.
  EXPECT_NO_THROW(BusinessCalendar(
      testing::weekdays("touching", "UTC", {{hm(8, 0), hm(12, 0)}, {hm(12, 0), hm(13, 0)}})));
  EXPECT_NO_THROW(BusinessCalendar(testing::weekdays("full", "UTC", {{0, hm(24, 0)}})));
}

TEST(BusinessCalendarValidation, ABusinessCalendarNeedsOpenHours) {
  CalendarSpec spec;
  spec.name = "closed";
  spec.time_zone = "Europe/Berlin";
  expect_refused(spec, "no open hours");
}

TEST(BusinessCalendarValidation, AlwaysOpenCannotAlsoListHoursOrHolidays) {
  auto with_hours = testing::always_open("UTC");
  with_hours.weekly_hours[2] = {{hm(9, 0), hm(17, 0)}};
  expect_refused(with_hours, "24x7");
  auto with_holidays = testing::always_open("UTC");
  with_holidays.holidays = testing::german_holidays();
  expect_refused(with_holidays, "24x7");
}

TEST(BusinessCalendarValidation, BadHolidayRules) {
  auto spec = testing::netcor();
  spec.holidays.push_back(testing::nth_weekday("Sixth Monday", 3, 0, 6));
  expect_refused(spec, "holiday 'Sixth Monday': nth 6");
}

}  // namespace
}  // namespace supportgw::calendar
