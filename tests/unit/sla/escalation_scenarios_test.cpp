// Seed vendors' tickets walked through simulated time: every SLA breach and escalation
// step at its instant, re-pages, pauses, reopen, severity changes and catch-up.

#include <gtest/gtest.h>

#include "tests/support/sla_fixture.hpp"

namespace supportgw {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::VendorDeployment;

Timestamp at(const char* iso) { return parse_iso8601(iso); }

std::vector<std::string> texts(const std::vector<Event>& events) {
  std::vector<std::string> out;
  for (const Event& event : events) {
    out.push_back(event.text);
  }
  return out;
}

std::vector<Timestamp> times(const std::vector<Event>& events) {
  std::vector<Timestamp> out;
  for (const Event& event : events) {
    out.push_back(event.at);
  }
  return out;
}

// NetEx: "1 | 8 hours | Director of Customer Services; 24 hours | President and General
// Manager" — wall-clock, whatever the time of day.
TEST(NetExScenario, SeverityOneClimbsTheLadderAtEightAndTwentyFourHours) {
  const Timestamp opened = at("2026-11-24T22:00:00-06:00");  // Tuesday night, Chicago
  VendorDeployment netex("netex", opened);
  const auto ticket = netex.open_ticket(1, "System down");
  EXPECT_EQ(ticket.ticket.reference, "NX-000001");

  netex.walk_to(opened + hours(30));
  const auto escalations = netex.events(ticket.ticket.reference, EventKind::escalated);
  // After hours ("In an after-hours emergency, call ... to reach a technical support
  // analyst"): the analyst on call is paged at once; then the ladder.
  ASSERT_EQ(escalations.size(), 3U) << ::testing::PrintToString(texts(escalations));
  EXPECT_EQ(escalations[0].at, opened);
  EXPECT_NE(escalations[0].text.find("after hours"), std::string::npos);
  EXPECT_EQ(escalations[1].at, opened + hours(8));
  EXPECT_NE(escalations[1].text.find("Director of Customer Services"), std::string::npos);
  EXPECT_EQ(escalations[2].at, opened + hours(24));
  EXPECT_NE(escalations[2].text.find("President and General Manager"), std::string::npos);
  // The 1 h first response target (24x7) was missed at 23:00.
  const auto breaches = netex.events(ticket.ticket.reference, EventKind::sla_breached);
  ASSERT_EQ(breaches.size(), 1U);
  EXPECT_EQ(breaches[0].at, opened + hours(1));

  const auto outbox = netex.outbox(ticket.ticket.reference);
  ASSERT_EQ(outbox.size(), 3U);
  // Week of 2026-11-23 is the rotation's 47th week from 2026-01-05: odd, analyst B.
  EXPECT_EQ(outbox[0].kind, "page");
  EXPECT_EQ(outbox[0].recipient, "+1 651 229 5665");
  EXPECT_EQ(outbox[1].recipient, "director.customer-services@netex.example");
  EXPECT_EQ(outbox[1].next_attempt_at, opened + hours(8));  // severity 1 mail is not held
  EXPECT_EQ(outbox[2].recipient, "president@netex.example");
}

TEST(NetExScenario, ResolvingStopsTheLadderAndRespondingMeetsTheTarget) {
  const Timestamp opened = at("2026-11-24T10:00:00-06:00");
  VendorDeployment netex("netex", opened);
  const auto reference = netex.open_ticket(1).ticket.reference;
  netex.walk_to(opened + minutes(30));
  netex.desk().respond(reference, {"Looking into it", false}, netex.staff());
  netex.walk_to(opened + hours(9));
  netex.desk().resolve(reference, "Fixed", netex.staff());
  netex.walk_to(opened + hours(48));
  EXPECT_TRUE(netex.events(reference, EventKind::sla_breached).empty());
  const auto escalations = netex.events(reference, EventKind::escalated);
  ASSERT_EQ(escalations.size(), 1U);  // the Director at 8 h; the President never
  EXPECT_EQ(escalations[0].at, opened + hours(8));
  const auto clocks = netex.clocks(reference);
  ASSERT_FALSE(clocks.empty());
  EXPECT_EQ(clocks[0].kind, "first_response");
  EXPECT_EQ(clocks[0].met_at, opened + minutes(30));
}

TEST(NetExScenario, LowerSeverityMailWaitsForBusinessHours) {
  // Severity 2: 3 days after Tuesday 23:00 is Friday 23:00; the Director's mail is
  // held by the business calendar until Monday 08:00.
  const Timestamp opened = at("2026-11-24T23:00:00-06:00");
  VendorDeployment netex("netex", opened);
  const auto reference = netex.open_ticket(2).ticket.reference;
  netex.walk_to(opened + hours(24 * 3) + minutes(1));
  const auto escalations = netex.events(reference, EventKind::escalated);
  ASSERT_EQ(escalations.size(), 1U);
  EXPECT_EQ(escalations[0].at, at("2026-11-27T23:00:00-06:00"));
  const auto mail = netex.outbox(reference);
  ASSERT_EQ(mail.size(), 1U);
  EXPECT_EQ(mail[0].next_attempt_at, at("2026-11-30T08:00:00-06:00"));
}

TEST(NetExScenario, ReopenRearmsTheLadderFromTheReopen) {
  const Timestamp opened = at("2026-11-24T10:00:00-06:00");
  VendorDeployment netex("netex", opened);
  const auto reference = netex.open_ticket(1).ticket.reference;
  netex.desk().respond(reference, {"On it", false}, netex.staff());
  netex.walk_to(opened + hours(2));
  netex.desk().resolve(reference, "Done", netex.staff());
  netex.walk_to(opened + hours(5));
  netex.desk().reopen(reference, "Customer: still down", Actor{"customer", "email"});
  netex.walk_to(opened + hours(40));
  const auto escalations = netex.events(reference, EventKind::escalated);
  ASSERT_EQ(escalations.size(), 2U) << ::testing::PrintToString(texts(escalations));
  EXPECT_EQ(escalations[0].at, opened + hours(5 + 8));
  EXPECT_EQ(escalations[1].at, opened + hours(5 + 24));
}

TEST(NetExScenario, RaisingTheSeverityAppliesTheNewLadderFromOpening) {
  const Timestamp opened = at("2026-11-24T10:00:00-06:00");
  VendorDeployment netex("netex", opened);
  const auto reference = netex.open_ticket(3).ticket.reference;
  netex.walk_to(opened + hours(2));
  tickets::TicketUpdate raise;
  raise.severity = 1;
  raise.note = "Customer says production is down";
  netex.desk().update(reference, raise, netex.staff());
  const auto fired = netex.walk_to(opened + hours(30));
  const auto escalations = netex.events(reference, EventKind::escalated);
  ASSERT_EQ(escalations.size(), 2U) << ::testing::PrintToString(texts(escalations));
  EXPECT_EQ(escalations[0].at, opened + hours(8));
  EXPECT_EQ(escalations[1].at, opened + hours(24));
  // The severity 1 first response target (1 h, 24x7) counts from opening: the raise at
  // 2 h finds it already spent and it breaches at once.
  const auto breaches = netex.events(reference, EventKind::sla_breached);
  ASSERT_EQ(breaches.size(), 1U);
  EXPECT_EQ(breaches[0].at, opened + hours(2));
}

TEST(NetExScenario, AfterDowntimeEveryPassedStepFiresOnceInOrderMarkedLate) {
  const Timestamp opened = at("2026-11-24T10:00:00-06:00");
  VendorDeployment netex("netex", opened);
  const auto reference = netex.open_ticket(1).ticket.reference;
  // The gateway is down from just after the intake until 30 h later.
  netex.open();  // restart: the schedule is loaded from the store
  netex.clock().set(opened + hours(30));
  const auto fired = netex.scheduler().run_due(netex.clock().now());
  ASSERT_EQ(fired.size(), 3U);
  EXPECT_EQ(fired[0].action.kind, ScheduleKind::sla_breach);
  EXPECT_EQ(fired[1].action.due_at, opened + hours(8));
  EXPECT_EQ(fired[2].action.due_at, opened + hours(24));
  const auto actions = netex.store().query(
      [&](ReadTransaction& tx) { return tx.ticket_actions(tickets::require(tx, reference).id); });
  for (const ScheduledAction& action : actions) {
    EXPECT_EQ(action.status, ScheduleStatus::fired);
    EXPECT_TRUE(action.late);
  }
  const auto escalations = netex.events(reference, EventKind::escalated);
  ASSERT_EQ(escalations.size(), 2U);
  EXPECT_NE(escalations[0].text.find("late"), std::string::npos) << escalations[0].text;
  // Running again (another restart) fires nothing more.
  netex.open();
  EXPECT_TRUE(netex.scheduler().run_due(netex.clock().now()).empty());
  EXPECT_EQ(netex.events(reference, EventKind::escalated).size(), 2U);
}

// Jet.Net: "A technician will be paged to respond to your request within an hour. If
// you do not hear from a technician within an hour, please resubmit your request."
TEST(JetNetScenario, HotlinePagesAtOnceAndRepagesHourlyUntilAcknowledged) {
  const Timestamp opened = at("2026-11-24T10:00:00-08:00");
  VendorDeployment jetnet("jetnet", opened);
  const auto reference = jetnet.open_ticket(1, "Network outage").ticket.reference;
  jetnet.walk_to(opened + minutes(90));
  jetnet.desk().acknowledge(reference, Actor{"tech:sam", "phone"});
  jetnet.walk_to(opened + hours(5));
  std::vector<OutboxMessage> pages;
  for (const OutboxMessage& message : jetnet.outbox(reference)) {
    if (message.kind == "page") {
      pages.push_back(message);
    }
  }
  ASSERT_EQ(pages.size(), 2U);  // at once, and the re-page after an hour
  EXPECT_EQ(pages[0].created_at, opened);
  EXPECT_EQ(pages[1].created_at, opened + hours(1));
  const auto escalations = jetnet.events(reference, EventKind::escalated);
  // page, "response hour missed" to the manager, re-page; the 2 h re-page is stopped.
  ASSERT_EQ(escalations.size(), 3U) << ::testing::PrintToString(texts(escalations));
  EXPECT_NE(escalations[1].text.find("Response hour missed"), std::string::npos);
}

TEST(JetNetScenario, RoutineRequestWarnsAtTwentyFourAndFortyEightBusinessHours) {
  // Routine: "usually within 24 hours ... up to 48 hours", Mon-Fri 8-5 Pacific.
  const Timestamp opened = at("2026-11-24T09:00:00-08:00");  // Tuesday
  VendorDeployment jetnet("jetnet", opened);
  const auto reference = jetnet.open_ticket(2, "Mailbox quota").ticket.reference;
  jetnet.walk_to(opened + hours(24 * 8));
  const auto escalations = jetnet.events(reference, EventKind::escalated);
  ASSERT_EQ(escalations.size(), 2U) << ::testing::PrintToString(texts(escalations));
  // 2 business days from Tue 09:00 end Thu 09:00 (Thanksgiving, Thu 26th, is a
  // holiday: Fri 09:00); half of that open time is spent on Wed 09:00.
  EXPECT_EQ(escalations[0].at, at("2026-11-25T09:00:00-08:00"));
  EXPECT_EQ(escalations[1].at, at("2026-11-27T09:00:00-08:00"));
}

TEST(JetNetScenario, BusinessDayTargetsEndAtAnOpeningAsTheTimelineSays) {
  // Opened on a Saturday: 2 business days end Wednesday 08:00, not Tuesday 17:00.
  const Timestamp saturday = at("2026-03-28T12:00:00-07:00");
  VendorDeployment jetnet("jetnet", saturday);
  const auto reference = jetnet.open_ticket(2, "Weekend mail problem").ticket.reference;
  for (const SlaClock& clock : jetnet.clocks(reference)) {
    EXPECT_EQ(clock.due_at, at("2026-04-01T08:00:00-07:00")) << clock.kind;
  }
  jetnet.walk_to(at("2026-04-02T00:00:00-07:00"));
  const auto escalations = jetnet.events(reference, EventKind::escalated);
  ASSERT_EQ(escalations.size(), 2U);
  EXPECT_EQ(escalations[1].at, at("2026-04-01T08:00:00-07:00"));  // "48-hour limit passed"
}

// NETCOR: "Die Standardreaktionszeit beträgt 4 Geschäftsstunden" — Friday 16:00 is due
// Monday 11:30 (1 h Friday, 3 h from Monday 08:30).
TEST(NetcorScenario, CriticalFirstResponseRunsInBusinessHours) {
  const Timestamp opened = at("2026-12-18T16:00:00+01:00");
  VendorDeployment netcor("netcor", opened);
  const auto reference = netcor.open_ticket(1, "System steht").ticket.reference;
  const auto clocks = netcor.clocks(reference);
  ASSERT_EQ(clocks.size(), 1U);
  EXPECT_EQ(clocks[0].due_at, at("2026-12-21T11:30:00+01:00"));
  netcor.walk_to(at("2026-12-22T00:00:00+01:00"));
  const auto warnings = netcor.events(reference, EventKind::escalated);
  ASSERT_EQ(warnings.size(), 2U) << ::testing::PrintToString(texts(warnings));
  EXPECT_EQ(warnings[0].at, at("2026-12-21T10:30:00+01:00"));  // 75 % of 4 h = 3 h
  EXPECT_EQ(warnings[1].at, at("2026-12-21T11:30:00+01:00"));
  EXPECT_EQ(times(netcor.events(reference, EventKind::sla_breached)),
            std::vector<Timestamp>{at("2026-12-21T11:30:00+01:00")});
}

TEST(NetcorScenario, PendingTheCustomerPausesTheClock) {
  const Timestamp opened = at("2026-12-14T09:00:00+01:00");  // Monday
  VendorDeployment netcor("netcor", opened);
  const auto reference = netcor.open_ticket(2, "Export bricht ab").ticket.reference;
  netcor.walk_to(opened + hours(2));
  tickets::TicketUpdate wait;
  wait.status = TicketStatus::pending_customer;
  wait.note = "Warten auf Logdateien";
  netcor.desk().update(reference, wait, netcor.staff());
  netcor.walk_to(at("2026-12-15T09:00:00+01:00"));  // a day later
  tickets::TicketUpdate resume;
  resume.status = TicketStatus::open;
  netcor.desk().update(reference, resume, netcor.staff());
  // 8 business hours: 2 spent Monday, 6 left from Tuesday 09:00 = 15:00.
  const auto clocks = netcor.clocks(reference);
  ASSERT_EQ(clocks.size(), 1U);
  EXPECT_EQ(clocks[0].consumed_ms, hours(2) / std::chrono::milliseconds(1));
  EXPECT_EQ(clocks[0].due_at, at("2026-12-15T15:00:00+01:00"));
  netcor.walk_to(at("2026-12-16T00:00:00+01:00"));
  EXPECT_EQ(times(netcor.events(reference, EventKind::sla_breached)),
            std::vector<Timestamp>{at("2026-12-15T15:00:00+01:00")});
}

TEST(NetcorScenario, CriticalUpdatesAreTrackedDaily) {
  const Timestamp opened = at("2026-12-14T09:00:00+01:00");
  VendorDeployment netcor("netcor", opened);
  const auto reference = netcor.open_ticket(1).ticket.reference;
  netcor.walk_to(opened + hours(1));
  netcor.desk().respond(reference, {"Wir analysieren", false}, netcor.staff());
  // The next update is due one business day later: Tuesday 10:00.
  netcor.walk_to(at("2026-12-15T09:00:00+01:00"));
  netcor.desk().respond(reference, {"Zwischenstand", false}, netcor.staff());
  netcor.walk_to(at("2026-12-17T12:00:00+01:00"));
  EXPECT_EQ(times(netcor.events(reference, EventKind::sla_breached)),
            std::vector<Timestamp>{at("2026-12-16T09:00:00+01:00")});
}

TEST(NetcorScenario, AfterHoursContactIsFlaggedAndWaits) {
  const Timestamp saturday = at("2026-12-19T11:00:00+01:00");
  VendorDeployment netcor("netcor", saturday);
  const auto created = netcor.open_ticket(3, "Frage");
  EXPECT_TRUE(created.ticket.flags.contains("ausserhalb_geschaeftszeiten"));
  EXPECT_TRUE(netcor.outbox(created.ticket.reference).empty());
}

// OneNet: "Outside of service hours ... our on-call team will give you a call back
// ASAP"; "After-hours support can be provided for an additional fee".
TEST(OneNetScenario, UrgentAfterHoursPagesOnCallAndFlagsTheFee) {
  const Timestamp saturday_night = at("2026-11-28T22:00:00+13:00");
  VendorDeployment onenet("onenet", saturday_night);
  const auto urgent = onenet.open_ticket(1, "Server down");
  EXPECT_EQ(urgent.ticket.flags.at("after_hours_fee"), "time and materials");
  const auto outbox = onenet.outbox(urgent.ticket.reference);
  ASSERT_EQ(outbox.size(), 1U);
  EXPECT_EQ(outbox[0].kind, "page");
  const auto normal = onenet.open_ticket(2, "Password reset");
  EXPECT_FALSE(normal.ticket.flags.contains("after_hours_fee"));
  EXPECT_TRUE(onenet.outbox(normal.ticket.reference).empty());
}

// OneNet: "four main billing groups ... After Hours - This covers requests which need to
// be actioned outside of Service Hours".
TEST(OneNetScenario, BillingRulesPickTheGroup) {
  const Timestamp tuesday = at("2026-11-24T10:00:00+13:00");
  VendorDeployment onenet("onenet", tuesday);
  EXPECT_EQ(onenet.open_ticket(2, "Please reset my password").ticket.billing_group, "Service Desk");
  EXPECT_EQ(onenet.open_ticket(2, "Install third party software on our virtual server")
                .ticket.billing_group,
            "Engineering");
  EXPECT_EQ(onenet.open_ticket(1, "Outage: OneNet infrastructure unreachable").ticket.billing_group,
            "Unbillable");
  onenet.clock().set(at("2026-11-28T22:00:00+13:00"));  // Saturday night
  EXPECT_EQ(onenet.open_ticket(1, "Our server is down").ticket.billing_group, "After Hours");
}

// ne-t: critical after hours "press '2' ... the On-Call engineer will be notified";
// re-paged every 15 minutes, three times at most, until someone owns it.
TEST(NetScenario, CriticalRepagesAreLimitedAndStopWhenOwned) {
  const Timestamp night = at("2026-11-24T02:00:00-05:00");
  VendorDeployment net("ne-t", night);
  const auto critical = net.open_ticket(1, "Everything is down");
  EXPECT_EQ(critical.ticket.flags.at("emergency_fee"), "may apply");
  net.walk_to(night + minutes(40));
  net.desk().assign(critical.ticket.reference, "engineer:pat", net.staff());
  net.walk_to(night + hours(3));
  std::vector<Timestamp> pages;
  for (const OutboxMessage& message : net.outbox(critical.ticket.reference)) {
    if (message.kind == "page") {
      pages.push_back(message.created_at);
    }
  }
  // After-hours page at once, the step at 15 m, re-pages at 30 m; owned at 40 m stops
  // the 45 m re-page.
  EXPECT_EQ(pages, (std::vector<Timestamp>{night, night + minutes(15), night + minutes(30)}));

  const auto unowned = net.open_ticket(1, "Down again");
  net.walk_to(night + hours(6));
  pages.clear();
  for (const OutboxMessage& message : net.outbox(unowned.ticket.reference)) {
    if (message.kind == "page") {
      pages.push_back(message.created_at);
    }
  }
  const Timestamp opened = night + hours(3);
  EXPECT_EQ(pages, (std::vector<Timestamp>{opened, opened + minutes(15), opened + minutes(30),
                                           opened + minutes(45), opened + minutes(60)}));
}

}  // namespace
}  // namespace supportgw
