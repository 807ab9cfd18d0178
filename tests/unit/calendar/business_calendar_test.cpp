#include "core/calendar/business_calendar.hpp"

#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "core/util/error.hpp"
#include "tests/unit/calendar/calendar_specs.hpp"

namespace supportgw::calendar {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using testing::hm;

Timestamp at(std::string_view iso) { return parse_iso8601(iso); }

// 8.5 h: one full NETCOR day.
constexpr milliseconds netcor_day = hours{8} + minutes{30};

TEST(BusinessCalendar, NetcorFridayAfternoonRunsIntoMonday) {
  const BusinessCalendar cal(testing::netcor());
  // The reference case: 1 h Friday until 17:00, 3 h from Monday 08:30.
  const Timestamp due = cal.add(at("2026-12-18T16:00:00+01:00"), hours{4});
  EXPECT_EQ(due, at("2026-12-21T11:30:00+01:00"));
  EXPECT_EQ(cal.format_local(due), "2026-12-21T11:30:00+01:00");
  EXPECT_EQ(cal.between(at("2026-12-18T16:00:00+01:00"), due), hours{4});
}

TEST(BusinessCalendar, ChristmasEveIsAWorkingDayChristmasIsNot) {
  const BusinessCalendar cal(testing::netcor());
  // Wed 23rd 16:00 + 4 h: 1 h Wednesday, 3 h on Thursday the 24th.
  EXPECT_EQ(cal.add(at("2026-12-23T16:00:00+01:00"), hours{4}), at("2026-12-24T11:30:00+01:00"));
  // Thu 24th 16:00 + 4 h: 1 h Thursday; 25th, 26th (Sat) and 27th closed; Mon 28th 11:30.
  EXPECT_EQ(cal.add(at("2026-12-24T16:00:00+01:00"), hours{4}), at("2026-12-28T11:30:00+01:00"));
  EXPECT_TRUE(cal.is_open(at("2026-12-24T10:00:00+01:00")));
  EXPECT_FALSE(cal.is_open(at("2026-12-25T10:00:00+01:00")));
  EXPECT_TRUE(cal.is_holiday({2026, 12, 25}));
  EXPECT_FALSE(cal.is_holiday({2026, 12, 24}));
}

TEST(BusinessCalendar, AcrossTheYearEnd) {
  const BusinessCalendar cal(testing::netcor());
  // Thu 31st 16:00 + 8.5 h: 1 h on the 31st, New Year's Day (Fri) closed, Mon 4th 16:00.
  EXPECT_EQ(cal.add(at("2026-12-31T16:00:00+01:00"), netcor_day), at("2027-01-04T16:00:00+01:00"));
  // Dec 18 16:00 .. Jan 4 16:00: 1 h + 21st-24th (4 days) + 28th-31st (4 days) + 7.5 h.
  EXPECT_EQ(cal.between(at("2026-12-18T16:00:00+01:00"), at("2027-01-04T16:00:00+01:00")),
            hours{1} + 8 * netcor_day + hours{7} + minutes{30});
}

TEST(BusinessCalendar, StartBeforeInsideAfterHoursAndOnAHoliday) {
  const BusinessCalendar cal(testing::netcor());
  // Before opening: counting starts at 08:30.
  EXPECT_EQ(cal.add(at("2026-06-15T07:00:00+02:00"), hours{1}), at("2026-06-15T09:30:00+02:00"));
  // Inside hours.
  EXPECT_EQ(cal.add(at("2026-06-15T10:15:00+02:00"), hours{2}), at("2026-06-15T12:15:00+02:00"));
  // After closing: the next morning.
  EXPECT_EQ(cal.add(at("2026-06-15T18:00:00+02:00"), hours{1}), at("2026-06-16T09:30:00+02:00"));
  // On a weekend.
  EXPECT_EQ(cal.add(at("2026-06-13T12:00:00+02:00"), hours{1}), at("2026-06-15T09:30:00+02:00"));
  // On a holiday (Christmas, Friday): the next open day is Monday the 28th.
  EXPECT_EQ(cal.add(at("2026-12-25T10:00:00+01:00"), hours{1}), at("2026-12-28T09:30:00+01:00"));
  // On Ascension Day (Thursday 14 May 2026): Friday.
  EXPECT_EQ(cal.add(at("2026-05-14T09:00:00+02:00"), hours{1}), at("2026-05-15T09:30:00+02:00"));
}

TEST(BusinessCalendar, DurationEndingAtClosingTimeEndsThere) {
  const BusinessCalendar cal(testing::netcor());
  EXPECT_EQ(cal.add(at("2026-12-18T16:00:00+01:00"), hours{1}), at("2026-12-18T17:00:00+01:00"));
  // One millisecond more spills into Monday.
  EXPECT_EQ(cal.add(at("2026-12-18T16:00:00+01:00"), hours{1} + milliseconds{1}),
            at("2026-12-21T08:30:00.001+01:00"));
}

TEST(BusinessCalendar, ZeroDuration) {
  const BusinessCalendar cal(testing::netcor());
  EXPECT_EQ(cal.add(at("2026-06-15T10:00:00+02:00"), milliseconds{0}),
            at("2026-06-15T10:00:00+02:00"));
  // Outside hours, zero means "at the next opening".
  EXPECT_EQ(cal.add(at("2026-06-13T10:00:00+02:00"), milliseconds{0}),
            at("2026-06-15T08:30:00+02:00"));
  EXPECT_EQ(cal.between(at("2026-06-15T10:00:00+02:00"), at("2026-06-15T10:00:00+02:00")),
            milliseconds{0});
}

TEST(BusinessCalendar, NegativeDurationsAreRefused) {
  const BusinessCalendar cal(testing::netcor());
  EXPECT_THROW(cal.add(at("2026-06-15T10:00:00+02:00"), -milliseconds{1}), InvalidArgument);
  EXPECT_THROW(cal.add_business_days(at("2026-06-15T10:00:00+02:00"), -1), InvalidArgument);
}

TEST(BusinessCalendar, BetweenIsAntisymmetricAndHalfOpen) {
  const BusinessCalendar cal(testing::netcor());
  const Timestamp a = at("2026-06-15T16:00:00+02:00");
  const Timestamp b = at("2026-06-16T09:00:00+02:00");
  EXPECT_EQ(cal.between(a, b), hours{1} + minutes{30});
  EXPECT_EQ(cal.between(b, a), -(hours{1} + minutes{30}));
  // [08:30, 17:00): the opening instant counts, the closing instant does not.
  EXPECT_EQ(cal.between(at("2026-06-15T08:30:00+02:00"), at("2026-06-15T08:30:00.001+02:00")),
            milliseconds{1});
  EXPECT_EQ(cal.between(at("2026-06-15T17:00:00+02:00"), at("2026-06-15T17:00:00.001+02:00")),
            milliseconds{0});
  EXPECT_TRUE(cal.is_open(at("2026-06-15T08:30:00+02:00")));
  EXPECT_FALSE(cal.is_open(at("2026-06-15T17:00:00+02:00")));
}

TEST(BusinessCalendar, NextOpening) {
  const BusinessCalendar cal(testing::netcor());
  EXPECT_EQ(cal.next_opening(at("2026-06-15T10:00:00+02:00")), at("2026-06-15T10:00:00+02:00"));
  EXPECT_EQ(cal.next_opening(at("2026-06-15T17:00:00+02:00")), at("2026-06-16T08:30:00+02:00"));
  EXPECT_EQ(cal.next_opening(at("2026-12-24T17:30:00+01:00")), at("2026-12-28T08:30:00+01:00"));
  // Easter 2026: Good Friday (3 April) to Easter Monday (6 April) closed.
  EXPECT_EQ(cal.next_opening(at("2026-04-02T18:00:00+02:00")), at("2026-04-07T08:30:00+02:00"));
}

TEST(BusinessCalendar, SeveralIntervalsPerDay) {
  const BusinessCalendar cal(
      testing::weekdays("split", "Europe/Berlin", {{hm(8, 0), hm(12, 0)}, {hm(13, 0), hm(17, 0)}}));
  // 1 h before lunch, 1 h after.
  EXPECT_EQ(cal.add(at("2026-06-15T11:00:00+02:00"), hours{2}), at("2026-06-15T14:00:00+02:00"));
  // Exactly the morning's rest: ends at 12:00, not 13:00.
  EXPECT_EQ(cal.add(at("2026-06-15T11:00:00+02:00"), hours{1}), at("2026-06-15T12:00:00+02:00"));
  // Starting at lunch counts from 13:00.
  EXPECT_EQ(cal.add(at("2026-06-15T12:30:00+02:00"), hours{1}), at("2026-06-15T14:00:00+02:00"));
  EXPECT_FALSE(cal.is_open(at("2026-06-15T12:30:00+02:00")));
  EXPECT_EQ(cal.next_opening(at("2026-06-15T12:30:00+02:00")), at("2026-06-15T13:00:00+02:00"));
  EXPECT_EQ(cal.between(at("2026-06-15T07:00:00+02:00"), at("2026-06-15T20:00:00+02:00")),
            hours{8});
  // A whole week: 5 x 8 h.
  EXPECT_EQ(cal.between(at("2026-06-15T00:00:00+02:00"), at("2026-06-22T00:00:00+02:00")),
            hours{40});
}

TEST(BusinessCalendar, LeapDay2028) {
  const BusinessCalendar plain(testing::netcor());
  // Monday 28 Feb 16:00 + one working day: 1 h Monday, 7.5 h on Tuesday 29 Feb.
  EXPECT_EQ(plain.add(at("2028-02-28T16:00:00+01:00"), netcor_day),
            at("2028-02-29T16:00:00+01:00"));
  EXPECT_EQ(plain.local_date(at("2028-02-29T16:00:00+01:00")), (CivilDate{2028, 2, 29}));
  auto spec = testing::netcor();
  spec.holidays.push_back(testing::fixed("Schalttag", 2, 29));
  const BusinessCalendar leap_off(spec);
  EXPECT_TRUE(leap_off.is_holiday({2028, 2, 29}));
  EXPECT_EQ(leap_off.add(at("2028-02-28T16:00:00+01:00"), netcor_day),
            at("2028-03-01T16:00:00+01:00"));
  // In a year without 29 February the rule changes nothing.
  EXPECT_EQ(leap_off.add(at("2027-02-26T16:00:00+01:00"), netcor_day),
            at("2027-03-01T16:00:00+01:00"));
}

TEST(BusinessCalendar, SixtyBusinessDaysWalkDayByDay) {
  const BusinessCalendar cal(testing::netcor());
  // Mon 5 Jan 2026 08:30 + 60 full days: Jan 5-30, Feb 2-27, Mar 2-27 (no holidays).
  EXPECT_EQ(cal.add(at("2026-01-05T08:30:00+01:00"), 60 * netcor_day),
            at("2026-03-27T17:00:00+01:00"));
  // Across Good Friday, Easter Monday, May Day, Ascension and Whit Monday: 60 days from
  // Mon 30 March 2026 end on Friday 26 June (13 weeks = 65 weekdays, 5 of them holidays).
  EXPECT_EQ(cal.add(at("2026-03-30T08:30:00+02:00"), 60 * netcor_day),
            at("2026-06-26T17:00:00+02:00"));
  EXPECT_EQ(cal.between(at("2026-03-30T08:30:00+02:00"), at("2026-06-26T17:00:00+02:00")),
            60 * netcor_day);
}

TEST(BusinessCalendar, UsCalendarObservesHolidaysOnTheirObservedDay) {
  const BusinessCalendar cal(testing::weekdays("us", "America/New_York", {{hm(9, 0), hm(17, 0)}},
                                               testing::us_federal_holidays()));
  // July 4th 2026 is a Saturday: Friday 3rd is off.
  EXPECT_EQ(cal.add(at("2026-07-02T16:00:00-04:00"), hours{2}), at("2026-07-06T10:00:00-04:00"));
  // Thanksgiving Thursday 26 Nov 2026.
  EXPECT_FALSE(cal.is_open(at("2026-11-26T10:00:00-05:00")));
  EXPECT_TRUE(cal.is_open(at("2026-11-27T10:00:00-05:00")));
}

TEST(BusinessCalendar, AlwaysOpenIsPlainAddition) {
  const BusinessCalendar cal(testing::always_open("Europe/Berlin"));
  EXPECT_TRUE(cal.always_open());
  const Timestamp start = at("2026-12-18T16:00:00+01:00");
  EXPECT_EQ(cal.add(start, hours{100}), start + hours{100});
  EXPECT_EQ(cal.between(start, start + hours{100}), hours{100});
  EXPECT_TRUE(cal.is_open(at("2026-12-25T03:00:00+01:00")));
  EXPECT_TRUE(cal.holidays(2026).empty());
  // No zone given: UTC.
  auto spec = testing::always_open("");
  EXPECT_EQ(BusinessCalendar(spec).time_zone(), "UTC");
}

TEST(BusinessCalendar, Accessors) {
  const BusinessCalendar cal(testing::netcor());
  EXPECT_EQ(cal.name(), "netcor-business");
  EXPECT_EQ(cal.time_zone(), "Europe/Berlin");
  EXPECT_FALSE(cal.always_open());
  EXPECT_EQ(cal.spec().weekly_hours[0].size(), 1U);
  EXPECT_EQ(cal.holidays(2026).size(), 9U);
  EXPECT_EQ(cal.local_date(at("2026-12-31T23:30:00Z")), (CivilDate{2027, 1, 1}));
  EXPECT_EQ(cal.format_local(at("2026-07-01T10:00:00.250Z")), "2026-07-01T12:00:00.250+02:00");
  // Copies share the implementation and agree.
  const BusinessCalendar copy = cal;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(copy.add(at("2026-12-18T16:00:00+01:00"), hours{4}), at("2026-12-21T11:30:00+01:00"));
}

TEST(BusinessCalendar, ConcurrentUseFillsTheHolidayCacheSafely) {
  const BusinessCalendar cal(testing::netcor());
  std::vector<std::thread> threads;
  std::vector<Timestamp> results(4);
  threads.reserve(results.size());
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cal, &results, t] {
      // Each thread walks twenty years, so all of them fill the cache at once.
      Timestamp cursor = at("2026-01-05T08:30:00+01:00");
      for (int i = 0; i < 20; ++i) {
        cursor = cal.add(cursor, 250 * netcor_day);
      }
      results[static_cast<std::size_t>(t)] = cursor;
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (const Timestamp& result : results) {
    EXPECT_EQ(result, results[0]);
  }
  EXPECT_EQ(cal.between(at("2026-01-05T08:30:00+01:00"), results[0]), 20 * 250 * netcor_day);
}

TEST(BusinessCalendar, RefusesInstantsOutsideTheSupportedYears) {
  const BusinessCalendar cal(testing::netcor());
  EXPECT_THROW(cal.add(Timestamp{} - hours{24 * 365 * 500}, hours{1}), InvalidArgument);
  EXPECT_THROW(cal.add(at("9998-12-30T00:00:00Z"), hours{24 * 30}), InvalidArgument);
  const BusinessCalendar always(testing::always_open("UTC"));
  EXPECT_THROW(always.add(at("2026-01-01T00:00:00Z"), milliseconds::max()), InvalidArgument);
  EXPECT_THROW(always.add_business_days(at("2026-01-01T00:00:00Z"), 4'000'000), InvalidArgument);
}

}  // namespace
}  // namespace supportgw::calendar
