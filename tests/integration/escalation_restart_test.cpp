// Restart in the middle of a ladder: the scheduler is killed with SIGKILL while it
// fires escalations, started again, killed again, and finally left to finish. Every
// breach and every step of every ticket fired exactly once, with exactly one
// notification per recipient.

#include <gtest/gtest.h>

#include <signal.h>

#include <random>
#include <thread>

#include "core/store/sqlite/connection.hpp"
#include "core/store/sqlite/sqlite_store.hpp"
#include "core/tickets/ticket_operations.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace supportgw {
namespace {

TEST(EscalationRestart, KilledSchedulerFiresEachStepExactlyOnce) {
  testing::TempDir dir;
  const std::string database = (dir / "escalations.db").string();
  const std::string policy = std::string(SUPPORTGW_EXAMPLES_DIR) + "/netex/policy.toml";
  constexpr int kTickets = 400;
  // Tuesday 10:00 in Chicago: business hours, so no after-hours page.
  const auto created =
      testing::run_program({ESCALATION_RUNNER, database, policy, "create", std::to_string(kTickets),
                            "2026-11-24T10:00:00-06:00"});
  ASSERT_EQ(created.exit_code, 0) << created.err;

  std::mt19937 random(4242);
  int kills = 0;
  for (int round = 0; round < 6; ++round) {
    testing::ChildProcess runner(
        {ESCALATION_RUNNER, database, policy, "run", "2026-11-26T12:00:00-06:00", "1"});
    std::string line;
    // Let it fire a batch or two, then kill it at a random moment.
    if (!runner.read_line(line)) {
      break;  // nothing left to do
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(random() % 40));
    runner.kill(SIGKILL);
    runner.wait();
    ++kills;
  }
  const auto finish = testing::run_program(
      {ESCALATION_RUNNER, database, policy, "run", "2026-11-26T12:00:00-06:00", "1"});
  ASSERT_EQ(finish.exit_code, 0) << finish.err;
  EXPECT_GT(kills, 0);

  {
    sqlite::Connection raw(database, {});
    EXPECT_EQ(raw.pragma_text("integrity_check"), "ok");
  }
  sqlite::SqliteStore store{std::filesystem::path(database)};
  store.read([&](ReadTransaction& tx) {
    TicketFilter all;
    all.limit = kTickets + 1;
    const auto tickets = tx.list_tickets(all);
    ASSERT_EQ(tickets.size(), static_cast<std::size_t>(kTickets));
    for (const Ticket& ticket : tickets) {
      int breaches = 0;
      int director = 0;
      int president = 0;
      for (const Event& event : tx.events(ticket.id)) {
        breaches += event.kind == EventKind::sla_breached ? 1 : 0;
        if (event.kind == EventKind::escalated) {
          director += event.text.find("Director") != std::string::npos ? 1 : 0;
          president += event.text.find("President") != std::string::npos ? 1 : 0;
        }
      }
      EXPECT_EQ(breaches, 1) << ticket.reference;
      EXPECT_EQ(director, 1) << ticket.reference;
      EXPECT_EQ(president, 1) << ticket.reference;
      const auto mail = tx.ticket_outbox(ticket.id);
      ASSERT_EQ(mail.size(), 2U) << ticket.reference;
      EXPECT_EQ(mail[0].recipient, "director.customer-services@netex.example");
      EXPECT_EQ(mail[1].recipient, "president@netex.example");
      for (const ScheduledAction& action : tx.ticket_actions(ticket.id)) {
        EXPECT_EQ(action.status, ScheduleStatus::fired) << ticket.reference;
      }
    }
  });
}

}  // namespace
}  // namespace supportgw
