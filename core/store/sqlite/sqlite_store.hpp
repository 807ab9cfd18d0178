#pragma once
// The SQLite store: one file in WAL mode, one writer thread that commits units of work
// in groups, and a pool of reader connections that never wait for the writer.
//
// Group commit: units queued while a commit is in flight are run together, each in its
// own SAVEPOINT (a failing unit rolls back alone), under one COMMIT and so one fsync
// (synchronous=FULL). Every unit's completion runs after that fsync returned.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/store/store.hpp"

namespace supportgw::sqlite {

class Connection;
class WalCheckpointer;

struct SqliteStoreOptions {
  // The database file; created (with its schema) when missing.
  std::filesystem::path path;
  // Most reader connections kept open at once; further readers wait for a free one.
  std::size_t max_readers = 8;
  // Most units of work one commit covers; bounds how long the first of them waits.
  std::size_t max_batch = 1024;
  // SQLite VFS to use; empty is the default. For tests that watch the I/O.
  std::string vfs;
  // How long a write waits for another process holding the lock before it fails.
  int busy_timeout_ms = 10'000;
  // Bytes of the file each reader maps into memory (SQLite's mmap_size); 0 turns
  // mapping off. Off by default: SQLite drops a reader's whole mapping at the first read
  // after another connection committed, so under a steady stream of commits remapping
  // and faulting the pages in again costs more than the reads it saves.
  std::int64_t mmap_bytes = 0;
  // Decoded pages each connection caches, in KiB (SQLite's default is 2 MiB).
  std::int64_t cache_kib = 64 * 1024;
  // WAL pages after which a thread of the store's own checkpoints (wal_checkpointer.hpp),
  // and after which the writer does it itself because that thread fell behind.
  int checkpoint_pages = 1'000;
  int writer_checkpoint_pages = 10'000;
  // How often data_version() asks SQLite whether another process committed (the CLI
  // beside the daemon): at most once per interval, so such a commit is seen within it.
  // This process's own commits are seen at once, whatever the interval.
  std::chrono::microseconds foreign_commit_check{1'000};
};

class SqliteStore final : public Store {
 public:
  // Process-wide SQLite settings for a server with many reader threads: no allocation
  // statistics, which SQLite keeps under one mutex that every reader thread would queue
  // on for each text column it reads; and the page cache of page_cache.hpp, which spares
  // the writer a walk over every cached page at each commit. Takes effect only before
  // SQLite's first use in the process (a later call changes nothing); the daemon calls
  // it at start.
  static void configure_process();

  // Opens or creates the database and applies pending migrations. Throws StoreError
  // naming the file when it cannot be opened, is not a database, or is newer than
  // this build.
  explicit SqliteStore(SqliteStoreOptions options);
  // The same with every other option at its default.
  explicit SqliteStore(const std::filesystem::path& path);
  // Runs every unit already submitted, then stops the writer thread.
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  void submit(Work work, Completion done) override;
  void read(const std::function<void(ReadTransaction&)>& query) override;
  std::string location() const override;
  // This process's commits counted as the writer makes them, plus a count of the times
  // SQLite's PRAGMA data_version (on a connection of the store's own that never writes)
  // was seen to change, looked at no more often than options.foreign_commit_check. On
  // most calls two atomic loads: a ticket page served from the cache would otherwise
  // spend a tenth of its time on the PRAGMA's read transaction and its file locks.
  std::uint64_t data_version() override;

  // How many commits the writer has made; with the number of units, shows how well
  // commits are shared. For benchmarks and tests.
  std::uint64_t commit_count() const;
  // How many WAL checkpoints ran off the writer's thread (wal_checkpointer.hpp).
  std::uint64_t background_checkpoints() const;

 private:
  struct Request {
    Work work;
    Completion done;
  };

  void writer_loop();
  void run_batch(std::vector<Request>& batch);
  // Runs the batch's units in one transaction without savepoints. Returns false, with
  // the transaction rolled back and no completion called, when one of several units
  // failed; true when every completion was called.
  bool run_without_savepoints(std::vector<Request>& batch);
  // Runs each unit in a savepoint of its own, so a failing unit rolls back alone.
  void run_with_savepoints(std::vector<Request>& batch);
  // BEGIN IMMEDIATE; when it fails, completes every unit with the error and returns false.
  bool begin(std::vector<Request>& batch);
  // COMMIT (or, when `batch_error` is set, ROLLBACK), then every completion: a unit's own
  // error, or the batch's.
  void finish(std::vector<Request>& batch, const std::vector<std::exception_ptr>& errors,
              std::exception_ptr batch_error);
  std::unique_ptr<Connection> acquire_reader();
  void release_reader(std::unique_ptr<Connection> reader);

  SqliteStoreOptions options_;
  std::unique_ptr<Connection> writer_;
  // After the writer: stopped (and destroyed) before the writer's connection closes.
  std::unique_ptr<WalCheckpointer> checkpointer_;

  mutable std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::deque<Request> queue_;
  bool stopping_ = false;
  std::uint64_t commits_ = 0;

  // data_version(): own commits (bumped after each COMMIT), and changes of the PRAGMA,
  // last looked at (steady clock, in nanoseconds) at foreign_checked_at_.
  std::atomic<std::uint64_t> own_commits_{0};
  std::atomic<std::uint64_t> foreign_changes_{0};
  std::atomic<std::int64_t> foreign_checked_at_{0};  // 0: never
  std::mutex version_mutex_;                         // guards the two below
  std::unique_ptr<Connection> version_reader_;       // opened at first use
  std::optional<std::int64_t> last_pragma_version_;

  std::mutex readers_mutex_;
  std::condition_variable reader_returned_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
  std::size_t open_readers_ = 0;

  std::thread writer_thread_;  // last: starts after every member above exists
};

}  // namespace supportgw::sqlite
