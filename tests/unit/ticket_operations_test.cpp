#include "core/tickets/ticket_operations.hpp"

#include <gtest/gtest.h>

#include "core/util/error.hpp"
#include "tests/support/store_fixture.hpp"

namespace supportgw {
namespace {

using testing::StoreFixture;

class TicketOperations : public ::testing::Test {
 protected:
  template <class F>
  auto write(F&& f) {
    return fixture_.store().write(std::forward<F>(f));
  }
  std::vector<Event> events_of(const Ticket& ticket) {
    return fixture_.store().query([&](ReadTransaction& tx) { return tx.events(ticket.id); });
  }
  Timestamp later(int minutes) const { return fixture_.now() + std::chrono::minutes(minutes); }

  StoreFixture fixture_;
};

TEST_F(TicketOperations, ReferencesCountUpAndRestartWithTheYear) {
  EXPECT_EQ(fixture_.create().ticket.reference, "SR-2026-000001");
  EXPECT_EQ(fixture_.create().ticket.reference, "SR-2026-000002");
  const auto next_year = write([&](WriteTransaction& tx) {
    NewTicket ticket;
    ticket.subject = "New year";
    ticket.severity = 4;
    return tickets::create(tx, ticket, fixture_.format(), CivilDate{2027, 1, 1},
                           CustomerToken::generate(), fixture_.actor(), fixture_.now());
  });
  EXPECT_EQ(next_year.ticket.reference, "SR-2027-000001");
  EXPECT_EQ(fixture_.create().ticket.reference, "SR-2026-000003");
}

TEST_F(TicketOperations, SameOriginTwiceReturnsTheFirstTicket) {
  NewTicket ticket;
  ticket.subject = "Mail";
  ticket.severity = 3;
  ticket.origin = Origin{"email", "<m1@example.test>"};
  const auto make = [&] {
    return write([&](WriteTransaction& tx) {
      return tickets::create(tx, ticket, fixture_.format(), fixture_.date(),
                             CustomerToken::generate(), fixture_.actor(), fixture_.now());
    });
  };
  const auto first = make();
  const auto second = make();
  EXPECT_FALSE(first.duplicate);
  EXPECT_FALSE(first.token.empty());
  EXPECT_TRUE(second.duplicate);
  EXPECT_TRUE(second.token.empty());
  EXPECT_EQ(second.ticket.reference, first.ticket.reference);
  EXPECT_EQ(fixture_.store().query([](ReadTransaction& tx) { return tx.count_tickets(); }), 1);
  // The same id from another channel is another contact.
  ticket.origin.channel = "web";
  EXPECT_NE(make().ticket.reference, first.ticket.reference);
}

TEST_F(TicketOperations, OriginWithoutChannelIsTheActorsChannel) {
  NewTicket ticket;
  ticket.subject = "CLI import";
  ticket.severity = 3;
  ticket.origin.id = "row-17";
  const auto create = [&] {
    return write([&](WriteTransaction& tx) {
      return tickets::create(tx, ticket, fixture_.format(), fixture_.date(),
                             CustomerToken::generate(), fixture_.actor(), fixture_.now());
    });
  };
  const auto first = create();
  EXPECT_EQ(first.ticket.origin, (Origin{"cli", "row-17"}));
  EXPECT_TRUE(create().duplicate);
}

TEST_F(TicketOperations, CreateRefusesBadInput) {
  const auto attempt = [&](NewTicket ticket) {
    write([&](WriteTransaction& tx) {
      tickets::create(tx, ticket, fixture_.format(), fixture_.date(), CustomerToken::generate(),
                      fixture_.actor(), fixture_.now());
    });
  };
  NewTicket no_subject;
  no_subject.severity = 1;
  EXPECT_THROW(attempt(no_subject), InvalidArgument);
  NewTicket no_severity;
  no_severity.subject = "x";
  EXPECT_THROW(attempt(no_severity), InvalidArgument);
  NewTicket huge;
  huge.subject = std::string(5000, 'x');
  huge.severity = 1;
  EXPECT_THROW(attempt(huge), InvalidArgument);
  // Nothing of the refused attempts was written, not even a sequence number.
  EXPECT_EQ(fixture_.create().ticket.reference, "SR-2026-000001");
}

TEST_F(TicketOperations, RespondOpensAndMailsTheCustomer) {
  const auto created = fixture_.create();
  const Ticket answered = write([&](WriteTransaction& tx) {
    return tickets::respond(tx, created.ticket.reference, {"We are on it.", false},
                            fixture_.actor(), later(5));
  });
  EXPECT_EQ(answered.status, TicketStatus::open);
  EXPECT_EQ(answered.updated_at, later(5));
  const auto events = events_of(answered);
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[1].kind, EventKind::responded);
  EXPECT_EQ(events[1].text, "We are on it.");
  EXPECT_EQ(events[1].changes, (std::vector<FieldChange>{{"status", "new", "open"}}));
  const auto mail =
      fixture_.store().query([&](ReadTransaction& tx) { return tx.due_outbox(later(5), 10); });
  ASSERT_EQ(mail.size(), 1U);
  EXPECT_EQ(mail[0].kind, "mail");
  EXPECT_EQ(mail[0].recipient, "ann@example.test");
  EXPECT_EQ(mail[0].subject, "[SR-2026-000001] Printer on fire");
  EXPECT_EQ(mail[0].body, "We are on it.");

