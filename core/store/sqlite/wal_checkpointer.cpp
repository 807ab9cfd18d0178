#include "core/store/sqlite/wal_checkpointer.hpp"

#include <sqlite3.h>

namespace supportgw::sqlite {

WalCheckpointer::WalCheckpointer(const std::filesystem::path& path,
                                 const ConnectionOptions& options, int background_pages,
                                 int writer_pages)
    : connection_(std::make_unique<Connection>(path, options)),
      background_pages_(background_pages),
      writer_pages_(writer_pages) {
  // A checkpoint syncs with its own connection's setting: FULL, as the writer's.
  connection_->execute("PRAGMA synchronous = FULL;");
  thread_ = std::thread([this] { loop(); });
}

WalCheckpointer::~WalCheckpointer() {
  if (writer_ != nullptr) {
    sqlite3_wal_hook(writer_->handle(), nullptr, nullptr);
  }
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wanted_.notify_all();
  thread_.join();
}

void WalCheckpointer::attach_to(Connection& writer) {
  writer_ = &writer;
  sqlite3_wal_hook(writer.handle(), &WalCheckpointer::on_commit, this);
}

std::uint64_t WalCheckpointer::background_checkpoints() const {
  std::lock_guard lock(mutex_);
  return done_;
}

// On the writer's thread, after each commit, with the WAL's length in pages.
int WalCheckpointer::on_commit(void* self, sqlite3* db, const char* schema, int wal_pages) {
  auto& checkpointer = *static_cast<WalCheckpointer*>(self);
  if (wal_pages >= checkpointer.writer_pages_) {
    // The background fell behind: the writer bounds the WAL itself, as SQLite's own
    // automatic checkpoint would (mostly copied already, so mostly cheap). A failure
    // here does not undo the commit; the next commit tries again.
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return SQLITE_OK;
  }
  // Only frames not yet copied are work: the WAL's length stays up until the writer
  // wraps around to its start, which it does once everything was copied.
  int copied = checkpointer.copied_pages_.load();
  if (wal_pages < copied) {  // the writer started the WAL over
    checkpointer.copied_pages_.store(0);
    copied = 0;
  }
  if (wal_pages - copied >= checkpointer.background_pages_) {
    {
      std::lock_guard lock(checkpointer.mutex_);
      checkpointer.due_ = true;
    }
    checkpointer.wanted_.notify_one();
  }
  return SQLITE_OK;
}

void WalCheckpointer::loop() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wanted_.wait(lock, [this] { return due_ || stopping_; });
      if (stopping_) {
        return;
      }
      due_ = false;
    }
    // PASSIVE copies what no reader still needs and waits for nobody; SQLITE_BUSY (the
    // writer is checkpointing itself) only means another try at the next commit.
    int wal_pages = 0;
    int copied = 0;
    if (sqlite3_wal_checkpoint_v2(connection_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                  &wal_pages, &copied) == SQLITE_OK &&
        copied >= 0) {
      copied_pages_.store(copied);
    }
    std::lock_guard lock(mutex_);
    ++done_;
  }
}

}  // namespace supportgw::sqlite
