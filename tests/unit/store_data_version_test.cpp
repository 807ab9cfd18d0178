// SqliteStore::data_version(): the number caches key on (core/host/ticket_view_cache.hpp).
// It must move with every commit: at once for the store's own, within the store's
// foreign_commit_check interval for another process's.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <string>
#include <thread>

#include "core/store/sqlite/sqlite_store.hpp"
#include "tests/support/store_fixture.hpp"

namespace supportgw {
namespace {

// Another process's commit, as the CLI beside the daemon makes it.
void commit_elsewhere(const std::filesystem::path& database, const std::string& sql) {
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(database.c_str(), &other), SQLITE_OK);
  sqlite3_busy_timeout(other, 10'000);
  EXPECT_EQ(sqlite3_exec(other, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(other);
  sqlite3_close(other);
}

TEST(StoreDataVersion, StaysWhileNothingCommits) {
  testing::StoreFixture fixture;
  fixture.create();
  const auto version = fixture.store().data_version();
  fixture.store().read([](ReadTransaction& tx) { (void)tx.ticket_by_reference("nothing"); });
  EXPECT_EQ(fixture.store().data_version(), version);
}

TEST(StoreDataVersion, MovesAtOnceWithTheStoresOwnCommits) {
  testing::StoreFixture fixture;
  const auto before = fixture.store().data_version();
  fixture.create();
  const auto after_one = fixture.store().data_version();
  EXPECT_NE(after_one, before);
  fixture.create("Second");
  EXPECT_NE(fixture.store().data_version(), after_one);
}

TEST(StoreDataVersion, MovesWithAnotherProcesssCommitOnceTheCheckIntervalPassed) {
  testing::StoreFixture fixture;
  const auto created = fixture.create();
  const auto before = fixture.store().data_version();
  commit_elsewhere(fixture.database_path(), "UPDATE tickets SET subject = 'Changed' WHERE id = " +
                                                std::to_string(created.ticket.id) + ";");
  // The default interval is a millisecond; nothing else asks in between.
  std::this_thread::sleep_for(sqlite::SqliteStoreOptions{}.foreign_commit_check * 2);
  const auto after = fixture.store().data_version();
  EXPECT_NE(after, before);
  std::this_thread::sleep_for(sqlite::SqliteStoreOptions{}.foreign_commit_check * 2);
  EXPECT_EQ(fixture.store().data_version(), after) << "moved with no commit in between";
}

}  // namespace
}  // namespace supportgw
