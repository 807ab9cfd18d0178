// due_time.hpp: how a policy duration becomes an instant, a budget and a breach warning.

#include <gtest/gtest.h>

#include "core/sla/due_time.hpp"
#include "core/util/error.hpp"
#include "tests/unit/sla/example_policy.hpp"

namespace supportgw::sla {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using testing::at;
using testing::example;

policy::Duration open_time(minutes amount) {
  policy::Duration duration;
  duration.open_time = amount;
  return duration;
}

policy::Duration business_days(int days) {
  policy::Duration duration;
  duration.kind = policy::Duration::Kind::business_days;
  duration.business_days = days;
  return duration;
}

class NetcorDueTime : public ::testing::Test {
 protected:
  policy::Policy policy_ = example("netcor");
  CalendarSet calendars_{policy_};
  const calendar::BusinessCalendar& office_ = calendars_.get("geschaeftszeiten");
};

TEST_F(NetcorDueTime, OpenTimeIsAddedInBusinessHours) {
  // The example: 1 h on Friday until 17:00, 3 h from Monday 08:30.
  EXPECT_EQ(due_after(office_, at("2026-12-18T16:00:00+01:00"), open_time(hours(4))),
            at("2026-12-21T11:30:00+01:00"));
  EXPECT_EQ(open_time_budget(office_, at("2026-12-18T16:00:00+01:00"), open_time(hours(4))),
            hours(4));
}

TEST_F(NetcorDueTime, BusinessDaysKeepTheTimeOfDay) {
  EXPECT_EQ(due_after(office_, at("2026-12-18T16:00:00+01:00"), business_days(2)),
            at("2026-12-22T16:00:00+01:00"));
}

TEST_F(NetcorDueTime, BusinessDayBudgetIsTheOpenTimeTheyCover) {
  // Friday 16:00 to Tuesday 16:00: 1 h Friday, 8.5 h Monday, 7.5 h Tuesday.
  EXPECT_EQ(open_time_budget(office_, at("2026-12-18T16:00:00+01:00"), business_days(2)),
            hours(17));
  // Opened on Saturday: counted from Monday 08:30 to Wednesday 08:30, two full days.
  EXPECT_EQ(open_time_budget(office_, at("2026-12-19T10:00:00+01:00"), business_days(2)),
            hours(17));
}

TEST_F(NetcorDueTime, ShareOfOpenTime) {
  EXPECT_EQ(share_due(office_, at("2026-12-18T16:00:00+01:00"), open_time(hours(4)), 0.75),
            at("2026-12-21T10:30:00+01:00"));
  // A third of 4 h is 1:20:00 exactly after rounding to the millisecond.
  EXPECT_EQ(share_due(office_, at("2026-12-21T09:00:00+01:00"), open_time(hours(4)), 1.0 / 3),
            at("2026-12-21T10:20:00+01:00"));
}

TEST_F(NetcorDueTime, FullShareIsTheDueInstantNotTheClosingBeforeIt) {
  // Opened Saturday: two business days end Wednesday 08:30. Adding the whole budget
  // (17 h) would stop at Tuesday 17:00; the breach warning must wait for the breach.
  const Timestamp saturday = at("2026-12-19T10:00:00+01:00");
  EXPECT_EQ(office_.add(saturday, hours(17)), at("2026-12-22T17:00:00+01:00"));
  EXPECT_EQ(share_due(office_, saturday, business_days(2), 1.0), at("2026-12-23T08:30:00+01:00"));
  EXPECT_EQ(due_after(office_, saturday, business_days(2)), at("2026-12-23T08:30:00+01:00"));
}

TEST_F(NetcorDueTime, ShareOutsideZeroToOneIsRefused) {
  const Timestamp start = at("2026-12-18T16:00:00+01:00");
  EXPECT_THROW((void)share_due(office_, start, open_time(hours(4)), 0.0), InvalidArgument);
  EXPECT_THROW((void)share_due(office_, start, open_time(hours(4)), 1.5), InvalidArgument);
  EXPECT_THROW((void)share_due(office_, start, open_time(hours(4)), -0.5), InvalidArgument);
}

TEST(DueTime, AlwaysOpenCalendarCountsRealElapsedTimeAcrossDst) {
  const policy::Policy policy = example("netex");
  const CalendarSet calendars(policy);
  const auto& always = calendars.get("24x7");
  // Saturday 20:00 CST + 8 h is 05:00 CDT: the clocks sprang forward at 02:00.
  EXPECT_EQ(due_after(always, at("2026-03-07T20:00:00-06:00"), open_time(hours(8))),
            at("2026-03-08T05:00:00-05:00"));
  EXPECT_EQ(open_time_budget(always, at("2026-03-07T20:00:00-06:00"), open_time(hours(8))),
            milliseconds(hours(8)));
}

}  // namespace
}  // namespace supportgw::sla
