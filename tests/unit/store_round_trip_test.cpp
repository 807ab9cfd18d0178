#include <gtest/gtest.h>

#include <future>
#include <tuple>
#include <vector>

#include "core/store/sqlite/connection.hpp"
#include "core/util/error.hpp"
#include "tests/support/store_fixture.hpp"

namespace supportgw {
namespace {

using testing::StoreFixture;

TEST(SqliteStore, TicketRoundTripsWithEveryField) {
  StoreFixture fixture;
  NewTicket input;
  input.subject = "Kritisch: System steht";
  input.description = "Nichts geht mehr.\nZweite Zeile, Ümlaute, \"Zitate\".";
  input.severity = 1;
  input.customer = Customer{"Jörg", "NETCOR Kunde AG", "joerg@kunde.test", "+49 4181 0"};
  input.product = "NETCOR Suite";
  input.product_version = "7.2.1";
  input.origin = Origin{"email-de", "<abc@mail.test>"};
  input.flags = {{"after-hours", ""}, {"fee", "emergency"}};
  input.billing_group = "Engineering";
  const auto created = fixture.store().write([&](WriteTransaction& tx) {
    return tickets::create(tx, input, fixture.format(), fixture.date(), CustomerToken::generate(),
                           fixture.actor(), fixture.now());
  });
  fixture.reopen();
  const auto loaded = fixture.store().query(
      [&](ReadTransaction& tx) { return tx.ticket_by_reference(created.ticket.reference); });
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(*loaded, created.ticket);
  EXPECT_EQ(loaded->subject, input.subject);
  EXPECT_EQ(loaded->description, input.description);
  EXPECT_EQ(loaded->customer, input.customer);
  EXPECT_EQ(loaded->origin, input.origin);
  EXPECT_EQ(loaded->flags, input.flags);
  EXPECT_EQ(loaded->status, TicketStatus::fresh);
  EXPECT_EQ(loaded->created_at, fixture.now());
}

// update_ticket rewrites the flags only when they changed; either way they read back as
// the ticket carries them.
TEST(SqliteStore, UpdatedTicketsKeepOrReplaceTheirFlags) {
  StoreFixture fixture;
  const auto created = fixture.create();
  const auto stored_flags = [&] {
    return fixture.store()
        .query([&](ReadTransaction& tx) { return tx.ticket_by_id(created.ticket.id); })
        ->flags;
  };
  Ticket ticket = created.ticket;
  ticket.flags = {{"fee", "emergency"}, {"after-hours", ""}};
  fixture.store().write([&](WriteTransaction& tx) { tx.update_ticket(ticket); });
  EXPECT_EQ(stored_flags(), ticket.flags);

  ticket.status = TicketStatus::open;  // flags as they were
  fixture.store().write([&](WriteTransaction& tx) { tx.update_ticket(ticket); });
  EXPECT_EQ(stored_flags(), ticket.flags);

  ticket.flags["fee"] = "waived";  // one value changed, one flag gone, one new
  ticket.flags.erase("after-hours");
  ticket.flags["acknowledged"] = "tech:sam";
  fixture.store().write([&](WriteTransaction& tx) { tx.update_ticket(ticket); });
  EXPECT_EQ(stored_flags(), ticket.flags);

  ticket.flags.clear();
  fixture.store().write([&](WriteTransaction& tx) { tx.update_ticket(ticket); });
  EXPECT_TRUE(stored_flags().empty());
}

TEST(SqliteStore, EventsKeepTheirChangesAndCannotBeRewritten) {
  StoreFixture fixture;
  const auto created = fixture.create();
  const auto events =
      fixture.store().query([&](ReadTransaction& tx) { return tx.events(created.ticket.id); });
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].kind, EventKind::created);
  EXPECT_EQ(events[0].actor, "cli:tester");
  EXPECT_EQ(events[0].channel, "cli");
  ASSERT_EQ(events[0].changes.size(), 2U);
  EXPECT_EQ(events[0].changes[0], (FieldChange{"status", "", "new"}));

