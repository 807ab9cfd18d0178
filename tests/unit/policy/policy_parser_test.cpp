// A complete policy parses into exactly the model it describes.

#include "core/policy/policy_parser.hpp"

#include <gtest/gtest.h>

#include "core/util/error.hpp"
#include "sample_policy.hpp"

namespace supportgw::policy {
namespace {

using calendar::HolidayRuleKind;
using calendar::Observance;
using calendar::OpenInterval;
using std::chrono::minutes;

class SamplePolicy : public ::testing::Test {
 protected:
  Policy policy = parse_policy(testing::kSamplePolicy, "sample.toml");
};

TEST_F(SamplePolicy, Vendor) {
  EXPECT_EQ(policy.source, "sample.toml");
  EXPECT_EQ(policy.vendor.name, "Acme");
  EXPECT_EQ(policy.vendor.reference_format, "AC-{yyyy}-{seq:4}");
  EXPECT_EQ(policy.vendor.time_zone, "Europe/Berlin");
  EXPECT_EQ(policy.vendor.language, "en");
  EXPECT_EQ(policy.vendor.status_page, "https://status.acme.example");
}

TEST_F(SamplePolicy, BusinessCalendar) {
  const calendar::CalendarSpec& office = policy.calendar("office");
  EXPECT_EQ(office.name, "office");
  EXPECT_EQ(office.time_zone, "Europe/Berlin");  // the vendor's, by default
  EXPECT_FALSE(office.always_open);
  const std::vector<OpenInterval> split{{480, 720}, {780, 1020}};
  for (int day = 0; day < 4; ++day) {
    EXPECT_EQ(office.weekly_hours[day], split) << day;
  }
  EXPECT_EQ(office.weekly_hours[4], (std::vector<OpenInterval>{{480, 840}}));
  EXPECT_TRUE(office.weekly_hours[5].empty());
  EXPECT_TRUE(office.weekly_hours[6].empty());

  ASSERT_EQ(office.holidays.size(), 4u);
  EXPECT_EQ(office.holidays[0].name, "New Year");
  EXPECT_EQ(office.holidays[0].kind, HolidayRuleKind::fixed_date);
  EXPECT_EQ(office.holidays[0].month, 1u);
  EXPECT_EQ(office.holidays[0].day, 1u);
  EXPECT_EQ(office.holidays[0].observance, Observance::monday_if_weekend);
  EXPECT_EQ(office.holidays[1].kind, HolidayRuleKind::easter_relative);
  EXPECT_EQ(office.holidays[1].easter_offset, -2);
  EXPECT_EQ(office.holidays[1].observance, Observance::on_the_day);
  EXPECT_EQ(office.holidays[2].kind, HolidayRuleKind::nth_weekday);
  EXPECT_EQ(office.holidays[2].weekday, 3u);
  EXPECT_EQ(office.holidays[2].nth, 4);
  EXPECT_EQ(office.holidays[2].month, 11u);
  EXPECT_EQ(office.holidays[2].first_year, 2020);
  EXPECT_EQ(office.holidays[2].last_year, 2030);
  EXPECT_EQ(office.holidays[3].kind, HolidayRuleKind::explicit_dates);
  EXPECT_EQ(office.holidays[3].dates, (std::vector<CivilDate>{{2026, 7, 10}, {2027, 6, 25}}));
}

TEST_F(SamplePolicy, AlwaysOpenCalendar) {
  const calendar::CalendarSpec& always = policy.calendar("always");
  EXPECT_TRUE(always.always_open);
  EXPECT_EQ(always.time_zone, "UTC");
  EXPECT_TRUE(always.holidays.empty());
  EXPECT_THROW((void)policy.calendar("nope"), NotFound);
}

TEST_F(SamplePolicy, People) {
  ASSERT_EQ(policy.contacts.size(), 3u);
  const Contact& alice = policy.contacts.at("alice");
  EXPECT_EQ(alice.name, "Alice");
  EXPECT_EQ(alice.email, "alice@acme.example");
  EXPECT_EQ(alice.pager, "+1 555 0100");
  EXPECT_FALSE(alice.phone);
  EXPECT_EQ(policy.roles.at("director").members, std::vector<std::string>{"dana"});
  const Rotation& rotation = policy.rotations.at("on_call");
  EXPECT_EQ(rotation.time_zone, "Europe/Berlin");
  EXPECT_EQ(rotation.handover_weekday, 0u);
  EXPECT_EQ(rotation.handover_minute, 9 * 60);
  EXPECT_EQ(rotation.start, (CivilDate{2026, 1, 5}));
  EXPECT_EQ(rotation.members, (std::vector<std::string>{"alice", "bob"}));
  ASSERT_EQ(rotation.overrides.size(), 1u);
  EXPECT_EQ(rotation.overrides[0].from, (CivilDate{2026, 12, 24}));
  EXPECT_EQ(rotation.overrides[0].to, (CivilDate{2026, 12, 26}));
  EXPECT_EQ(rotation.overrides[0].member, "bob");
  EXPECT_EQ(rotation.overrides[0].reason, "swap");
  EXPECT_EQ(policy.flags.size(), 2u);
  EXPECT_EQ(policy.flags.at("fee").description, "An after-hours fee may apply");
}

TEST_F(SamplePolicy, SeverityOne) {
  ASSERT_EQ(policy.severities.size(), 2u);
  const Severity& one = policy.severity(1);
  EXPECT_EQ(one.level, 1);
  EXPECT_EQ(one.name, "System Down");
  EXPECT_EQ(one.definition, "Nothing works.");
  EXPECT_EQ(one.keywords, (std::vector<std::string>{"down", "outage"}));
  EXPECT_EQ(one.routes, (std::vector<ChannelRoute>{{"phone", "option-3"}, {"pager", ""}}));
  EXPECT_EQ(one.sla.first_response.within.calendar, "always");
  EXPECT_EQ(one.sla.first_response.within.duration.open_time, minutes(60));
  EXPECT_TRUE(one.sla.first_response.pauses_while_pending_customer);
  ASSERT_TRUE(one.sla.update_interval);
  EXPECT_EQ(one.sla.update_interval->within.duration.kind, Duration::Kind::business_days);
  EXPECT_FALSE(one.sla.update_interval->pauses_while_pending_customer);
  ASSERT_TRUE(one.sla.resolution);
  EXPECT_EQ(one.sla.resolution->within.duration.open_time, minutes(3 * 24 * 60));
  EXPECT_EQ(one.sla.find(SlaKind::resolution), &*one.sla.resolution);
}

TEST_F(SamplePolicy, SeverityOneLadder) {
  const EscalationLadder& ladder = policy.severity(1).escalation;
  EXPECT_EQ(ladder.stop_when, (std::vector<Condition>{Condition::acknowledged, Condition::owned}));
  EXPECT_TRUE(ladder.rearm_on_reopen);
  EXPECT_EQ(ladder.notify_calendar, "office");
  ASSERT_EQ(ladder.steps.size(), 3u);

  const EscalationStep& page = ladder.steps[0];
  EXPECT_EQ(page.label, "page");
  EXPECT_EQ(page.trigger.kind, EscalationTrigger::Kind::elapsed);
  EXPECT_TRUE(page.trigger.after.duration.is_zero());
  EXPECT_EQ(page.unless, std::vector<Condition>{Condition::acknowledged});
  EXPECT_EQ(page.page, (Recipient{Recipient::Kind::rotation, "on_call"}));
  EXPECT_EQ(page.repage_every, minutes(60));
  EXPECT_EQ(page.repage_limit, 5);
  EXPECT_TRUE(page.notify.empty());

  const EscalationStep& warn = ladder.steps[1];
  EXPECT_EQ(warn.label, "step 2");
  EXPECT_EQ(warn.trigger.kind, EscalationTrigger::Kind::share_of_target);
  EXPECT_EQ(warn.trigger.target, SlaKind::first_response);
  EXPECT_DOUBLE_EQ(warn.trigger.share, 0.75);
  EXPECT_EQ(warn.notify, (std::vector<Recipient>{{Recipient::Kind::role, "director"},
                                                 {Recipient::Kind::contact, "alice"}}));
  EXPECT_EQ(warn.notify_calendar, "always");

  const EscalationStep& director = ladder.steps[2];
  EXPECT_EQ(director.trigger.after.duration.open_time, minutes(8 * 60));
  EXPECT_EQ(director.trigger.after.calendar, "always");
  EXPECT_EQ(director.unless, std::vector<Condition>{Condition::resolved});
  EXPECT_FALSE(director.page);
  EXPECT_FALSE(director.notify_calendar);
}

TEST_F(SamplePolicy, SeverityTwo) {
  const Severity& two = policy.severity(2);
  EXPECT_EQ(two.name, "Routine");
  EXPECT_TRUE(two.keywords.empty());
  EXPECT_EQ(two.sla.first_response.within.duration.business_days, 2);
  EXPECT_FALSE(two.sla.update_interval);
  EXPECT_EQ(two.sla.find(SlaKind::resolution), nullptr);
  EXPECT_FALSE(two.escalation.rearm_on_reopen);
  ASSERT_EQ(two.escalation.steps.size(), 1u);
  EXPECT_EQ(two.escalation.steps[0].raise_to_level, 1);
  EXPECT_EQ(two.escalation.steps[0].trigger.after.duration.open_time, minutes(90));
  EXPECT_THROW((void)policy.severity(3), NotFound);
  EXPECT_THROW((void)policy.severity(0), NotFound);
}

TEST_F(SamplePolicy, AfterHours) {
  EXPECT_EQ(policy.after_hours.calendar, "office");
  const AfterHoursRule& one = policy.after_hours.rule_for(1);
  EXPECT_EQ(one.action, AfterHoursAction::page);
  EXPECT_EQ(one.page, (Recipient{Recipient::Kind::rotation, "on_call"}));
  EXPECT_EQ(one.set_flags, (std::map<std::string, std::string>{{"fee", "may apply"}}));
  EXPECT_EQ(policy.after_hours.rule_for(2).action, AfterHoursAction::next_business_day);
}

TEST_F(SamplePolicy, Billing) {
  ASSERT_EQ(policy.billing.groups.size(), 2u);
  EXPECT_FALSE(policy.billing.groups[0].billable);
  EXPECT_TRUE(policy.billing.groups[1].billable);
  EXPECT_EQ(policy.billing.default_group, "Standard");
  ASSERT_EQ(policy.billing.rules.size(), 2u);
  EXPECT_EQ(policy.billing.rules[0].keywords, std::vector<std::string>{"infrastructure"});
  EXPECT_FALSE(policy.billing.rules[0].after_hours);
  const BillingRule& rule = policy.billing.rules[1];
  EXPECT_EQ(rule.after_hours, true);
  EXPECT_EQ(rule.severities, std::vector<int>{1});
  EXPECT_EQ(rule.channels, std::vector<std::string>{"phone"});
  EXPECT_EQ(rule.flags, std::vector<std::string>{"fee"});
}

TEST_F(SamplePolicy, IntakeAndFollowUp) {
  EXPECT_EQ(policy.intake.default_severity, 2);
  EXPECT_EQ(policy.intake.reopen_window, minutes(30 * 24 * 60));
  EXPECT_EQ(policy.intake.required_fields,
            (std::vector<std::string>{"description", "system_details"}));
  EXPECT_EQ(policy.intake.recommended_fields, std::vector<std::string>{"attachment"});
  EXPECT_EQ(policy.intake.custom_fields.at("system_details"), "System details");
  EXPECT_EQ(policy.intake.guidance, "For an outage, call the hotline.");
  EXPECT_TRUE(policy.follow_up.reference_in_subject);
  EXPECT_FALSE(policy.follow_up.reference_in_body);
  EXPECT_EQ(policy.follow_up.customer_ticket_pattern, "INC[0-9]{7}");
  EXPECT_TRUE(policy.follow_up.match_sender_and_subject);
  EXPECT_EQ(policy.follow_up.unreferenced_flag, "bypass");
}

TEST_F(SamplePolicy, ProductsAndEndOfSupport) {
  ASSERT_EQ(policy.products.size(), 1u);
  const Product* widget = policy.find_product("Widget");
  ASSERT_NE(widget, nullptr);
  EXPECT_EQ(policy.find_product("Gadget"), nullptr);
  EXPECT_EQ(widget->required_fields, std::vector<std::string>{"product_version"});
  EXPECT_EQ(widget->supported_days_after_replacement, 180);
  ASSERT_EQ(widget->versions.size(), 3u);
  // 1.0 is replaced by 2.0 on 2026-01-15: supported 180 days more, to 2026-07-14.
  EXPECT_EQ(end_of_support(*widget, 0), (CivilDate{2026, 7, 14}));
  // 2.0 is replaced by 3.0 on 2026-06-01 -> 2026-11-28.
  EXPECT_EQ(end_of_support(*widget, 1), (CivilDate{2026, 11, 28}));
  // 3.0 has an explicit end.
  EXPECT_EQ(end_of_support(*widget, 2), (CivilDate{2030, 12, 31}));
}

TEST(PolicyDefaults, OptionalTablesMayBeLeftOut) {
  const Policy policy = parse_policy(R"(
[vendor]
name = "Tiny"
reference_format = "T{seq}"
time_zone = "America/Chicago"
language = "en-US"
[calendars.always]
always_open = true
[[severity]]
level = 1
name = "Only"
definition = "All requests."
sla.first_response = { within = "4h", calendar = "always" }
[after_hours]
calendar = "always"
[[after_hours.rule]]
severities = [1]
action = "next_business_day"
[intake]
default_severity = 1
reopen_window = "0m"
)",
                                     "tiny.toml");
  EXPECT_TRUE(policy.contacts.empty());
  EXPECT_TRUE(policy.billing.groups.empty());
  EXPECT_FALSE(policy.billing.default_group);
  EXPECT_TRUE(policy.products.empty());
  EXPECT_TRUE(policy.follow_up.reference_in_subject);
  EXPECT_TRUE(policy.follow_up.reference_in_body);
  EXPECT_FALSE(policy.follow_up.match_sender_and_subject);
  EXPECT_TRUE(policy.severity(1).escalation.steps.empty());
  EXPECT_TRUE(policy.severity(1).escalation.rearm_on_reopen);
  EXPECT_EQ(policy.intake.reopen_window, minutes(0));
}

TEST(PolicyUploads, TokenLifetimeAndRetentionAreOptional) {
  const Policy without = parse_policy(testing::kSamplePolicy, "sample.toml");
  EXPECT_EQ(without.uploads.token_lifetime, minutes(0));
  EXPECT_EQ(without.uploads.retention, minutes(0));
  const Policy with = parse_policy(std::string(testing::kSamplePolicy) +
                                       "[uploads]\ntoken_lifetime = \"30d\"\nretention = "
                                       "\"12w\"\n",
                                   "sample.toml");
  EXPECT_EQ(with.uploads.token_lifetime, std::chrono::hours(24 * 30));
  EXPECT_EQ(with.uploads.retention, std::chrono::hours(24 * 7 * 12));
}

}  // namespace
}  // namespace supportgw::policy
