// A contact that says the problem is over (InboundMessage::marks_solved): it resolves
// the ticket it follows up as the desk would, only adds to one that is over already,
// and without a ticket to follow up opens one solved.
#include <gtest/gtest.h>

#include "tests/unit/intake/intake_fixture.hpp"

namespace supportgw::testing {
namespace {

using Outcome = sdk::IntakeResult::Outcome;
constexpr const char* kOnenetMorning = "2026-11-24T10:00:00+13:00";
constexpr const char* kNetcorMorning = "2026-11-24T10:00:00+01:00";
// A Tuesday night in Charlotte: ne-t pages on-call for severity 1.
constexpr const char* kNetNight = "2026-11-24T23:00:00-05:00";

sdk::InboundMessage solved(sdk::InboundMessage message) {
  message.marks_solved = true;
  return message;
}

// Nothing left running: every clock stopped, nothing of the ladder pending.
void expect_clocks_stopped(IntakeDeployment& d, const std::string& reference) {
  const auto clocks = d.clocks(reference);
  EXPECT_FALSE(clocks.empty());
  for (const SlaClock& clock : clocks) {
    EXPECT_FALSE(clock.running_since.has_value()) << clock.kind;
    EXPECT_FALSE(clock.due_at.has_value()) << clock.kind;
  }
  const auto pending = d.store().query(
      [&](ReadTransaction& tx) { return tx.pending_actions(tickets::require(tx, reference).id); });
  EXPECT_TRUE(pending.empty());
}

TEST(IntakeMarksSolved, FollowUpResolvesTheTicketAfterAddingToIt) {
  IntakeDeployment d("onenet", kOnenetMorning);
  const auto first = d.submit(mail("<m1@c>", "Printer broken"));
  ASSERT_FALSE(d.store()
                   .query([&](ReadTransaction& tx) {
                     return tx.pending_actions(tickets::require(tx, first.reference).id);
                   })
                   .empty());
  d.clock().advance(std::chrono::hours(1));
  const auto reply = d.submit(solved(
      mail("<m2@c>", "Re: [" + first.reference + "] Printer broken", "Works again, thanks.")));
  EXPECT_EQ(reply.outcome, Outcome::updated);
  EXPECT_EQ(reply.reference, first.reference);
  EXPECT_NE(reply.trace.find("marks the problem solved: " + first.reference + " resolved"),
            std::string::npos)
      << reply.trace;

  EXPECT_EQ(d.ticket(first.reference).status, TicketStatus::solved);
  const auto replies = d.events(first.reference, EventKind::customer_replied);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_NE(replies[0].text.find("Works again"), std::string::npos);
  const auto moves = d.events(first.reference, EventKind::status_changed);
  ASSERT_FALSE(moves.empty());
  EXPECT_GT(moves.back().id, replies[0].id);  // added first, then resolved
  EXPECT_EQ(moves.back().actor, "customer");
  expect_clocks_stopped(d, first.reference);
  for (const SlaClock& clock : d.clocks(first.reference)) {
    if (clock.kind == "resolution") {
      EXPECT_TRUE(clock.met_at.has_value());
    }
  }
}

TEST(IntakeMarksSolved, PendingCustomerTicketGoesStraightToSolved) {
  IntakeDeployment d("netcor", kNetcorMorning);
  const auto first = d.submit(missing_system_details());
  ASSERT_EQ(d.ticket(first.reference).status, TicketStatus::pending_customer);
  const auto reply =
      d.submit(solved(mail("<m2@c>", "AW: [" + first.reference + "] Drucker defekt", "Geht.")));
  EXPECT_EQ(reply.outcome, Outcome::updated);
  EXPECT_EQ(d.ticket(first.reference).status, TicketStatus::solved);
  for (const Event& move : d.events(first.reference, EventKind::status_changed)) {
    for (const FieldChange& change : move.changes) {
      EXPECT_NE(change.new_value, "open") << "went through open on the way";
    }
  }
  expect_clocks_stopped(d, first.reference);
}

TEST(IntakeMarksSolved, SolvedTicketIsOnlyAddedTo) {
  IntakeDeployment d("onenet", kOnenetMorning);
  const auto first = d.submit(mail("<m1@c>", "Printer broken"));
  d.desk().resolve(first.reference, "fixed", d.staff());
  d.clock().advance(std::chrono::days(1));  // inside the reopen window
  const auto reply = d.submit(solved(mail("<m2@c>", "Re: [" + first.reference + "] all good")));
  EXPECT_EQ(reply.outcome, Outcome::updated);
  EXPECT_EQ(reply.reference, first.reference);
  EXPECT_NE(reply.trace.find(first.reference + " is solved already: added to it"),
            std::string::npos)
      << reply.trace;
  EXPECT_EQ(d.ticket(first.reference).status, TicketStatus::solved);
  EXPECT_TRUE(d.events(first.reference, EventKind::reopened).empty());
  EXPECT_EQ(d.events(first.reference, EventKind::customer_replied).size(), 1u);
  EXPECT_EQ(d.ticket_count(), 1);
}

TEST(IntakeMarksSolved, ClosedTicketIsOnlyAddedTo) {
  IntakeDeployment d("onenet", kOnenetMorning);
  const auto first = d.submit(mail("<m1@c>", "Printer broken"));
  d.desk().resolve(first.reference, "fixed", d.staff());
  d.desk().close(first.reference, "done", d.staff());
  const auto reply = d.submit(solved(mail("<m2@c>", "Re: [" + first.reference + "] all good")));
  EXPECT_EQ(reply.outcome, Outcome::updated);
  EXPECT_EQ(reply.reference, first.reference);
  EXPECT_NE(reply.trace.find("is closed already"), std::string::npos) << reply.trace;
  EXPECT_EQ(d.ticket(first.reference).status, TicketStatus::closed);
  EXPECT_EQ(d.events(first.reference, EventKind::customer_replied).size(), 1u);
  EXPECT_EQ(d.ticket_count(), 1);
}

TEST(IntakeMarksSolved, WithoutATicketToFollowUpOneIsOpenedSolved) {
  IntakeDeployment d("onenet", kOnenetMorning);
  const auto result = d.submit(solved(mail("<m1@c>", "Disk full on db1 - resolved")));
  EXPECT_EQ(result.outcome, Outcome::created);
  EXPECT_FALSE(result.token.empty());
  EXPECT_NE(result.trace.find("marks the problem solved: opened and resolved at once"),
            std::string::npos)
      << result.trace;
  EXPECT_EQ(d.ticket(result.reference).status, TicketStatus::solved);
  EXPECT_EQ(d.events(result.reference, EventKind::created).size(), 1u);
  EXPECT_EQ(d.events(result.reference, EventKind::status_changed).size(), 1u);
  expect_clocks_stopped(d, result.reference);
  // The customer still hears of the reference, but not of a response to wait for.
  EXPECT_NE(result.acknowledgement.find(result.reference), std::string::npos);
  EXPECT_EQ(result.acknowledgement.find("first response by"), std::string::npos);
  // Taken in twice, it is still one ticket.
  EXPECT_EQ(d.submit(solved(mail("<m1@c>", "Disk full on db1 - resolved"))).outcome,
            Outcome::duplicate);
  EXPECT_EQ(d.ticket_count(), 1);
}

TEST(IntakeMarksSolved, ANewSolvedTicketAsksForNothing) {
  IntakeDeployment d("netcor", kNetcorMorning);
  auto message = solved(mail("<m1@c>", "Drucker defekt, erledigt"));
  message.fields.erase("system_details");
  const auto result = d.submit(message);
  const Ticket ticket = d.ticket(result.reference);
  EXPECT_EQ(ticket.status, TicketStatus::solved);
  EXPECT_EQ(ticket.flags.at("missing-fields"), "system_details");
  EXPECT_EQ(result.acknowledgement.find("Systemdetails"), std::string::npos);
}

TEST(IntakeMarksSolved, NobodyIsPagedAfterHoursForAProblemThatIsOver) {
  auto call = [](const std::string& id) {
    auto message = mail(id, "Voicemail", "Our site is down");
    message.channel = "phone";
    message.route = "press-2";
    return message;
  };
  IntakeDeployment d("ne-t", kNetNight);
  const auto paged = d.submit(call("vm-1"));
  ASSERT_EQ(paged.severity, 1);
  ASSERT_EQ(d.events(paged.reference, EventKind::escalated).size(), 1u);
  const auto over = d.submit(solved(call("vm-2")));
  EXPECT_EQ(over.severity, 1);
  EXPECT_EQ(d.ticket(over.reference).status, TicketStatus::solved);
  EXPECT_TRUE(d.events(over.reference, EventKind::escalated).empty());
  EXPECT_TRUE(d.ticket(over.reference).flags.contains("emergency_fee"));
}

}  // namespace
}  // namespace supportgw::testing