  // Even a direct SQL statement cannot rewrite history.
  fixture.close();
  sqlite::Connection raw(fixture.database_path(), {});
  EXPECT_THROW(raw.execute("UPDATE events SET text = 'forged'"), StoreError);
  EXPECT_THROW(raw.execute("DELETE FROM events"), StoreError);
  EXPECT_THROW(raw.execute("DELETE FROM event_changes"), StoreError);
}

TEST(SqliteStore, AttachmentsRoundTrip) {
  StoreFixture fixture;
  const auto created = fixture.create();
  const Attachment attachment{0,
                              created.ticket.id,
                              "core.dump.gz",
                              5'000'000'000ULL,
                              std::string(64, 'a'),
                              "/var/lib/supportgw/uploads/1/core.dump.gz",
                              "ftp",
                              fixture.now(),
                              std::nullopt};
  const AttachmentId id =
      fixture.store().write([&](WriteTransaction& tx) { return tx.insert_attachment(attachment); });
  const auto loaded =
      fixture.store().query([&](ReadTransaction& tx) { return tx.attachments(created.ticket.id); });
  ASSERT_EQ(loaded.size(), 1U);
  Attachment expected = attachment;
  expected.id = id;
  EXPECT_EQ(loaded[0], expected);
}

TEST(SqliteStore, AttachmentOfUnknownTicketIsRefusedByForeignKey) {
  StoreFixture fixture;
  const Attachment orphan{0, 999, "x", 1, std::string(64, 'b'), "/x", "web", fixture.now(), {}};
  EXPECT_THROW(fixture.store().write([&](WriteTransaction& tx) { tx.insert_attachment(orphan); }),
               StoreError);
}

TEST(SqliteStore, OutboxDeliversRetriesAndGivesUp) {
  StoreFixture fixture;
  const auto created = fixture.create();
  const Timestamp now = fixture.now();
  const auto [first, second] = fixture.store().write([&](WriteTransaction& tx) {
    return std::pair{
        tx.enqueue_outbox(NewOutboxMessage{created.ticket.id, "mail", "ann@example.test",
                                           "Your ticket", "We are on it.", std::nullopt},
                          now),
        tx.enqueue_outbox(
            NewOutboxMessage{std::nullopt, "page", "+15550100", "Sev1", "Wake up", std::nullopt},
            now)};
  });
  auto due = fixture.store().query([&](ReadTransaction& tx) { return tx.due_outbox(now, 10); });
  ASSERT_EQ(due.size(), 2U);
  EXPECT_EQ(due[0].id, first);
  EXPECT_EQ(due[0].ticket_id, created.ticket.id);
  EXPECT_FALSE(due[1].ticket_id.has_value());

  const Timestamp later = now + std::chrono::minutes(5);
  fixture.store().write([&](WriteTransaction& tx) {
    tx.mark_outbox_sent(first, now);
    tx.mark_outbox_attempt_failed(second, later, "pager gateway timed out");
  });
  due = fixture.store().query([&](ReadTransaction& tx) { return tx.due_outbox(now, 10); });
  EXPECT_TRUE(due.empty());
  due = fixture.store().query([&](ReadTransaction& tx) { return tx.due_outbox(later, 10); });
  ASSERT_EQ(due.size(), 1U);
  EXPECT_EQ(due[0].attempts, 1);
  EXPECT_EQ(due[0].last_error, "pager gateway timed out");

  fixture.store().write([&](WriteTransaction& tx) {
    tx.mark_outbox_attempt_failed(second, std::nullopt, "pager refused the number");
  });
  due = fixture.store().query([&](ReadTransaction& tx) { return tx.due_outbox(later, 10); });
  EXPECT_TRUE(due.empty());
  // Marking a message that is no longer pending is an error, not a silent no-op.
  EXPECT_THROW(
      fixture.store().write([&](WriteTransaction& tx) { tx.mark_outbox_sent(first, now); }),
      StoreError);
}

