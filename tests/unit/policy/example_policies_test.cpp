// The five seed vendors' deployments load, and say what their seeds say.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/policy/policy_parser.hpp"

namespace supportgw::policy {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

Policy example(std::string_view vendor) {
  return load_policy(std::filesystem::path(SUPPORTGW_EXAMPLES_DIR) / vendor / "policy.toml");
}

TEST(ExamplePolicies, AllFiveLoad) {
  for (std::string_view vendor : {"ne-t", "netex", "onenet", "jetnet", "netcor"}) {
    EXPECT_NO_THROW((void)example(vendor)) << vendor;
  }
}

TEST(ExamplePolicies, Netcor) {
  const Policy policy = example("netcor");
  EXPECT_EQ(policy.vendor.time_zone, "Europe/Berlin");
  EXPECT_EQ(policy.vendor.language, "de");
  const auto& hours_of = policy.calendar("geschaeftszeiten").weekly_hours;
  for (int day = 0; day < 5; ++day) {
    EXPECT_EQ(hours_of[day], (std::vector<calendar::OpenInterval>{{8 * 60 + 30, 17 * 60}}));
  }
  EXPECT_TRUE(hours_of[5].empty() && hours_of[6].empty());
  ASSERT_EQ(policy.severities.size(), 4u);
  EXPECT_EQ(policy.severity(1).name, "Kritisch");
  EXPECT_EQ(policy.severity(1).sla.first_response.within.duration.open_time, hours(4));
  ASSERT_TRUE(policy.severity(1).sla.update_interval);  // "täglich verfolgt"
  EXPECT_EQ(policy.severity(1).sla.update_interval->within.duration.business_days, 1);
  EXPECT_EQ(policy.severity(2).name, "Hoch");
  EXPECT_EQ(policy.severity(2).sla.first_response.within.duration.open_time, hours(8));
  EXPECT_EQ(policy.severity(3).name, "Mittel");
  EXPECT_EQ(policy.severity(3).sla.first_response.within.duration.business_days, 2);
  EXPECT_EQ(policy.severity(4).name, "Niedrig");
  EXPECT_EQ(policy.severity(4).sla.first_response.within.duration.business_days, 4);
  EXPECT_EQ(policy.intake.required_fields,
            (std::vector<std::string>{"product_version", "system_details", "description"}));
  EXPECT_EQ(policy.intake.recommended_fields, std::vector<std::string>{"attachment"});
}

TEST(ExamplePolicies, NetexEscalationTable) {
  const Policy policy = example("netex");
  struct Row {
    int level;
    minutes director;
    minutes president;
  };
  for (const Row& row :
       {Row{1, hours(8), hours(24)}, Row{2, hours(3 * 24), hours(7 * 24)},
        Row{3, hours(10 * 24), hours(14 * 24)}, Row{4, hours(45 * 24), hours(60 * 24)}}) {
    const EscalationLadder& ladder = policy.severity(row.level).escalation;
    ASSERT_EQ(ladder.steps.size(), 2u) << row.level;
    EXPECT_EQ(ladder.steps[0].trigger.after.duration.open_time, row.director) << row.level;
    EXPECT_EQ(ladder.steps[0].notify[0].name, "director_customer_services");
    EXPECT_EQ(ladder.steps[1].trigger.after.duration.open_time, row.president) << row.level;
    EXPECT_EQ(ladder.steps[1].notify[0].name, "president_general_manager");
    EXPECT_EQ(ladder.notify_calendar.has_value(), row.level != 1) << row.level;
  }
  EXPECT_TRUE(policy.calendar("24x7").always_open);
  EXPECT_EQ(policy.after_hours.rule_for(1).action, AfterHoursAction::page);
  const Product* product = policy.find_product("USER-Access");
  ASSERT_NE(product, nullptr);
  EXPECT_EQ(product->supported_days_after_replacement, 180);
}

TEST(ExamplePolicies, JetnetPagesAndRepagesHourly) {
  const Policy policy = example("jetnet");
  EXPECT_EQ(policy.vendor.time_zone, "America/Los_Angeles");
  EXPECT_EQ(policy.vendor.status_page, "http://www.jet.net/status/");
  const Severity& emergency = policy.severity(1);
  EXPECT_EQ(emergency.routes, (std::vector<ChannelRoute>{{"phone", "option-3"}}));
  EXPECT_EQ(emergency.sla.first_response.within.duration.open_time, hours(1));
  EXPECT_TRUE(policy.calendar(emergency.sla.first_response.within.calendar).always_open);
  const EscalationStep& page = emergency.escalation.steps.at(0);
  EXPECT_TRUE(page.trigger.after.duration.is_zero());
  EXPECT_EQ(page.page->kind, Recipient::Kind::rotation);
  EXPECT_EQ(page.repage_every, hours(1));
  EXPECT_EQ(policy.severity(2).name, "Routine");
}

TEST(ExamplePolicies, OnenetBillingAndHolidays) {
  const Policy policy = example("onenet");
  EXPECT_EQ(policy.vendor.time_zone, "Pacific/Auckland");
  std::vector<std::string> groups;
  for (const BillingGroup& group : policy.billing.groups) {
    groups.push_back(group.name);
  }
  EXPECT_EQ(groups,
            (std::vector<std::string>{"Unbillable", "Service Desk", "Engineering", "After Hours"}));
  const auto& holidays = policy.calendar("service_hours").holidays;
  const auto matariki = std::find_if(holidays.begin(), holidays.end(),
                                     [](const auto& rule) { return rule.name == "Matariki"; });
  ASSERT_NE(matariki, holidays.end());
  EXPECT_EQ(matariki->kind, calendar::HolidayRuleKind::explicit_dates);
  EXPECT_GT(policy.intake.reopen_window.count(), 0);  // a reply re-opens a solved ticket
  EXPECT_EQ(policy.after_hours.rule_for(1).set_flags.count("after_hours_fee"), 1u);
}

TEST(ExamplePolicies, NetFollowUpsAndFees) {
  const Policy policy = example("ne-t");
  EXPECT_EQ(policy.vendor.time_zone, "America/New_York");
  EXPECT_EQ(policy.after_hours.rule_for(1).action, AfterHoursAction::page);
  EXPECT_EQ(policy.after_hours.rule_for(1).set_flags.count("emergency_fee"), 1u);
  EXPECT_EQ(policy.after_hours.rule_for(2).action, AfterHoursAction::next_business_day);
  EXPECT_EQ(policy.severity(1).routes, (std::vector<ChannelRoute>{{"phone", "press-2"}}));
  EXPECT_EQ(policy.flags.count("bypass"), 1u);
  EXPECT_EQ(policy.follow_up.unreferenced_flag, "unreferenced_follow_up");
  EXPECT_TRUE(policy.follow_up.match_sender_and_subject);
}

// docs/policy.md ends with "A complete example"; it must stay a policy that loads.
TEST(ExamplePolicies, TheDocumentedCompleteExampleLoads) {
  std::ifstream in(std::filesystem::path(SUPPORTGW_EXAMPLES_DIR) / ".." / "docs" / "policy.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string docs = text.str();
  const auto heading = docs.find("## A complete example");
  ASSERT_NE(heading, std::string::npos);
  const auto start = docs.find("```toml\n", heading);
  ASSERT_NE(start, std::string::npos);
  const auto end = docs.find("```", start + 8);
  ASSERT_NE(end, std::string::npos);
  const Policy policy = parse_policy(docs.substr(start + 8, end - start - 8), "docs/policy.md");
  EXPECT_EQ(policy.vendor.name, "Acme Networks");
  EXPECT_EQ(policy.severities.size(), 2u);
}

}  // namespace
}  // namespace supportgw::policy
