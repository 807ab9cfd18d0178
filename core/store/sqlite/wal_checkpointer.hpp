#pragma once
// Moves WAL checkpoints off the store's writer thread.
//
// SQLite's default checkpoints the WAL inside the commit that takes it past 1,000
// pages: the writer copies the pages into the database file and fsyncs it while every
// unit of its next batch (and each customer waiting on them) waits. Here the writer's
// commit hook only wakes a thread of this class's own, which checkpoints PASSIVE on a
// connection of its own (never blocking the writer or a reader) while the writer goes
// on. When the background cannot keep up (or fails), the writer still checkpoints
// itself past `writer_pages`, so the WAL stays bounded as before, only larger.
//
// Durability is unchanged: a commit is durable once its WAL frames are synced; a
// checkpoint syncs the WAL before and the database after copying, as SQLite's own does.

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "core/store/sqlite/connection.hpp"

struct sqlite3;

namespace supportgw::sqlite {

class WalCheckpointer {
 public:
  // Opens its own connection to `path`. Throws StoreError when it cannot.
  WalCheckpointer(const std::filesystem::path& path, const ConnectionOptions& options,
                  int background_pages, int writer_pages);
  // Takes the hook off the writer (whose thread must have stopped writing), finishes a
  // checkpoint under way, then stops.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Replaces `writer`'s automatic checkpoints with this: call before the writer's first
  // write. `writer` must outlive this object.
  void attach_to(Connection& writer);

  // Checkpoints run so far in the background (for tests and benchmarks).
  std::uint64_t background_checkpoints() const;

 private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void loop();

  std::unique_ptr<Connection> connection_;
  Connection* writer_ = nullptr;
  // WAL frames copied into the database by the last background checkpoint, in the
  // WAL's current round (the writer starts it over once all was copied).
  std::atomic<int> copied_pages_{0};
  const int background_pages_;
  const int writer_pages_;

  mutable std::mutex mutex_;
  std::condition_variable wanted_;
  bool due_ = false;
  bool stopping_ = false;
  std::uint64_t done_ = 0;

  std::thread thread_;  // last: starts after every member above exists
};

}  // namespace supportgw::sqlite