TEST(SqliteStore, AFailingUnitRollsBackAloneInASharedCommit) {
  StoreFixture fixture;
  // Hold the writer busy so the next units queue up and share one commit.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> blocker_done;
  fixture.store().submit([released](WriteTransaction&) { released.wait(); },
                         [&](std::exception_ptr) { blocker_done.set_value(); });

  std::vector<std::promise<std::exception_ptr>> outcomes(3);
  const auto unit = [&](const std::string& subject, bool fail) {
    return [&fixture, subject, fail](WriteTransaction& tx) {
      NewTicket ticket;
      ticket.subject = subject;
      ticket.severity = 3;
      tickets::create(tx, ticket, fixture.format(), fixture.date(), CustomerToken::generate(),
                      fixture.actor(), fixture.now());
      if (fail) {
        throw InvalidArgument("unit " + subject + " fails after writing");
      }
    };
  };
  for (int i = 0; i < 3; ++i) {
    fixture.store().submit(
        unit("unit" + std::to_string(i), i == 1),
        [&outcomes, i](std::exception_ptr error) { outcomes[i].set_value(error); });
  }
  const auto commits_before = fixture.store().commit_count();
  release.set_value();
  blocker_done.get_future().wait();
  EXPECT_EQ(outcomes[0].get_future().get(), nullptr);
  EXPECT_NE(outcomes[1].get_future().get(), nullptr);
  EXPECT_EQ(outcomes[2].get_future().get(), nullptr);
  EXPECT_LE(fixture.store().commit_count() - commits_before, 2U);

  const auto tickets =
      fixture.store().query([](ReadTransaction& tx) { return tx.list_tickets(TicketFilter{}); });
  ASSERT_EQ(tickets.size(), 2U);
  EXPECT_EQ(tickets[0].subject, "unit0");
  EXPECT_EQ(tickets[1].subject, "unit2");
}

// Units that share a commit run without savepoints; when one fails, all of them run
// again, each in a savepoint (store.hpp). Only the run that commits counts.
TEST(SqliteStore, UnitsRunOnceUnlessOneOfTheirBatchFails) {
  StoreFixture fixture;
  const auto batch_of_three = [&](int failing) {
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::promise<void> blocker_started;
    std::promise<void> blocker_done;
    fixture.store().submit(
        [&blocker_started, released](WriteTransaction&) {
          blocker_started.set_value();
          released.wait();
        },
        [&](std::exception_ptr) { blocker_done.set_value(); });
    // Running: the three below queue behind it and form the next batch together.
    blocker_started.get_future().wait();
    std::vector<int> runs(3, 0);  // touched on the writer thread only, read after
    std::vector<std::promise<std::exception_ptr>> outcomes(3);
    std::vector<std::string> references(3);
    for (int i = 0; i < 3; ++i) {
      fixture.store().submit(
          [&, i](WriteTransaction& tx) {
            ++runs[static_cast<std::size_t>(i)];
            NewTicket ticket;
            ticket.subject = "unit" + std::to_string(i);
            ticket.severity = 3;
            references[static_cast<std::size_t>(i)] =
                tickets::create(tx, ticket, fixture.format(), fixture.date(),
                                CustomerToken::generate(), fixture.actor(), fixture.now())
                    .ticket.reference;
            if (i == failing) {
              throw InvalidArgument("unit " + std::to_string(i) + " fails after writing");
            }
          },
          [&outcomes, i](std::exception_ptr error) {
            outcomes[static_cast<std::size_t>(i)].set_value(error);
          });
    }
    const auto commits_before = fixture.store().commit_count();
    release.set_value();
    blocker_done.get_future().wait();
    std::vector<bool> failed;
    for (auto& outcome : outcomes) {
      failed.push_back(outcome.get_future().get() != nullptr);
    }
    EXPECT_EQ(fixture.store().commit_count() - commits_before, 2U) << "the blocker's, then ours";
    return std::tuple(runs, failed, references);
  };

  const auto [clean_runs, clean_failed, clean_references] = batch_of_three(-1);
  EXPECT_EQ(clean_runs, (std::vector<int>{1, 1, 1}));
  EXPECT_EQ(clean_failed, (std::vector<bool>{false, false, false}));

  const auto [runs, failed, references] = batch_of_three(1);
  EXPECT_EQ(runs, (std::vector<int>{2, 2, 1})) << "the first two ran again in savepoints";
  EXPECT_EQ(failed, (std::vector<bool>{false, true, false}));
  // The committed runs' tickets, numbered as if the failed unit had never run.
  const auto kept = fixture.store().query([&](ReadTransaction& tx) {
    return std::vector<bool>{tx.ticket_by_reference(references[0]).has_value(),
                             tx.ticket_by_reference(references[2]).has_value()};
  });
  EXPECT_EQ(kept, (std::vector<bool>{true, true}));
  EXPECT_EQ(fixture.store().query([](ReadTransaction& tx) { return tx.count_tickets(); }), 5);

  // Alone in its commit, a failing unit runs once: the rollback undoes just it.
  int alone = 0;
  EXPECT_THROW(fixture.store().write([&](WriteTransaction&) {
    ++alone;
    throw InvalidArgument("fails alone");
  }),
               InvalidArgument);
  EXPECT_EQ(alone, 1);
}

