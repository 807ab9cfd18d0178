// A write is acknowledged only after the fsync that makes it durable, and concurrent
// writes share that fsync (group commit). Watched through a SQLite VFS that counts
// the real fsyncs of the write-ahead log.

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <thread>
#include <vector>

#include "core/store/sqlite/connection.hpp"
#include "core/store/sqlite/sqlite_store.hpp"
#include "core/tickets/ticket_operations.hpp"
#include "tests/support/counting_vfs.hpp"
#include "tests/support/temp_dir.hpp"

namespace supportgw {
namespace {

class StoreDurability : public ::testing::Test {
 protected:
  void SetUp() override {
    counts_ = &testing::counting_vfs();
    sqlite::SqliteStoreOptions options;
    options.path = dir_ / "durable.db";
    options.vfs = testing::kCountingVfsName;
    options_ = options;
    store_ = std::make_unique<sqlite::SqliteStore>(options);
  }

  Store::Work create_work(const std::string& subject) {
    return [this, subject](WriteTransaction& tx) {
      NewTicket ticket;
      ticket.subject = subject;
      ticket.severity = 2;
      tickets::create(tx, ticket, format_, CivilDate{2026, 11, 22}, CustomerToken::generate(),
                      Actor{"test", "test"}, Timestamp{});
    };
  }

  testing::TempDir dir_;
  testing::SyncCounts* counts_ = nullptr;
  sqlite::SqliteStoreOptions options_;
  std::unique_ptr<sqlite::SqliteStore> store_;
  ReferenceFormat format_{"SR-{yyyy}-{seq:6}"};
};

TEST_F(StoreDurability, EveryAcknowledgedWriteFollowsAnFsyncOfTheLog) {
  for (int i = 0; i < 50; ++i) {
    const auto syncs_before = counts_->wal_syncs.load();
    const auto writes_before = counts_->wal_writes.load();
    store_->write(create_work("ticket " + std::to_string(i)));
    // The commit wrote to the log and the log was fsynced before write() returned.
    EXPECT_GT(counts_->wal_writes.load(), writes_before) << i;
    EXPECT_GT(counts_->wal_syncs.load(), syncs_before) << i;
  }
}

TEST_F(StoreDurability, QueuedWritesShareOneFsync) {
  // Park the writer so the next units queue up behind it.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> parked;
  store_->submit(
      [&parked, released](WriteTransaction&) {
        parked.set_value();
        released.wait();
      },
      nullptr);
  parked.get_future().wait();

  constexpr int kUnits = 64;
  std::vector<std::promise<std::uint64_t>> syncs_seen(kUnits);
  for (int i = 0; i < kUnits; ++i) {
    store_->submit(create_work("queued " + std::to_string(i)),
                   [this, &syncs_seen, i](std::exception_ptr error) {
                     EXPECT_EQ(error, nullptr);
                     syncs_seen[i].set_value(counts_->wal_syncs.load());
                   });
  }
  const auto syncs_before = counts_->wal_syncs.load();
  const auto commits_before = store_->commit_count();
  release.set_value();
  for (auto& seen : syncs_seen) {
    // Each completion ran after an fsync that followed the release.
    EXPECT_GT(seen.get_future().get(), syncs_before);
  }
  // The parked unit's commit plus at most one more: 64 creates, not 64 commits.
  EXPECT_LE(store_->commit_count() - commits_before, 2U);
  EXPECT_LE(counts_->wal_syncs.load() - syncs_before, 4U);
}

TEST_F(StoreDurability, ConcurrentWritersNeedFewerFsyncsThanWrites) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 100;
  const auto syncs_before = counts_->wal_syncs.load();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < kPerThread; ++i) {
        store_->write(create_work(std::to_string(t) + "/" + std::to_string(i)));
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  const auto syncs = counts_->wal_syncs.load() - syncs_before;
  // Not a timing claim: a commit covers every unit queued while the previous one was
  // being fsynced, so 800 writes from 8 threads cannot each need their own.
  EXPECT_LT(syncs, static_cast<std::uint64_t>(kThreads * kPerThread));
  std::cout << "800 durable creates from 8 threads took " << syncs << " WAL fsyncs\n";
}

// WAL checkpoints run on a thread of their own once the log passes checkpoint_pages, and
// sync the database file there; no commit is lost or doubled across them.
TEST_F(StoreDurability, CheckpointsRunOffTheWriterAndKeepEveryCommit) {
  store_.reset();
  options_.checkpoint_pages = 16;
  store_ = std::make_unique<sqlite::SqliteStore>(options_);
  const auto database_syncs_before = counts_->database_syncs.load();
  constexpr int kTickets = 400;
  for (int i = 0; i < kTickets; ++i) {
    store_->write(create_work("ticket " + std::to_string(i)));
  }
  for (int wait = 0; wait < 500 && store_->background_checkpoints() == 0; ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GT(store_->background_checkpoints(), 0u);
  EXPECT_GT(counts_->database_syncs.load(), database_syncs_before);
  store_.reset();
  store_ = std::make_unique<sqlite::SqliteStore>(options_);
  EXPECT_EQ(store_->query([](ReadTransaction& tx) { return tx.count_tickets(); }), kTickets);
}

// The writer's WAL writes are gathered (core/store/sqlite/wal_write_buffer.hpp): SQLite
// alone writes each frame in two pieces, two writes a page. A commit of over a megabyte
// also proves the pieces: SQLite's unix VFS loses writes of 128 KiB or more.
TEST_F(StoreDurability, ACommitReachesTheLogInFewLargeWrites) {
  const auto writes_before = counts_->wal_writes.load();
  const auto syncs_before = counts_->wal_syncs.load();
  store_->write([this](WriteTransaction& tx) {
    for (int i = 0; i < 400; ++i) {
      create_work("a ticket among many, number " + std::to_string(i) + std::string(900, 'x'))(tx);
    }
  });
  const auto writes = counts_->wal_writes.load() - writes_before;
  const auto wal_bytes = std::filesystem::file_size(dir_ / "durable.db-wal");
  ASSERT_GT(wal_bytes, 1024U * 1024U);
  const auto pages = wal_bytes / 4096;
  EXPECT_LE(writes, wal_bytes / (64 * 1024) + 2) << "for about " << pages << " pages";
  EXPECT_GT(counts_->wal_syncs.load(), syncs_before);

  // All of it is there, through the store and for another connection after a reopen.
  store_.reset();
  store_ = std::make_unique<sqlite::SqliteStore>(options_);
  store_->read([](ReadTransaction& tx) {
    TicketFilter all;
    all.limit = 1000;
    EXPECT_EQ(tx.list_tickets(all).size(), 400U);
  });
  sqlite::Connection raw(options_.path, {});
  EXPECT_EQ(raw.pragma_text("integrity_check"), "ok");
}

}  // namespace
}  // namespace supportgw