  const Ticket waiting = write([&](WriteTransaction& tx) {
    return tickets::respond(tx, created.ticket.reference, {"Which model?", true}, fixture_.actor(),
                            later(6));
  });
  EXPECT_EQ(waiting.status, TicketStatus::pending_customer);
}

TEST_F(TicketOperations, FullLifecycleRecordsEveryStep) {
  const auto reference = fixture_.create().ticket.reference;
  write([&](WriteTransaction& tx) {
    tickets::respond(tx, reference, {"Looking.", false}, fixture_.actor(), later(1));
    tickets::resolve(tx, reference, "Replaced the toner", fixture_.actor(), later(2));
    tickets::reopen(tx, reference, "Customer says it smokes again", fixture_.actor(), later(3));
    tickets::resolve(tx, reference, "", fixture_.actor(), later(4));
    tickets::close(tx, reference, "", fixture_.actor(), later(5));
  });
  const Ticket closed =
      fixture_.store().query([&](ReadTransaction& tx) { return tickets::require(tx, reference); });
  EXPECT_EQ(closed.status, TicketStatus::closed);
  const auto events = events_of(closed);
  std::vector<EventKind> kinds;
  for (const Event& event : events) {
    kinds.push_back(event.kind);
  }
  EXPECT_EQ(kinds, (std::vector<EventKind>{EventKind::created, EventKind::responded,
                                           EventKind::status_changed, EventKind::reopened,
                                           EventKind::status_changed, EventKind::status_changed}));
  EXPECT_EQ(events[3].text, "Customer says it smokes again");
  EXPECT_EQ(events[3].changes, (std::vector<FieldChange>{{"status", "solved", "open"}}));
}

TEST_F(TicketOperations, IllegalMovesAreRefusedAndWriteNothing) {
  const auto reference = fixture_.create().ticket.reference;
  const auto expect_refused = [&](auto operation) {
    EXPECT_THROW(write([&](WriteTransaction& tx) { operation(tx); }), IllegalTransition);
  };
  expect_refused(
      [&](WriteTransaction& tx) { tickets::close(tx, reference, "", fixture_.actor(), later(1)); });
  expect_refused([&](WriteTransaction& tx) {
    tickets::reopen(tx, reference, "", fixture_.actor(), later(1));
  });
  write([&](WriteTransaction& tx) {
    tickets::resolve(tx, reference, "", fixture_.actor(), later(1));
    tickets::close(tx, reference, "", fixture_.actor(), later(2));
  });
  const auto events_before = events_of(
      fixture_.store().query([&](ReadTransaction& tx) { return tickets::require(tx, reference); }));
  expect_refused([&](WriteTransaction& tx) {
    tickets::reopen(tx, reference, "", fixture_.actor(), later(3));
  });
  expect_refused([&](WriteTransaction& tx) {
    tickets::respond(tx, reference, {"Hello?", false}, fixture_.actor(), later(3));
  });
  expect_refused([&](WriteTransaction& tx) {
    tickets::TicketUpdate update;
    update.status = TicketStatus::open;
    tickets::update(tx, reference, update, fixture_.actor(), later(3));
  });
  const Ticket after =
      fixture_.store().query([&](ReadTransaction& tx) { return tickets::require(tx, reference); });
  EXPECT_EQ(after.status, TicketStatus::closed);
  EXPECT_EQ(events_of(after).size(), events_before.size());
  EXPECT_TRUE(fixture_.store()
                  .query([&](ReadTransaction& tx) { return tx.due_outbox(later(9), 10); })
                  .empty());
}

TEST_F(TicketOperations, UnknownReferenceIsNotFoundNamingIt) {
  try {
    write([&](WriteTransaction& tx) {
      tickets::resolve(tx, "SR-2026-424242", "", fixture_.actor(), fixture_.now());
    });
    FAIL();
  } catch (const NotFound& error) {
    EXPECT_NE(std::string(error.what()).find("SR-2026-424242"), std::string::npos);
  }
}

TEST_F(TicketOperations, UpdateRecordsEachChangedFieldOnce) {
  const auto reference = fixture_.create().ticket.reference;
  tickets::TicketUpdate update;
  update.severity = 1;
  update.product = "Router";
  update.subject = "Printer on fire";  // unchanged: not recorded
  update.set_flags = {{"after-hours", ""}, {"fee", "emergency"}};
  update.note = "Customer called the hotline";
  const Ticket updated = write([&](WriteTransaction& tx) {
    return tickets::update(tx, reference, update, fixture_.actor(), later(1));
  });
  EXPECT_EQ(updated.severity, 1);
  EXPECT_EQ(updated.flags.size(), 2U);
  auto events = events_of(updated);
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[1].kind, EventKind::fields_changed);
  EXPECT_EQ(events[1].text, "Customer called the hotline");
  EXPECT_EQ(events[1].changes, (std::vector<FieldChange>{{"severity", "2", "1"},
                                                         {"product", "", "Router"},
                                                         {"flag:after-hours", "", ""},
                                                         {"flag:fee", "", "emergency"}}));

