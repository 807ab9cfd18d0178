// Properties that must hold for every start and duration, checked on random cases from a
// fixed seed: add and between are inverse, add is monotonic, between is additive.

#include <random>
#include <string>

#include <gtest/gtest.h>

#include "core/calendar/business_calendar.hpp"
#include "tests/unit/calendar/calendar_specs.hpp"

namespace supportgw::calendar {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using testing::hm;

std::vector<BusinessCalendar> calendars() {
  CalendarSpec sundays;
  sundays.name = "berlin-sundays";
  sundays.time_zone = "Europe/Berlin";
  sundays.weekly_hours[6] = {{0, hm(24, 0)}};

  CalendarSpec night_shift;  // hours that touch the DST changes at 01:00-04:00
  night_shift.name = "chicago-night";
  night_shift.time_zone = "America/Chicago";
  for (auto& day : night_shift.weekly_hours) {
    day = {{hm(1, 0), hm(2, 30)}, {hm(2, 45), hm(4, 0)}, {hm(22, 0), hm(24, 0)}};
  }
  night_shift.holidays = testing::us_federal_holidays();

  return {
      BusinessCalendar(testing::netcor()),
      BusinessCalendar(testing::weekdays("la-split", "America/Los_Angeles",
                                         {{hm(8, 0), hm(12, 0)}, {hm(13, 0), hm(17, 0)}},
                                         testing::us_federal_holidays())),
      BusinessCalendar(testing::weekdays("auckland", "Pacific/Auckland", {{hm(9, 0), hm(17, 0)}},
                                         testing::nz_holidays())),
      BusinessCalendar(sundays),
      BusinessCalendar(night_shift),
      BusinessCalendar(testing::always_open("Pacific/Auckland")),
  };
}

class RoundTrip : public ::testing::TestWithParam<std::size_t> {};

TEST_P(RoundTrip, BetweenUndoesAdd) {
  const BusinessCalendar cal = calendars().at(GetParam());
  std::mt19937_64 random(20261218 + GetParam());
  // Starts anywhere in 2026-2028 (two DST changes a year in every zone), to the ms.
  const Timestamp first = parse_iso8601("2026-01-01T00:00:00Z");
  std::uniform_int_distribution<std::int64_t> start_offset(0, 3LL * 365 * 24 * 3600 * 1000);
  std::uniform_int_distribution<std::int64_t> duration_ms(0, 200LL * 3600 * 1000);
  for (int i = 0; i < 400; ++i) {
    const Timestamp start = first + milliseconds{start_offset(random)};
    // Mostly arbitrary durations, sometimes round hours so ends land on closing times.
    const milliseconds d =
        i % 4 == 0 ? hours{duration_ms(random) / (3600 * 1000)} : milliseconds{duration_ms(random)};
    SCOPED_TRACE(cal.name() + " start " + format_utc(start) + " + " + std::to_string(d.count()) +
                 " ms");
    const Timestamp end = cal.add(start, d);
    ASSERT_GE(end, start);
    ASSERT_EQ(cal.between(start, end), d);
    ASSERT_EQ(cal.between(end, start), -d);
    if (d > milliseconds{0}) {
      // The last millisecond counted was open, and nothing earlier would do.
      ASSERT_TRUE(cal.is_open(end - milliseconds{1}));
      ASSERT_LT(cal.between(start, end - milliseconds{1}), d);
    } else {
      ASSERT_EQ(end, cal.next_opening(start));
    }
    // Monotonic in the duration, and additive: (start + d1) + d2 lands where start +
    // (d1 + d2) does, once the intermediate point is moved to an opening.
    const milliseconds d1 = d / 3;
    const Timestamp middle = cal.add(start, d1);
    ASSERT_LE(middle, end);
    ASSERT_EQ(cal.between(start, middle) + cal.between(middle, end), d);
    if (d - d1 > milliseconds{0}) {
      ASSERT_EQ(cal.add(middle, d - d1), end);
    }
    // next_opening is open and nothing between start and it is.
    const Timestamp opening = cal.next_opening(start);
    ASSERT_TRUE(cal.is_open(opening));
    ASSERT_EQ(cal.between(start, opening), milliseconds{0});
  }
}

TEST_P(RoundTrip, AddBusinessDaysLandsOnAnOpenInstantOrAClosingTime) {
  const BusinessCalendar cal = calendars().at(GetParam());
  std::mt19937_64 random(4242 + GetParam());
  const Timestamp first = parse_iso8601("2026-01-01T00:00:00Z");
  std::uniform_int_distribution<std::int64_t> start_offset(0, 3LL * 365 * 24 * 3600 * 1000);
  std::uniform_int_distribution<int> days(0, 30);
  for (int i = 0; i < 200; ++i) {
    const Timestamp start = first + milliseconds{start_offset(random)};
    const int n = days(random);
    SCOPED_TRACE(cal.name() + " start " + format_utc(start) + " + " + std::to_string(n) + " days");
    const Timestamp result = cal.add_business_days(start, n);
    ASSERT_GE(result, cal.next_opening(start));
    ASSERT_TRUE(cal.is_open(result) || cal.is_open(result - milliseconds{1}));
    // More days never give an earlier result.
    ASSERT_LE(result, cal.add_business_days(start, n + 1));
  }
}

INSTANTIATE_TEST_SUITE_P(Calendars, RoundTrip, ::testing::Range<std::size_t>(0, 6),
                         [](const ::testing::TestParamInfo<std::size_t>& info) {
                           std::string name = calendars().at(info.param).name();
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace supportgw::calendar
