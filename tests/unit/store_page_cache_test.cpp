// The store's page cache (core/store/sqlite/page_cache.hpp): SQLite's own, except that a
// commit's truncation that could drop nothing is not forwarded. The bookkeeping first,
// then real SQLite on top of the installed cache, through the b-tree balances that
// borrow the temporary page number, savepoint rollbacks and rollbacks that grew and
// shrank the file.
//
// A program of its own: the cache can be installed only before SQLite's first use in
// the process.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <random>
#include <string>

#include "core/store/sqlite/page_cache.hpp"
#include "tests/support/temp_dir.hpp"

namespace supportgw::sqlite {
namespace {

constexpr std::uint32_t kTemporary = 262'145;  // the pending-byte page with 4 KiB pages

TEST(PageNumberBound, AnEmptyCacheHasNothingToDrop) {
  const PageNumberBound bound(kTemporary);
  EXPECT_FALSE(bound.may_hold_from(1));
}

TEST(PageNumberBound, AHeldPageIsDroppedByATruncationBelowIt) {
  PageNumberBound bound(kTemporary);
  bound.held(40);
  bound.held(7);
  EXPECT_TRUE(bound.may_hold_from(40));
  EXPECT_TRUE(bound.may_hold_from(8));
  EXPECT_FALSE(bound.may_hold_from(41));
}

TEST(PageNumberBound, ABalanceThatSwapsTwoPagesLeavesNothingPastTheDatabase) {
  // balance_nonroot() puts new pages in ascending order: A to the temporary number, B to
  // A, the temporary to B. pcache1 remembers the temporary number for good; the bound
  // does not.
  PageNumberBound bound(kTemporary);
  bound.held(120);
  bound.held(118);
  bound.held(kTemporary);  // sqlite3PcacheMove() looks for a page there first: none
  bound.moved(120, kTemporary);
  EXPECT_TRUE(bound.may_hold_from(121)) << "the temporary page is held during the swap";
  bound.moved(118, 120);
  bound.moved(kTemporary, 118);
  EXPECT_FALSE(bound.may_hold_from(121)) << "the commit's truncation to 120 pages";
  EXPECT_TRUE(bound.may_hold_from(120));
}

TEST(PageNumberBound, ATruncationLowersTheBound) {
  PageNumberBound bound(kTemporary);
  bound.held(500);
  ASSERT_TRUE(bound.may_hold_from(301));
  bound.truncated(301);  // a rollback of a transaction that grew the file
  EXPECT_FALSE(bound.may_hold_from(301));
  EXPECT_TRUE(bound.may_hold_from(300));
  bound.truncated(1);  // the whole cache cleared
  EXPECT_FALSE(bound.may_hold_from(1));
}

TEST(PageNumberBound, ATruncationPastTheTemporaryPageKeepsIt) {
  // A database past 1 GiB: the temporary page lies inside it, and a truncation beyond it
  // does not drop it.
  PageNumberBound bound(kTemporary);
  bound.held(kTemporary + 10);
  bound.moved(kTemporary + 10, kTemporary);
  bound.truncated(kTemporary + 5);
  EXPECT_TRUE(bound.may_hold_from(kTemporary)) << "still held under the temporary number";
  EXPECT_FALSE(bound.may_hold_from(kTemporary + 5));
}

class Database {
 public:
  explicit Database(const std::filesystem::path& file) {
    EXPECT_EQ(sqlite3_open(file.c_str(), &db_), SQLITE_OK);
    run("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;");
  }
  ~Database() { sqlite3_close(db_); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void run(const std::string& sql) {
    char* error = nullptr;
    const int code = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
    ASSERT_EQ(code, SQLITE_OK) << sql.substr(0, 80) << ": " << (error ? error : "");
    sqlite3_free(error);
  }

  std::string text(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr), SQLITE_OK);
    std::string result;
    if (sqlite3_step(statement) == SQLITE_ROW) {
      result = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
    return result;
  }

  void insert(std::int64_t key, const std::string& value) {
    run("INSERT INTO t (k, v) VALUES (" + std::to_string(key) + ", '" + value + "')");
  }

 private:
  sqlite3* db_ = nullptr;
};

// Random text: an index on it takes every insert to a random leaf, so leaves split and
// their balances swap page numbers.
std::string random_text(std::mt19937_64& random) {
  static constexpr char kLetters[] = "abcdefghijklmnopqrstuvwxyz";
  std::string text(40 + random() % 120, ' ');
  for (char& c : text) {
    c = kLetters[random() % 26];
  }
  return text;
}

TEST(StorePageCache, SqliteKeepsItsDataThroughSplitsSavepointsAndRollbacks) {
  ASSERT_TRUE(install_page_cache()) << "installed before SQLite's first use";
  supportgw::testing::TempDir dir;
  Database db(dir.path() / "cache.db");
  db.run("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL); CREATE INDEX t_by_v ON t (v);");

  std::mt19937_64 random(20261203);
  std::map<std::int64_t, std::string> expected;
  std::int64_t next_key = 1;
  for (int round = 0; round < 200; ++round) {
    db.run("BEGIN IMMEDIATE");
    for (int unit = 0; unit < 8; ++unit) {
      // As the store runs a batch: each unit in a savepoint; one in four is undone.
      db.run("SAVEPOINT unit");
      const bool undo = random() % 4 == 0;
      std::map<std::int64_t, std::string> added;
      for (int row = 0; row < 6; ++row) {
        const std::string value = random_text(random);
        db.insert(next_key, value);
        added.emplace(next_key++, value);
      }
      db.run(undo ? "ROLLBACK TO unit; RELEASE unit" : "RELEASE unit");
      if (!undo) {
        expected.insert(added.begin(), added.end());
      }
    }
    db.run("COMMIT");
    if (round % 25 == 24) {
      // A transaction that grows the file by hundreds of pages and is rolled back: the
      // cache must drop every page past the old end, whose numbers the next rounds reuse.
      const std::string pages_before = db.text("PRAGMA page_count");
      db.run("BEGIN IMMEDIATE");
      for (int row = 0; row < 400; ++row) {
        db.insert(next_key + 1'000'000 + row, random_text(random) + random_text(random));
      }
      EXPECT_NE(db.text("PRAGMA page_count"), pages_before);
      db.run("ROLLBACK");
      EXPECT_EQ(db.text("PRAGMA page_count"), pages_before);
    }
  }

  EXPECT_EQ(db.text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(db.text("SELECT count(*) FROM t"), std::to_string(expected.size()));
  std::string rows;
  for (const auto& [key, value] : expected) {
    rows += std::to_string(key) + "=" + value + ";";
  }
  EXPECT_EQ(db.text("SELECT group_concat(k || '=' || v || ';', '') FROM (SELECT k, v FROM t "
                    "ORDER BY k)"),
            rows);
}

}  // namespace
}  // namespace supportgw::sqlite
