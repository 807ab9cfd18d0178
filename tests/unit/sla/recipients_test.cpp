// Who is notified: roles expand to members, rotations to the contact on call then.

#include "core/sla/recipients.hpp"

#include <gtest/gtest.h>

#include "core/policy/policy_parser.hpp"

namespace supportgw {
namespace {

policy::Policy netex() {
  return policy::load_policy(std::string(SUPPORTGW_EXAMPLES_DIR) + "/netex/policy.toml");
}

std::string on_call_at(const policy::Policy& policy, const char* iso) {
  return sla::on_call(policy, policy.rotations.at("after_hours_analyst"), parse_iso8601(iso)).id;
}

TEST(OnCallRotation, TurnsPassWeeklyAtTheLocalHandover) {
  const auto policy = netex();  // analysts a, b from Monday 2026-01-05 08:00 Chicago
  EXPECT_EQ(on_call_at(policy, "2026-01-05T08:00:00-06:00"), "analyst_a");
  EXPECT_EQ(on_call_at(policy, "2026-01-12T07:59:00-06:00"), "analyst_a");
  EXPECT_EQ(on_call_at(policy, "2026-01-12T08:00:00-06:00"), "analyst_b");
  EXPECT_EQ(on_call_at(policy, "2026-01-19T08:00:00-06:00"), "analyst_a");
  // Across the spring DST change the handover stays at 08:00 local (now -05:00).
  EXPECT_EQ(on_call_at(policy, "2026-03-09T07:59:00-05:00"),
            on_call_at(policy, "2026-03-08T12:00:00-05:00"));
  EXPECT_NE(on_call_at(policy, "2026-03-09T08:00:00-05:00"),
            on_call_at(policy, "2026-03-09T07:59:00-05:00"));
}

TEST(OnCallRotation, OverridesWinForWholeLocalDays) {
  auto policy = netex();
  auto& rotation = policy.rotations.at("after_hours_analyst");
  rotation.overrides.push_back(policy::RotationOverride{
      CivilDate{2026, 1, 6}, CivilDate{2026, 1, 7}, "analyst_b", std::string("holiday swap")});
  EXPECT_EQ(on_call_at(policy, "2026-01-05T23:59:00-06:00"), "analyst_a");
  EXPECT_EQ(on_call_at(policy, "2026-01-06T00:00:00-06:00"), "analyst_b");
  EXPECT_EQ(on_call_at(policy, "2026-01-07T23:59:00-06:00"), "analyst_b");
  EXPECT_EQ(on_call_at(policy, "2026-01-08T00:00:00-06:00"), "analyst_a");
}

TEST(Recipients, RolesExpandToTheirMembers) {
  const auto policy = netex();
  const auto contacts = sla::resolve(
      policy, policy::Recipient{policy::Recipient::Kind::role, "director_customer_services"},
      parse_iso8601("2026-01-05T08:00:00Z"));
  ASSERT_EQ(contacts.size(), 1U);
  EXPECT_EQ(contacts[0]->email, "director.customer-services@netex.example");
}

}  // namespace
}  // namespace supportgw
