// add_business_days: "within N business days" keeps the local time of day.

#include <gtest/gtest.h>

#include "core/calendar/business_calendar.hpp"
#include "tests/unit/calendar/calendar_specs.hpp"

namespace supportgw::calendar {
namespace {

using testing::hm;

Timestamp at(std::string_view iso) { return parse_iso8601(iso); }

TEST(AddBusinessDays, NetcorAroundChristmas) {
  const BusinessCalendar cal(testing::netcor());
  EXPECT_EQ(cal.add_business_days(at("2026-12-18T16:00:00+01:00"), 2),
            at("2026-12-22T16:00:00+01:00"));
  // Wed 23rd: Thu 24th is one, 25th/26th are holidays, Monday 28th is two.
  EXPECT_EQ(cal.add_business_days(at("2026-12-23T10:00:00+01:00"), 2),
            at("2026-12-28T10:00:00+01:00"));
  // Across New Year: Thu 31st + 1 = Mon 4 Jan (Fri 1 Jan is a holiday).
  EXPECT_EQ(cal.add_business_days(at("2026-12-31T09:15:00+01:00"), 1),
            at("2027-01-04T09:15:00+01:00"));
  EXPECT_EQ(cal.add_business_days(at("2026-12-18T16:00:00+01:00"), 0),
            at("2026-12-18T16:00:00+01:00"));
}

TEST(AddBusinessDays, OutsideHoursStartsFromTheNextOpening) {
  const BusinessCalendar cal(testing::netcor());
  // Saturday: counts from Monday 08:30.
  EXPECT_EQ(cal.add_business_days(at("2026-12-19T10:00:00+01:00"), 1),
            at("2026-12-22T08:30:00+01:00"));
  // Evening: counts from the next morning.
  EXPECT_EQ(cal.add_business_days(at("2026-06-15T19:00:00+02:00"), 1),
            at("2026-06-17T08:30:00+02:00"));
  EXPECT_EQ(cal.add_business_days(at("2026-06-15T19:00:00+02:00"), 0),
            at("2026-06-16T08:30:00+02:00"));
}

TEST(AddBusinessDays, TimeOfDayOutsideTheTargetDaysHoursIsMovedIntoThem) {
  CalendarSpec spec = testing::weekdays("uneven", "Europe/Berlin", {{hm(8, 0), hm(17, 0)}});
  spec.weekly_hours[1] = {{hm(8, 0), hm(12, 0)}, {hm(13, 0), hm(17, 0)}};  // Tuesday lunch
  spec.weekly_hours[2] = {{hm(10, 0), hm(17, 0)}};                         // Wednesday late
  spec.weekly_hours[4] = {{hm(8, 0), hm(15, 0)}};                          // Friday early
  const BusinessCalendar cal(spec);
  // Monday 12:30 + 1 -> Tuesday 12:30 is lunch: 13:00.
  EXPECT_EQ(cal.add_business_days(at("2026-06-15T12:30:00+02:00"), 1),
            at("2026-06-16T13:00:00+02:00"));
  // Tuesday 09:00 + 1 -> Wednesday opens at 10:00.
  EXPECT_EQ(cal.add_business_days(at("2026-06-16T09:00:00+02:00"), 1),
            at("2026-06-17T10:00:00+02:00"));
  // Thursday 16:00 + 1 -> Friday closes at 15:00: the end of Friday.
  EXPECT_EQ(cal.add_business_days(at("2026-06-18T16:00:00+02:00"), 1),
            at("2026-06-19T15:00:00+02:00"));
  // Thursday 16:00 + 2 skips the weekend: Monday 16:00.
  EXPECT_EQ(cal.add_business_days(at("2026-06-18T16:00:00+02:00"), 2),
            at("2026-06-22T16:00:00+02:00"));
}

TEST(AddBusinessDays, UsThanksgivingWeek) {
  const BusinessCalendar cal(testing::weekdays("us", "America/Chicago", {{hm(8, 0), hm(18, 0)}},
                                               testing::us_federal_holidays()));
  // Wednesday 25 Nov 2026 + 1: Thursday is Thanksgiving -> Friday 27th.
  EXPECT_EQ(cal.add_business_days(at("2026-11-25T11:00:00-06:00"), 1),
            at("2026-11-27T11:00:00-06:00"));
  // Across the end of DST (Sunday 1 Nov): Friday 30 Oct 09:00 CDT + 1 = Monday 09:00 CST.
  EXPECT_EQ(cal.add_business_days(at("2026-10-30T09:00:00-05:00"), 1),
            at("2026-11-02T09:00:00-06:00"));
}

TEST(AddBusinessDays, ManyDaysLandOnTheRightDate) {
  const BusinessCalendar cal(testing::netcor());
  // 60 business days from Monday 30 March 2026 10:00 (5 holidays in 13 weeks):
  // the 60th open day after 30 March is Monday 29 June.
  EXPECT_EQ(cal.add_business_days(at("2026-03-30T10:00:00+02:00"), 60),
            at("2026-06-29T10:00:00+02:00"));
}

}  // namespace
}  // namespace supportgw::calendar