TEST(SqliteStore, ListFiltersAndPages) {
  StoreFixture fixture;
  for (int i = 0; i < 7; ++i) {
    fixture.create("ticket " + std::to_string(i), i % 2 == 0 ? 1 : 3);
  }
  auto severity_one = fixture.store().query([](ReadTransaction& tx) {
    TicketFilter filter;
    filter.severity = 1;
    return tx.list_tickets(filter);
  });
  EXPECT_EQ(severity_one.size(), 4U);
  std::vector<std::string> paged;
  TicketId after = 0;
  for (;;) {
    const auto page = fixture.store().query([&](ReadTransaction& tx) {
      TicketFilter filter;
      filter.after_id = after;
      filter.limit = 3;
      return tx.list_tickets(filter);
    });
    if (page.empty()) {
      break;
    }
    for (const Ticket& ticket : page) {
      paged.push_back(ticket.subject);
    }
    after = page.back().id;
  }
  ASSERT_EQ(paged.size(), 7U);
  EXPECT_EQ(paged.front(), "ticket 0");
  EXPECT_EQ(paged.back(), "ticket 6");
  const auto fresh = fixture.store().query([](ReadTransaction& tx) {
    TicketFilter filter;
    filter.status = TicketStatus::open;
    return tx.list_tickets(filter);
  });
  EXPECT_TRUE(fresh.empty());
  EXPECT_EQ(fixture.store().query([](ReadTransaction& tx) { return tx.count_tickets(); }), 7);
}

TEST(SqliteStore, FileIsInWalModeAndIntact) {
  // synchronous=FULL is per connection and proven by the durability test, which
  // watches the store's fsyncs; foreign keys by AttachmentOfUnknownTicketIsRefused.
  StoreFixture fixture;
  fixture.create();
  fixture.close();
  sqlite::Connection raw(fixture.database_path(), {});
  EXPECT_EQ(raw.pragma_text("journal_mode"), "wal");
  EXPECT_EQ(raw.pragma_text("integrity_check"), "ok");
}

TEST(SqliteStore, RefusesAFileThatIsNoDatabase) {
  testing::TempDir dir;
  const auto path = dir / "not-a-db";
  {
    std::FILE* file = std::fopen(path.c_str(), "w");
    ASSERT_NE(file, nullptr);
    std::fputs("this is a text file, not SQLite, and it is long enough to have a header......\n",
               file);
    std::fclose(file);
  }
  try {
    sqlite::SqliteStore store(path);
    FAIL() << "a text file opened as a store";
  } catch (const StoreError& error) {
    EXPECT_NE(std::string(error.what()).find(path.string()), std::string::npos) << error.what();
  }
}

TEST(SqliteStore, ReadersSeeOneSnapshot) {
  StoreFixture fixture;
  fixture.create("before");
  fixture.store().read([&](ReadTransaction& tx) {
    const auto first = tx.count_tickets();
    // A commit made while this read is open is not visible inside it.
    std::thread writer([&] { fixture.create("during"); });
    writer.join();
    EXPECT_EQ(tx.count_tickets(), first);
  });
  EXPECT_EQ(fixture.store().query([](ReadTransaction& tx) { return tx.count_tickets(); }), 2);
}

}  // namespace
}  // namespace supportgw
