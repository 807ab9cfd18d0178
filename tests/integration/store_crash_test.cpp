// kill -9 in the middle of writing: the database is intact, every ticket whose create
// returned is there complete, and nothing is half-written.

#include <gtest/gtest.h>

#include <signal.h>

#include <map>
#include <random>

#include "core/store/sqlite/connection.hpp"
#include "core/store/sqlite/sqlite_store.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace supportgw {
namespace {

TEST(StoreCrash, KilledWriterLosesNothingAcknowledged) {
  testing::TempDir dir;
  const auto database = dir / "crash.db";
  std::map<std::string, std::string> acknowledged;  // reference -> origin id
  std::mt19937 random(20261122);
  for (int round = 0; round < 4; ++round) {
    testing::ChildProcess writer(
        {STORE_CRASH_WRITER, database.string(), "4", "run" + std::to_string(round)});
    // Kill after a varying number of acknowledged creates, so the kill lands at
    // different points of the writer's commit cycle.
    const int kill_after = 100 + static_cast<int>(random() % 400);
    std::string line;
    int seen = 0;
    while (seen < kill_after && writer.read_line(line)) {
      const auto space = line.find(' ');
      ASSERT_NE(space, std::string::npos) << line;
      acknowledged[line.substr(0, space)] = line.substr(space + 1);
      ++seen;
    }
    ASSERT_EQ(seen, kill_after) << "the writer ended early in round " << round;
    writer.kill(SIGKILL);
    // Lines already in the pipe were acknowledged before the kill; they count too.
    while (writer.read_line(line)) {
      const auto space = line.find(' ');
      if (space != std::string::npos) {
        acknowledged[line.substr(0, space)] = line.substr(space + 1);
      }
    }
    const int status = writer.wait();
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

    {
      sqlite::Connection raw(database, {});
      EXPECT_EQ(raw.pragma_text("integrity_check"), "ok") << "round " << round;
    }
    sqlite::SqliteStore store(database);
    store.read([&](ReadTransaction& tx) {
      for (const auto& [reference, origin_id] : acknowledged) {
        const auto ticket = tx.ticket_by_reference(reference);
        ASSERT_TRUE(ticket.has_value()) << reference << " was acknowledged but is gone";
        EXPECT_EQ(ticket->origin.id, origin_id);
        EXPECT_EQ(ticket->subject, "crash " + origin_id);
        EXPECT_EQ(ticket->flags.size(), 2U) << reference;
      }
      // Whatever committed (acknowledged or not) is whole: its event, intake key and
      // outbox row came with it.
      TicketFilter all;
      all.limit = 1'000'000;
      const auto tickets = tx.list_tickets(all);
      EXPECT_GE(tickets.size(), acknowledged.size());
      for (const Ticket& ticket : tickets) {
        const auto events = tx.events(ticket.id);
        ASSERT_EQ(events.size(), 1U) << ticket.reference;
        EXPECT_EQ(events[0].kind, EventKind::created);
        EXPECT_EQ(ticket.flags.size(), 2U) << ticket.reference;
        const auto intake = tx.intake_record(ticket.origin);
        ASSERT_TRUE(intake.has_value()) << ticket.reference;
        EXPECT_EQ(intake->ticket_id, ticket.id);
      }
      const auto outbox = tx.due_outbox(Timestamp::max(), 1'000'000);
      EXPECT_EQ(outbox.size(), tickets.size());
    });
  }
  EXPECT_GT(acknowledged.size(), 400U);
}

}  // namespace
}  // namespace supportgw