  // The same update again changes nothing, so only the note is recorded.
  update.note.clear();
  write([&](WriteTransaction& tx) {
    return tickets::update(tx, reference, update, fixture_.actor(), later(2));
  });
  EXPECT_EQ(events_of(updated).size(), 2U);

  tickets::TicketUpdate unflag;
  unflag.clear_flags = {"fee", "never-set"};
  const Ticket cleared = write([&](WriteTransaction& tx) {
    return tickets::update(tx, reference, unflag, fixture_.actor(), later(3));
  });
  EXPECT_EQ(cleared.flags, (std::map<std::string, std::string>{{"after-hours", ""}}));
  events = events_of(cleared);
  EXPECT_EQ(events.back().changes, (std::vector<FieldChange>{{"flag:fee", "emergency", ""}}));
}

TEST_F(TicketOperations, ReopenClearsTheAcknowledgementInTheReopenedEvent) {
  const auto reference = fixture_.create().ticket.reference;
  tickets::TicketUpdate acknowledge;
  acknowledge.set_flags = {{"acknowledged", "tech:sam"}};
  const Ticket reopened = write([&](WriteTransaction& tx) {
    tickets::update(tx, reference, acknowledge, fixture_.actor(), later(1));
    tickets::resolve(tx, reference, "", fixture_.actor(), later(2));
    return tickets::reopen(tx, reference, "still broken", fixture_.actor(), later(3));
  });
  EXPECT_FALSE(reopened.flags.contains("acknowledged"));
  const auto events = events_of(reopened);
  EXPECT_EQ(events.back().kind, EventKind::reopened);
  EXPECT_EQ(events.back().changes,
            (std::vector<FieldChange>{{"status", "solved", "open"},
                                      {"flag:acknowledged", "tech:sam", ""}}));
}

TEST_F(TicketOperations, TokenVerifiesOnlyForItsTicket) {
  const auto first = fixture_.create();
  const auto second = fixture_.create();
  fixture_.store().read([&](ReadTransaction& tx) {
    EXPECT_TRUE(tickets::verify_token(tx, first.ticket.reference, first.token));
    EXPECT_FALSE(tickets::verify_token(tx, first.ticket.reference, second.token));
    EXPECT_FALSE(tickets::verify_token(tx, second.ticket.reference, first.token));
    EXPECT_FALSE(tickets::verify_token(tx, "SR-2026-999999", first.token));
    EXPECT_FALSE(tickets::verify_token(tx, first.ticket.reference, ""));
    EXPECT_FALSE(tickets::verify_token(tx, first.ticket.reference, "x' OR '1'='1"));
  });
}

}  // namespace
}  // namespace supportgw
