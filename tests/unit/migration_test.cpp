#include <gtest/gtest.h>

#include "core/store/sqlite/connection.hpp"
#include "core/store/sqlite/schema.hpp"
#include "core/store/sqlite/sqlite_store.hpp"
#include "core/util/error.hpp"
#include "tests/support/temp_dir.hpp"

namespace supportgw {
namespace {

using testing::TempDir;

std::int64_t table_count(sqlite::Connection& db) {
  auto query = db.prepare(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  query->step();
  return query->column_int64(0);
}

TEST(Migrations, EmptyFileGetsTheLatestSchema) {
  TempDir dir;
  { sqlite::SqliteStore store(dir / "new.db"); }
  sqlite::Connection db(dir / "new.db", {});
  EXPECT_EQ(db.pragma_int("user_version"), sqlite::latest_schema_version());
  // sequences tickets ticket_flags events event_changes intake_keys attachments outbox
  // sla_clocks escalation_arms schedule ticket_keys api_keys incidents incident_components
  // incident_updates incident_tickets
  EXPECT_EQ(table_count(db), 17);
}

TEST(Migrations, PreviousSchemaIsUpgradedWithItsDataKept) {
  TempDir dir;
  const auto path = dir / "old.db";
  {
    // A database as the first release left it: schema 1, one ticket written by its SQL.
    sqlite::Connection db(path, {});
    sqlite::migrate(db, 1);
    ASSERT_EQ(db.pragma_int("user_version"), 1);
    db.execute(
        "INSERT INTO tickets (reference, token_hash, subject, description, severity, status, "
        "customer_name, customer_company, customer_email, customer_phone, product, "
        "product_version, origin_channel, origin_id, billing_group, created_at, updated_at) "
        "VALUES ('SR-2025-000001', zeroblob(32), 'Old ticket', '', 2, 'open', 'Old Customer', '', "
        "'', '', '', '', 'email', '<old@x>', '', 1700000000000, 1700000000000)");
    EXPECT_THROW(db.execute("SELECT * FROM attachments"), StoreError);
  }
  sqlite::SqliteStore store(path);
  const auto old =
      store.query([](ReadTransaction& tx) { return tx.ticket_by_reference("SR-2025-000001"); });
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(old->customer.name, "Old Customer");
  EXPECT_EQ(old->status, TicketStatus::open);
  // What migration 2 added works on the old ticket.
  const Attachment attachment{0, old->id, "log.txt", 3, std::string(64, 'c'), "/x", "ftp", {}, {}};
  EXPECT_NO_THROW(store.write([&](WriteTransaction& tx) { tx.insert_attachment(attachment); }));
  EXPECT_EQ(store.query([&](ReadTransaction& tx) { return tx.attachments(old->id).size(); }), 1U);
}

TEST(Migrations, ANewerDatabaseIsRefusedWithBothVersions) {
  TempDir dir;
  const auto path = dir / "future.db";
  {
    sqlite::Connection db(path, {});
    sqlite::migrate(db);
    db.execute("PRAGMA user_version = 99");
  }
  try {
    sqlite::SqliteStore store(path);
    FAIL() << "opened a database from the future";
  } catch (const StoreError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    EXPECT_NE(message.find("99"), std::string::npos) << message;
    EXPECT_NE(message.find(std::to_string(sqlite::latest_schema_version())), std::string::npos)
        << message;
  }
}

TEST(Migrations, ReopeningAppliesNothingTwice) {
  TempDir dir;
  { sqlite::SqliteStore store(dir / "a.db"); }
  { sqlite::SqliteStore store(dir / "a.db"); }
  sqlite::Connection db(dir / "a.db", {});
  EXPECT_EQ(db.pragma_int("user_version"), sqlite::latest_schema_version());
  EXPECT_EQ(db.pragma_text("integrity_check"), "ok");
}

// Regression: opening a ticket read the whole schedule table (the only index on
// ticket_id covered pending rows), so intake slowed down with every action ever
// scheduled. Every per-ticket query the store makes must be an index search.
TEST(Migrations, PerTicketQueriesSearchAnIndex) {
  TempDir dir;
  { sqlite::SqliteStore store(dir / "plan.db"); }
  sqlite::Connection db(dir / "plan.db", {});
  for (const char* sql : {
           "SELECT id FROM schedule WHERE ticket_id = 1 ORDER BY id",
           "SELECT id FROM schedule WHERE ticket_id = 1 AND status = 'pending' ORDER BY due_at, id",
           "SELECT id FROM outbox WHERE ticket_id = 1 ORDER BY id",
           "SELECT id FROM events WHERE ticket_id = 1 ORDER BY id",
           "SELECT id FROM attachments WHERE ticket_id = 1 ORDER BY id",
           "SELECT kind FROM sla_clocks WHERE ticket_id = 1 ORDER BY kind",
           "SELECT flag FROM ticket_flags WHERE ticket_id = 1",
           "SELECT id FROM tickets WHERE reference = 'SR-2026-000001'",
       }) {
    auto plan = db.prepare(std::string("EXPLAIN QUERY PLAN ") + sql);
    std::string steps;
    while (plan->step()) {
      steps += plan->column_text(3) + "; ";
    }
    EXPECT_EQ(steps.find("SCAN"), std::string::npos) << sql << " -> " << steps;
  }
}

// The duplicate search runs in every new ticket's unit on the writer: a walk along one
// customer's index range that touches neither the table (the index covers the columns)
// nor a temporary b-tree (the index order is the ORDER BY). Schema 8 added the columns;
// a first try without `id` among them sorted every search.
TEST(Migrations, TheDuplicateSearchReadsOneIndexRangeInOrder) {
  TempDir dir;
  { sqlite::SqliteStore store(dir / "plan.db"); }
  sqlite::Connection db(dir / "plan.db", {});
  for (const char* column : {"customer_email", "customer_phone"}) {
    auto plan = db.prepare(std::string("EXPLAIN QUERY PLAN SELECT id, reference, subject, "
                                       "created_at FROM tickets WHERE ") +
                           column + " = 'a' AND " + column +
                           " <> '' AND created_at >= 0 ORDER BY created_at DESC, id DESC LIMIT 50");
    std::string steps;
    while (plan->step()) {
      steps += plan->column_text(3) + "; ";
    }
    EXPECT_NE(steps.find("COVERING INDEX tickets_by_"), std::string::npos)
        << column << ": " << steps;
    EXPECT_EQ(steps.find("TEMP B-TREE"), std::string::npos) << column << ": " << steps;
  }
}

}  // namespace
}  // namespace supportgw
