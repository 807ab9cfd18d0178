// Business time across daylight-saving changes: open hours are local wall-clock times,
// durations are real elapsed time.

#include <gtest/gtest.h>

#include "core/calendar/business_calendar.hpp"
#include "tests/unit/calendar/calendar_specs.hpp"

namespace supportgw::calendar {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::hm;

Timestamp at(std::string_view iso) { return parse_iso8601(iso); }

// Open on Sundays only, all day.
CalendarSpec sundays(std::string zone) {
  CalendarSpec spec;
  spec.name = "sundays";
  spec.time_zone = std::move(zone);
  spec.weekly_hours[6] = {{0, hm(24, 0)}};
  return spec;
}

// Open every day in one interval.
CalendarSpec daily(std::string zone, OpenInterval interval) {
  CalendarSpec spec;
  spec.name = "daily";
  spec.time_zone = std::move(zone);
  for (auto& day : spec.weekly_hours) {
    day = {interval};
  }
  return spec;
}

TEST(BusinessCalendarDst, BerlinAlwaysOpenDayHas23And25Hours) {
  const BusinessCalendar cal(testing::always_open("Europe/Berlin"));
  EXPECT_EQ(cal.between(at("2026-03-29T00:00:00+01:00"), at("2026-03-30T00:00:00+02:00")),
            hours{23});
  EXPECT_EQ(cal.between(at("2026-10-25T00:00:00+02:00"), at("2026-10-26T00:00:00+01:00")),
            hours{25});
  // Noon to noon across the change is real elapsed time, not 24 h.
  EXPECT_EQ(cal.between(at("2026-03-28T12:00:00+01:00"), at("2026-03-29T12:00:00+02:00")),
            hours{23});
  EXPECT_EQ(cal.add(at("2026-03-28T12:00:00+01:00"), hours{24}), at("2026-03-29T13:00:00+02:00"));
  // One "business day" on a 24x7 calendar keeps the wall-clock time.
  EXPECT_EQ(cal.add_business_days(at("2026-03-28T12:00:00+01:00"), 1),
            at("2026-03-29T12:00:00+02:00"));
  EXPECT_EQ(cal.add_business_days(at("2026-10-24T12:00:00+02:00"), 1),
            at("2026-10-25T12:00:00+01:00"));
}

TEST(BusinessCalendarDst, BerlinWholeSundayCountsTheSkippedAndRepeatedHour) {
  const BusinessCalendar cal(sundays("Europe/Berlin"));
  // 2026-03-29: 02:00-03:00 does not exist, the Sunday holds 23 h.
  EXPECT_EQ(cal.between(at("2026-03-28T00:00:00+01:00"), at("2026-03-31T00:00:00+02:00")),
            hours{23});
  // Starting Saturday, 23 h of business time end exactly at Sunday's end.
  EXPECT_EQ(cal.add(at("2026-03-28T12:00:00+01:00"), hours{23}), at("2026-03-30T00:00:00+02:00"));
  // One hour more runs into the next Sunday.
  EXPECT_EQ(cal.add(at("2026-03-28T12:00:00+01:00"), hours{24}), at("2026-04-05T01:00:00+02:00"));
  EXPECT_TRUE(cal.is_open(at("2026-03-29T01:30:00Z")));  // 03:30 CEST
  // 2026-10-25: 02:00-03:00 happens twice, the Sunday holds 25 h.
  EXPECT_EQ(cal.between(at("2026-10-24T00:00:00+02:00"), at("2026-10-27T00:00:00+01:00")),
            hours{25});
  EXPECT_EQ(cal.add(at("2026-10-25T00:00:00+02:00"), hours{3}), at("2026-10-25T02:00:00+01:00"));
  // An ordinary Sunday holds 24 h.
  EXPECT_EQ(cal.between(at("2026-06-07T00:00:00+02:00"), at("2026-06-08T00:00:00+02:00")),
            hours{24});
}

TEST(BusinessCalendarDst, BerlinWorkdaysAcrossTheWeekendOfTheChange) {
  const BusinessCalendar cal(testing::netcor());
  // Friday in winter time to Monday in summer time: still 1 h + 3 h.
  EXPECT_EQ(cal.add(at("2026-03-27T16:00:00+01:00"), hours{4}), at("2026-03-30T11:30:00+02:00"));
  EXPECT_EQ(cal.add(at("2026-10-23T16:00:00+02:00"), hours{4}), at("2026-10-26T11:30:00+01:00"));
  EXPECT_EQ(cal.between(at("2026-03-27T16:00:00+01:00"), at("2026-03-30T11:30:00+02:00")),
            hours{4});
  // The whole week around each change: 5 x 8.5 h.
  EXPECT_EQ(cal.between(at("2026-03-23T00:00:00+01:00"), at("2026-04-02T00:00:00+02:00")),
            8 * (hours{8} + minutes{30}));
  EXPECT_EQ(cal.add_business_days(at("2026-03-27T10:00:00+01:00"), 1),
            at("2026-03-30T10:00:00+02:00"));
}

TEST(BusinessCalendarDst, ChicagoHoursInsideTheChangedHour) {
  // 01:00-04:00 every day: on 2026-03-08 02:00-03:00 is skipped (2 h), on 2026-11-01
  // 01:00-02:00 is repeated (4 h).
  const BusinessCalendar cal(daily("America/Chicago", {hm(1, 0), hm(4, 0)}));
  EXPECT_EQ(cal.between(at("2026-03-08T00:00:00-06:00"), at("2026-03-09T00:00:00-05:00")),
            hours{2});
  EXPECT_EQ(cal.between(at("2026-11-01T00:00:00-05:00"), at("2026-11-02T00:00:00-06:00")),
            hours{4});
  EXPECT_EQ(cal.between(at("2026-06-01T00:00:00-05:00"), at("2026-06-02T00:00:00-05:00")),
            hours{3});
  // Opens 01:00 CST (07:00Z) and 03:00 CDT is 08:00Z: the skipped hour is not there.
  EXPECT_EQ(cal.add(at("2026-03-08T00:00:00-06:00"), hours{1} + minutes{30}),
            at("2026-03-08T03:30:00-05:00"));
  // The repeated 01:00-02:00: an hour after opening at 01:00 CDT it is 01:00 again (CST).
  EXPECT_EQ(cal.add(at("2026-11-01T00:00:00-05:00"), hours{1}), at("2026-11-01T01:00:00-06:00"));
  EXPECT_EQ(cal.add(at("2026-11-01T00:00:00-05:00"), hours{4}), at("2026-11-01T04:00:00-06:00"));
  EXPECT_TRUE(cal.is_open(at("2026-11-01T01:30:00-06:00")));
}

TEST(BusinessCalendarDst, ChicagoIntervalWhollyInsideTheSkippedHourIsEmpty) {
  CalendarSpec spec = daily("America/Chicago", {hm(2, 0), hm(2, 30)});
  const BusinessCalendar cal(spec);
  EXPECT_EQ(cal.between(at("2026-03-08T00:00:00-06:00"), at("2026-03-09T00:00:00-05:00")),
            hours{0});
  // From Saturday 02:15 CST, 30 min: 15 min Saturday, nothing Sunday, 15 min Monday.
  EXPECT_EQ(cal.add(at("2026-03-07T02:15:00-06:00"), minutes{30}), at("2026-03-09T02:15:00-05:00"));
  // A day's 02:30 on the change day does not exist: the start moves to 03:00 CDT.
  const BusinessCalendar sunday_all_day(sundays("America/Chicago"));
  EXPECT_EQ(sunday_all_day.add_business_days(at("2026-03-01T02:30:00-06:00"), 1),
            at("2026-03-08T03:00:00-05:00"));
}

TEST(BusinessCalendarDst, LosAngelesSupportDeskOpeningAfterTheChange) {
  // 06:00-22:00 every day: the change at 02:00 is outside hours.
  const BusinessCalendar cal(daily("America/Los_Angeles", {hm(6, 0), hm(22, 0)}));
  // Saturday 21:00 PST + 2 h: 1 h Saturday, Sunday opens 06:00 PDT, + 1 h = 07:00 PDT.
  EXPECT_EQ(cal.add(at("2026-03-07T21:00:00-08:00"), hours{2}), at("2026-03-08T07:00:00-07:00"));
  EXPECT_EQ(cal.add(at("2026-10-31T21:00:00-07:00"), hours{2}), at("2026-11-01T07:00:00-08:00"));
  EXPECT_EQ(cal.between(at("2026-03-08T00:00:00-08:00"), at("2026-03-09T00:00:00-07:00")),
            hours{16});
  EXPECT_EQ(cal.format_local(at("2026-03-08T14:00:00Z")), "2026-03-08T07:00:00-07:00");
  EXPECT_EQ(cal.local_date(at("2026-03-08T07:59:00Z")), (CivilDate{2026, 3, 7}));
}

TEST(BusinessCalendarDst, AucklandAlwaysOpenDayLengths) {
  const BusinessCalendar cal(testing::always_open("Pacific/Auckland"));
  // DST ends 2026-04-05 03:00 NZDT -> 02:00 NZST.
  EXPECT_EQ(cal.between(at("2026-04-05T00:00:00+13:00"), at("2026-04-06T00:00:00+12:00")),
            hours{25});
  // DST starts 2026-09-27 02:00 NZST -> 03:00 NZDT.
  EXPECT_EQ(cal.between(at("2026-09-27T00:00:00+12:00"), at("2026-09-28T00:00:00+13:00")),
            hours{23});
  EXPECT_EQ(cal.add_business_days(at("2026-09-26T09:00:00+12:00"), 2),
            at("2026-09-28T09:00:00+13:00"));
}

TEST(BusinessCalendarDst, AucklandRepeatedHourCountsTwice) {
  CalendarSpec spec = sundays("Pacific/Auckland");
  spec.weekly_hours[6] = {{hm(2, 0), hm(3, 0)}};
  const BusinessCalendar cal(spec);
  // 2026-04-05: 02:00-03:00 local happens twice (NZDT then NZST): 2 h.
  EXPECT_EQ(cal.between(at("2026-04-04T00:00:00+13:00"), at("2026-04-06T00:00:00+12:00")),
            hours{2});
  // 2026-09-27: 02:00-03:00 local does not exist: nothing.
  EXPECT_EQ(cal.between(at("2026-09-26T00:00:00+12:00"), at("2026-09-28T00:00:00+13:00")),
            hours{0});
  EXPECT_EQ(cal.between(at("2026-06-06T00:00:00+12:00"), at("2026-06-08T00:00:00+12:00")),
            hours{1});
}

TEST(BusinessCalendarDst, AucklandEasterAndTheChangeTogether) {
  const BusinessCalendar cal(
      testing::weekdays("nz", "Pacific/Auckland", {{hm(9, 0), hm(17, 0)}}, testing::nz_holidays()));
  // Thursday 2 April 16:00 NZDT + 4 h: 1 h Thursday; Good Friday, the weekend (DST ends
  // on Sunday) and Easter Monday closed; Tuesday 7 April 09:00 NZST + 3 h.
  EXPECT_EQ(cal.add(at("2026-04-02T16:00:00+13:00"), hours{4}), at("2026-04-07T12:00:00+12:00"));
  EXPECT_EQ(cal.format_local(at("2026-04-07T00:00:00Z")), "2026-04-07T12:00:00+12:00");
  // Matariki 2026 (Friday 10 July) is off.
  EXPECT_EQ(cal.next_opening(at("2026-07-09T17:00:00+12:00")), at("2026-07-13T09:00:00+12:00"));
}

}  // namespace
}  // namespace supportgw::calendar
