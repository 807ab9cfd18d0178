// CalendarSet: every calendar of a policy, built once and found by name.

#include <gtest/gtest.h>

#include "core/util/error.hpp"
#include "tests/unit/sla/example_policy.hpp"

namespace supportgw::sla {
namespace {

using testing::example;

TEST(CalendarSet, HoldsEveryCalendarOfThePolicy) {
  const policy::Policy policy = example("netex");
  const CalendarSet calendars(policy);
  EXPECT_EQ(calendars.get("business").time_zone(), "America/Chicago");
  EXPECT_FALSE(calendars.get("business").always_open());
  // A 24x7 calendar without a zone of its own takes the vendor's.
  EXPECT_TRUE(calendars.get("24x7").always_open());
}

TEST(CalendarSet, UnknownNameIsNotFoundAndListsTheKnownOnes) {
  const policy::Policy policy = example("netcor");
  const CalendarSet calendars(policy);
  try {
    (void)calendars.get("business");
    FAIL() << "expected NotFound";
  } catch (const NotFound& error) {
    EXPECT_STREQ(error.what(),
                 "no calendar named 'business' (the policy defines: geschaeftszeiten)");
  }
}

TEST(CalendarSet, BadCalendarNamesThePolicyAndTheCalendar) {
  policy::Policy policy = example("netcor");
  policy.calendars.at("geschaeftszeiten").time_zone = "Mars/Olympus_Mons";
  try {
    const CalendarSet calendars(policy);
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.rfind(policy.source + ": calendar 'geschaeftszeiten': ", 0), 0u) << message;
    EXPECT_NE(message.find("Mars/Olympus_Mons"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace supportgw::sla
