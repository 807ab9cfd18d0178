// The intake rules one by one, on the seed vendors' real policies.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "core/util/error.hpp"
#include "tests/unit/intake/intake_fixture.hpp"

namespace supportgw::testing {
namespace {

using Outcome = sdk::IntakeResult::Outcome;
// Tuesdays inside business hours, local time of each vendor.
constexpr const char* kNetcorMorning = "2026-11-24T10:00:00+01:00";
constexpr const char* kOnenetMorning = "2026-11-24T10:00:00+13:00";
constexpr const char* kNetexMorning = "2026-11-24T10:00:00-06:00";
constexpr const char* kJetnetMorning = "2026-11-24T10:00:00-08:00";
constexpr const char* kNetMorning = "2026-11-24T10:00:00-05:00";

TEST(IntakeIdempotency, RepeatReturnsTheFirstResult) {
  IntakeDeployment d("onenet", kOnenetMorning);
  const auto first = d.submit(mail("<m1@customer.test>", "Printer broken"));
  ASSERT_EQ(first.outcome, Outcome::created);
  EXPECT_FALSE(first.token.empty());
  const auto again = d.submit(mail("<m1@customer.test>", "Printer broken"));
  EXPECT_EQ(again.outcome, Outcome::duplicate);
  EXPECT_EQ(again.reference, first.reference);
  EXPECT_EQ(again.severity, first.severity);
  EXPECT_EQ(again.acknowledgement, first.acknowledgement);
  EXPECT_TRUE(again.token.empty());
  EXPECT_EQ(d.ticket_count(), 1);
  EXPECT_EQ(d.outbox(first.reference).size(), 1u);
  // One record of the key, written once with the answer: it names the created event.
  const Origin origin = d.ticket(first.reference).origin;
  const auto record =
      d.store().query([&](ReadTransaction& tx) { return tx.intake_record(origin); });
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->outcome, "created");
  EXPECT_EQ(record->trace, first.trace);
  const auto created = d.events(first.reference, EventKind::created);
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(record->event_id, created[0].id);
}

TEST(IntakeIdempotency, EightThreadsSubmittingOneMessageMakeOneTicket) {
  IntakeDeployment d("onenet", kOnenetMorning);
  std::vector<sdk::IntakeResult> results(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back(
        [&, i] { results[i] = d.submit(mail("<same@customer.test>", "Printer broken")); });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  int created = 0;
  for (const auto& result : results) {
    created += result.outcome == Outcome::created ? 1 : 0;
    EXPECT_EQ(result.reference, results[0].reference);
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(d.ticket_count(), 1);
}

TEST(IntakeFollowUp, ReferenceInSubjectFromTheRequesterAddsToTheTicket) {
  IntakeDeployment d("onenet", kOnenetMorning);
  const auto first = d.submit(mail("<m1@c>", "Printer broken"));
  const auto reply =
      d.submit(mail("<m2@c>", "Re: [" + first.reference + "] Printer broken", "Still broken."));
  EXPECT_EQ(reply.outcome, Outcome::updated);
  EXPECT_EQ(reply.reference, first.reference);
  const auto replies = d.events(first.reference, EventKind::customer_replied);
  ASSERT_EQ(replies.size(), 1u);
  // The decision is recorded beside the reply, as an internal note of the same instant.
  const auto notes = d.events(first.reference, EventKind::comment);
  ASSERT_FALSE(notes.empty());
  EXPECT_EQ(notes.back().at, replies[0].at);
  EXPECT_NE(notes.back().text.find("matched by reference in subject; sender is the requester"),
            std::string::npos);
  EXPECT_EQ(d.ticket_count(), 1);
}

TEST(IntakeFollowUp, TheCustomersReplyIsPublicAndTheMatchTraceIsAnInternalNote) {
  IntakeDeployment d("netcor", kNetcorMorning);
  const auto first = d.submit(mail("<t1@c>", "Export bricht ab", "Fehler 17"));
  const auto reply =
      d.submit(mail("<t2@c>", "Re: [" + first.reference + "] Export bricht ab", "noch da"));
  ASSERT_EQ(reply.outcome, sdk::IntakeResult::Outcome::updated);
  const auto events = d.all_events(first.reference);
  bool reply_seen = false;
  bool note_seen = false;
  for (const Event& event : events) {
    if (event.kind == EventKind::customer_replied) {
      reply_seen = true;
      EXPECT_EQ(event.text.find("matched by"), std::string::npos) << event.text;
      EXPECT_NE(event.text.find("noch da"), std::string::npos) << event.text;
    }
    if (event.kind == EventKind::comment && event.text.find("matched by") != std::string::npos) {
      note_seen = true;
    }
  }
  EXPECT_TRUE(reply_seen);
  EXPECT_TRUE(note_seen);
}

TEST(IntakeFollowUp, SubjectOnlyMatchFromAStrangerOpensALinkedTicket) {
  IntakeDeployment d("onenet", kOnenetMorning);
  const auto first = d.submit(mail("<m1@c>", "Printer broken"));
  const auto other = d.submit(from_stranger(mail("<m2@e>", "Re: " + first.reference, "Me too")));
  EXPECT_EQ(other.outcome, Outcome::created);
  EXPECT_NE(other.reference, first.reference);
  const Ticket ticket = d.ticket(other.reference);
  EXPECT_EQ(ticket.flags.at("related-to"), first.reference);
  EXPECT_TRUE(has_flag(ticket, "unverified-follow-up"));
  EXPECT_NE(other.trace.find("sender is not the requester"), std::string::npos);
}

TEST(IntakeFollowUp, ReferenceInBodyMatches) {
  IntakeDeployment d("onenet", kOnenetMorning);
  const auto first = d.submit(mail("<m1@c>", "Printer broken"));
  const auto reply = d.submit(mail("<m2@c>", "More", "About " + first.reference + ": logs"));
  EXPECT_EQ(reply.outcome, Outcome::updated);
  EXPECT_EQ(reply.reference, first.reference);
}

TEST(IntakeFollowUp, ASwitchedOffMatcherDoesNotMatch) {
  IntakeDeployment d("onenet", kOnenetMorning,
                     [](policy::Policy& p) { p.follow_up.reference_in_subject = false; });
  const auto first = d.submit(mail("<m1@c>", "Printer broken"));
  const auto reply = d.submit(mail("<m2@c>", "[" + first.reference + "] again", "no ref here"));
  EXPECT_EQ(reply.outcome, Outcome::created);
}

TEST(IntakeFollowUp, ClaimedReferenceNeedsTheRightToken) {
  IntakeDeployment d("onenet", kOnenetMorning);
  const auto first = d.submit(mail("<m1@c>", "Printer broken"));
  auto upload = from_stranger(mail("<u1@ftp>", "", "dump"));
  upload.claimed_reference = first.reference;
  upload.claimed_token = first.token;
  EXPECT_EQ(d.submit(upload).outcome, Outcome::updated);
  upload.origin_id = "<u2@ftp>";
  upload.claimed_token = "wrong-token";
  const auto refused = d.submit(upload);
  EXPECT_EQ(refused.outcome, Outcome::created);
  EXPECT_NE(refused.trace.find("wrong token"), std::string::npos);
}

TEST(IntakeFollowUp, ThreadIdOfTheConversationMatches) {
  IntakeDeployment d("onenet", kOnenetMorning);
  const auto first = d.submit(mail("<m1@c>", "Printer broken"));
  auto reply = mail("<m2@c>", "Printer broken (more)", "no reference");
  reply.thread_ids = {"<other@x>", "<m1@c>"};
  const auto result = d.submit(reply);
  EXPECT_EQ(result.outcome, Outcome::updated);
  EXPECT_EQ(result.reference, first.reference);
  EXPECT_NE(result.trace.find("thread id <m1@c>"), std::string::npos);
}

TEST(IntakeFollowUp, CustomerTicketNumberMatchesOnlyForTheRequester) {
  IntakeDeployment d("onenet", kOnenetMorning, [](policy::Policy& p) {
    p.follow_up.customer_ticket_pattern = "INC[0-9]{7}";
  });
  const auto first = d.submit(mail("<m1@c>", "INC0012345 printer broken"));
  const auto again = d.submit(mail("<m2@c>", "Update on INC0012345", "toner replaced"));
  EXPECT_EQ(again.outcome, Outcome::updated);
  EXPECT_EQ(again.reference, first.reference);
  const auto stranger = d.submit(from_stranger(mail("<m3@e>", "INC0012345", "ours")));
  EXPECT_EQ(stranger.outcome, Outcome::created);
}

TEST(IntakeFollowUp, PendingCustomerTicketGoesBackToOpen) {
  IntakeDeployment d("netcor", kNetcorMorning);
  const auto first = d.submit(missing_system_details());
  ASSERT_EQ(d.ticket(first.reference).status, TicketStatus::pending_customer);
  auto reply = mail("<m2@c>", "AW: [" + first.reference + "] Drucker defekt", "Debian 12");
  EXPECT_EQ(d.submit(reply).outcome, Outcome::updated);
  EXPECT_EQ(d.ticket(first.reference).status, TicketStatus::open);
}

TEST(IntakeReopen, ReplyInsideTheWindowReopens) {
  IntakeDeployment d("onenet", kOnenetMorning);
  const auto first = d.submit(mail("<m1@c>", "Printer broken"));
  d.desk().resolve(first.reference, "fixed", d.staff());
  d.clock().advance(std::chrono::days(10));
  const auto reply = d.submit(mail("<m2@c>", "Re: [" + first.reference + "] still broken"));
  EXPECT_EQ(reply.outcome, Outcome::reopened);
  EXPECT_EQ(d.ticket(first.reference).status, TicketStatus::open);
  EXPECT_EQ(d.events(first.reference, EventKind::reopened).size(), 1u);
}

TEST(IntakeReopen, ReplyAfterTheWindowOpensAFollowUpTicket) {
  IntakeDeployment d("onenet", kOnenetMorning);
  const auto first = d.submit(mail("<m1@c>", "Printer broken"));
  d.desk().resolve(first.reference, "fixed", d.staff());
  d.clock().advance(std::chrono::days(31));
  const auto reply = d.submit(mail("<m2@c>", "Re: [" + first.reference + "] broken again"));
  EXPECT_EQ(reply.outcome, Outcome::created);
  EXPECT_EQ(d.ticket(reply.reference).flags.at("follow-up-of"), first.reference);
  EXPECT_EQ(d.ticket(first.reference).status, TicketStatus::solved);
}

TEST(IntakeReopen, ReplyToAClosedTicketOpensAFollowUpTicket) {
  IntakeDeployment d("onenet", kOnenetMorning);
  const auto first = d.submit(mail("<m1@c>", "Printer broken"));
  d.desk().resolve(first.reference, "fixed", d.staff());
  d.desk().close(first.reference, "done", d.staff());
  const auto reply = d.submit(mail("<m2@c>", "Re: [" + first.reference + "] thanks"));
  EXPECT_EQ(reply.outcome, Outcome::created);
  EXPECT_EQ(d.ticket(reply.reference).flags.at("follow-up-of"), first.reference);
}

TEST(IntakeDuplicates, SameSenderAndSubjectIsFlaggedNotMerged) {
  IntakeDeployment d("onenet", kOnenetMorning);
  const auto first = d.submit(mail("<m1@c>", "Printer broken"));
  const auto second = d.submit(mail("<m2@c>", "AW: Re[2]: printer   BROKEN"));
  EXPECT_EQ(second.outcome, Outcome::created);
  EXPECT_EQ(d.ticket(second.reference).flags.at("possible-duplicate-of"), first.reference);
  EXPECT_NE(second.trace.find("possible duplicate of " + first.reference), std::string::npos);
  d.clock().advance(std::chrono::days(8));
  const auto later = d.submit(mail("<m3@c>", "Printer broken"));
  EXPECT_FALSE(has_flag(d.ticket(later.reference), "possible-duplicate-of"));
}

TEST(IntakeDuplicates, UnreferencedFollowUpGetsThePolicyFlag) {
  IntakeDeployment d("ne-t", kNetMorning);
  const auto result = d.submit(mail("<m1@c>", "Re: my issue from yesterday"));
  EXPECT_TRUE(has_flag(d.ticket(result.reference), "unreferenced_follow_up"));
  const auto plain = d.submit(mail("<m2@c>", "New laptop request"));
  EXPECT_FALSE(has_flag(d.ticket(plain.reference), "unreferenced_follow_up"));
}

TEST(IntakeSeverity, HotlineRouteIsSeverityOne) {
  IntakeDeployment d("jetnet", kJetnetMorning);
  auto call = mail("vm-1", "Voicemail", "please call back");
  call.channel = "phone";
  call.route = "option-3";
  const auto result = d.submit(call);
  EXPECT_EQ(result.severity, 1);
  EXPECT_NE(result.trace.find("route phone:option-3"), std::string::npos);
}

TEST(IntakeSeverity, ChannelHintsComeBeforeKeywords) {
  IntakeDeployment d("netcor", kNetcorMorning);
  auto emergency = mail("<h1@c>", "Frage", "a question");
  emergency.hints["emergency-line"] = "true";
  const auto urgent = d.submit(emergency);
  EXPECT_EQ(urgent.severity, 1);
  EXPECT_NE(urgent.trace.find("channel hint: emergency line"), std::string::npos) << urgent.trace;

  auto classified = mail("<h2@c>", "Noch eine Frage", "a question");
  classified.hints["severity"] = "2";
  EXPECT_EQ(d.submit(classified).severity, 2);

  auto nonsense = mail("<h3@c>", "Dritte Frage", "a question");
  nonsense.hints["severity"] = "99";
  const auto fallback = d.submit(nonsense);
  EXPECT_NE(fallback.severity, 99);
  EXPECT_NE(fallback.trace.find("is not a level"), std::string::npos) << fallback.trace;
}

TEST(IntakePolicyFlags, MailToAPersonIsFlaggedBypass) {
  IntakeDeployment d("netcor", kNetcorMorning);
  auto direct = mail("<b1@c>", "Direkt an Jo", "bitte schnell");
  direct.hints["bypass"] = "jo@netcor.example";
  const auto result = d.submit(direct);
  const Ticket ticket = d.ticket(result.reference);
  ASSERT_EQ(ticket.flags.count("bypass"), 1U);
  EXPECT_EQ(ticket.flags.at("bypass"), "jo@netcor.example");
}

TEST(IntakeSeverity, RequestedThenKeywordsThenDefault) {
  IntakeDeployment d("netcor", kNetcorMorning);
  auto requested = mail("<m1@c>", "Frage");
  requested.requested_severity = 2;
  EXPECT_EQ(d.submit(requested).severity, 2);
  auto invalid = mail("<m2@c>", "Totalausfall im Lager");
  invalid.requested_severity = 9;
  const auto keyword = d.submit(invalid);
  EXPECT_EQ(keyword.severity, 1);
  EXPECT_NE(keyword.trace.find("keyword \"Totalausfall\""), std::string::npos);
  EXPECT_EQ(d.submit(mail("<m3@c>", "Drucker", "druckt nicht")).severity, 3);
}

TEST(IntakePolicyFlags, MissingFieldsWaitForTheCustomerAndAreAskedForInGerman) {
  IntakeDeployment d("netcor", kNetcorMorning);
  auto message = mail("<m1@c>", "Drucker defekt");
  message.fields.erase("system_details");
  message.fields.erase("product_version");
  const auto result = d.submit(message);
  const Ticket ticket = d.ticket(result.reference);
  EXPECT_EQ(ticket.flags.at("missing-fields"), "product_version, system_details");
  EXPECT_EQ(ticket.status, TicketStatus::pending_customer);
  EXPECT_NE(result.acknowledgement.find("Fallnummer " + result.reference), std::string::npos);
  EXPECT_NE(result.acknowledgement.find("Systemdetails"), std::string::npos);
  EXPECT_NE(result.acknowledgement.find("Software-Version"), std::string::npos);
}

// The ticket waits for the customer before its clocks start: those that pause while
// pending start paused, so nothing is scheduled only to be cancelled in the same unit,
// and the customer's answer starts them.
TEST(IntakePolicyFlags, MissingFieldsStartThePausingClocksPausedUntilTheCustomerAnswers) {
  IntakeDeployment d("netcor", kNetcorMorning);
  const auto result = d.submit(missing_system_details());
  ASSERT_EQ(d.ticket(result.reference).status, TicketStatus::pending_customer);

  const auto actions = [&] {
    return d.store().query([&](ReadTransaction& tx) {
      return tx.ticket_actions(tickets::require(tx, result.reference).id);
    });
  };
  std::vector<std::string> paused;
  for (const SlaClock& clock : d.clocks(result.reference)) {
    if (clock.pauses_while_pending) {
      EXPECT_FALSE(clock.running_since.has_value()) << clock.kind;
      EXPECT_FALSE(clock.due_at.has_value()) << clock.kind;
      EXPECT_EQ(clock.consumed_ms, 0) << clock.kind;
      paused.push_back(clock.kind);
    }
  }
  ASSERT_FALSE(paused.empty()) << "NETCOR's first response pauses while pending";
  for (const ScheduledAction& action : actions()) {
    EXPECT_NE(action.status, ScheduleStatus::cancelled) << action.sla << " " << action.step;
    if (action.kind == ScheduleKind::sla_breach) {
      EXPECT_EQ(std::find(paused.begin(), paused.end(), action.sla), paused.end()) << action.sla;
    }
  }

  d.clock().advance(std::chrono::hours(1));
  auto answer = mail("<m2@c>", "Re: [" + result.reference + "] Drucker defekt", "Windows 11");
  EXPECT_EQ(d.submit(answer).outcome, sdk::IntakeResult::Outcome::updated);
  EXPECT_EQ(d.ticket(result.reference).status, TicketStatus::open);
  for (const SlaClock& clock : d.clocks(result.reference)) {
    if (clock.pauses_while_pending && !clock.met_at) {
      EXPECT_TRUE(clock.running_since.has_value()) << clock.kind;
      EXPECT_TRUE(clock.due_at.has_value()) << clock.kind;
      const auto all = actions();
      EXPECT_TRUE(std::any_of(all.begin(), all.end(), [&](const ScheduledAction& action) {
        return action.kind == ScheduleKind::sla_breach && action.sla == clock.kind &&
               action.status == ScheduleStatus::pending;
      })) << clock.kind;
    }
  }
}

TEST(IntakePolicyFlags, BillingGroupAndAcknowledgementMail) {
  IntakeDeployment d("onenet", kOnenetMorning);
  const auto result = d.submit(mail("<m1@c>", "Password reset please"));
  EXPECT_EQ(d.ticket(result.reference).billing_group, "Service Desk");
  const auto outbox = d.outbox(result.reference);
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].recipient, "casey@customer.test");
  EXPECT_EQ(outbox[0].subject.rfind("[" + result.reference + "]", 0), 0u);
  EXPECT_NE(outbox[0].body.find("first response by"), std::string::npos);
  EXPECT_NE(outbox[0].body.find("Pacific/Auckland"), std::string::npos);
  EXPECT_NE(outbox[0].body.find(d.policy().severity(result.severity).name), std::string::npos);
}

TEST(IntakePolicyFlags, UnsupportedProductVersion) {
  IntakeDeployment d("netex", kNetexMorning);
  auto old_version = mail("<m1@c>", "Crash");
  old_version.fields["product_version"] = "5.0";
  EXPECT_TRUE(has_flag(d.ticket(d.submit(old_version).reference), "unsupported-version"));
  EXPECT_FALSE(
      has_flag(d.ticket(d.submit(mail("<m2@c>", "Crash 2")).reference), "unsupported-version"));
}

TEST(IntakeAttachments, BecomeAttachmentRowsWithEvents) {
  IntakeDeployment d("onenet", kOnenetMorning);
  auto message = mail("<m1@c>", "Logs attached");
  message.attachments.push_back(
      {"../../etc/app.log", "/var/spool/x/1", 42, std::string(64, 'a'), "text/plain"});
  const auto result = d.submit(message);
  const auto files = d.store().query([&](ReadTransaction& tx) {
    return tx.attachments(tickets::require(tx, result.reference).id);
  });
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].file_name, "app.log");
  EXPECT_EQ(d.events(result.reference, EventKind::attachment_added).size(), 1u);
}

TEST(IntakeHostileInput, OversizedOrMalformedMessagesAreRefusedWithoutTrace) {
  IntakeDeployment d("onenet", kOnenetMorning);
  EXPECT_THROW(d.submit(mail("<m1@c>", std::string(100'000, 'x'))), InvalidArgument);
  EXPECT_THROW(d.submit(mail("<m2@c>", "x", std::string(2'000'000, 'y'))), InvalidArgument);
  EXPECT_THROW(d.submit(mail("", "x")), InvalidArgument);
  auto bad_file = mail("<m3@c>", "x");
  bad_file.attachments.push_back({"a", "/p", 1, "not-a-hash", ""});
  EXPECT_THROW(d.submit(bad_file), InvalidArgument);
  EXPECT_EQ(d.ticket_count(), 0);

  auto many_threads =
      mail("<m4@c>", "Re: Re: Re: Re: " + std::string(900, '['), std::string(900'000, 'R'));
  for (int i = 0; i < 10'000; ++i) {
    many_threads.thread_ids.push_back("<t" + std::to_string(i) + "@x>");
  }
  EXPECT_EQ(d.submit(many_threads).outcome, Outcome::created);
}

}  // namespace
}  // namespace supportgw::testing
