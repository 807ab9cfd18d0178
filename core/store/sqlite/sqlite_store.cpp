#include "core/store/sqlite/sqlite_store.hpp"

#include <sqlite3.h>

#include "core/store/sqlite/connection.hpp"
#include "core/store/sqlite/page_cache.hpp"
#include "core/store/sqlite/schema.hpp"
#include "core/store/sqlite/sqlite_transaction.hpp"
#include "core/store/sqlite/wal_checkpointer.hpp"
#include "core/store/sqlite/wal_write_buffer.hpp"
#include "core/util/error.hpp"

namespace supportgw::sqlite {
namespace {

void complete(const Store::Completion& done, const std::exception_ptr& error) noexcept {
  if (!done) {
    return;
  }
  try {
    done(error);
  } catch (...) {
    // A completion that throws has nobody to report to; the commit stands either way.
  }
}

std::exception_ptr store_error(const std::string& message) {
  return std::make_exception_ptr(StoreError(message));
}

}  // namespace

void SqliteStore::configure_process() {
  // SQLITE_MISUSE once SQLite is initialised: then the defaults stay, which are correct.
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  install_page_cache();
}

SqliteStore::SqliteStore(SqliteStoreOptions options) : options_(std::move(options)) {
  if (options_.path.empty()) {
    throw StoreError("sqlite: no database path given");
  }
  // The writer alone writes the WAL, gathering each commit's frames into one write
  // (wal_write_buffer.hpp).
  writer_ = std::make_unique<Connection>(
      options_.path,
      ConnectionOptions{false, wal_write_buffer_vfs(options_.vfs), options_.busy_timeout_ms});
  // WAL lets readers go on while the writer commits. FULL makes every commit fsync
  // the WAL, so a completed write survives power loss, not just a process crash.
  const std::string mode = writer_->pragma_text("journal_mode = WAL");
  if (mode != "wal") {
    throw StoreError("sqlite: " + options_.path.string() +
                     ": cannot switch to WAL journal mode (got '" + mode + "')");
  }
  // A unit run inside a SAVEPOINT (run_with_savepoints) makes SQLite keep the original
  // of every page it changes in a sub-journal, which with the default temp_store spills
  // to a temporary file past 64 KiB: a pwrite per page, a quarter of the writer's time
  // under load. In memory it is bounded by one batch's pages and is never needed after
  // a crash (the WAL is the journal).
  writer_->execute(
      "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; "
      "PRAGMA cache_size = " +
      std::to_string(-options_.cache_kib) + ";");
  migrate(*writer_);
  checkpointer_ = std::make_unique<WalCheckpointer>(
      options_.path, ConnectionOptions{false, options_.vfs, options_.busy_timeout_ms},
      options_.checkpoint_pages, options_.writer_checkpoint_pages);
  checkpointer_->attach_to(*writer_);
  writer_thread_ = std::thread([this] { writer_loop(); });
}

SqliteStore::SqliteStore(const std::filesystem::path& path)
    : SqliteStore([&] {
        SqliteStoreOptions options;
        options.path = path;
        return options;
      }()) {}

SqliteStore::~SqliteStore() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_ready_.notify_all();
  writer_thread_.join();
}

std::string SqliteStore::location() const { return options_.path.string(); }

std::uint64_t SqliteStore::data_version() {
  const std::int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::steady_clock::now().time_since_epoch())
                               .count();
  const std::int64_t interval =
      std::chrono::duration_cast<std::chrono::nanoseconds>(options_.foreign_commit_check).count();
  // Both counts only grow, so their sum stays the same only while neither moved: no own
  // commit since (each is counted right after its COMMIT), and no foreign one seen.
  const std::int64_t checked = foreign_checked_at_.load(std::memory_order_acquire);
  if (checked == 0 || now - checked >= interval) {
    // One thread looks while the others go on with what was last seen: a look started
    // a moment ago is as fresh as one they would start themselves.
    std::unique_lock lock(version_mutex_, std::try_to_lock);
    if (lock.owns_lock()) {
      if (!version_reader_) {
        version_reader_ = std::make_unique<Connection>(
            options_.path, ConnectionOptions{false, options_.vfs, options_.busy_timeout_ms});
        version_reader_->execute("PRAGMA query_only = ON;");
      }
      auto pragma = version_reader_->prepare("PRAGMA data_version");
      if (!pragma->step()) {
        throw StoreError("sqlite: " + options_.path.string() +
                         ": PRAGMA data_version gave nothing");
      }
      const std::int64_t seen = pragma->column_int64(0);
      // Our own writer's commits change it too; counting them again costs one more
      // cache miss per interval, not a wrong answer.
      if (last_pragma_version_ && *last_pragma_version_ != seen) {
        foreign_changes_.fetch_add(1, std::memory_order_acq_rel);
      }
      last_pragma_version_ = seen;
      foreign_checked_at_.store(now, std::memory_order_release);
    }
  }
  return foreign_changes_.load(std::memory_order_acquire) +
         own_commits_.load(std::memory_order_acquire);
}

std::uint64_t SqliteStore::commit_count() const {
  std::lock_guard lock(queue_mutex_);
  return commits_;
}

std::uint64_t SqliteStore::background_checkpoints() const {
  return checkpointer_->background_checkpoints();
}

void SqliteStore::submit(Work work, Completion done) {
  {
    std::lock_guard lock(queue_mutex_);
    if (!stopping_) {
      queue_.push_back(Request{std::move(work), std::move(done)});
      queue_ready_.notify_one();
      return;
    }
  }
  complete(done, store_error("sqlite: " + options_.path.string() + ": the store is shutting down"));
}

void SqliteStore::writer_loop() {
  std::vector<Request> batch;
  for (;;) {
    {
      std::unique_lock lock(queue_mutex_);
      queue_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;  // stopping, and everything submitted has been run
      }
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    run_batch(batch);
    batch.clear();
  }
}

void SqliteStore::run_batch(std::vector<Request>& batch) {
  // A unit's savepoint makes SQLite copy each page the unit changes first into a
  // sub-journal, a tenth of the writer's time per ticket; it is needed only to undo a
  // unit that fails, which few do. So a batch runs without, and only when one of its
  // units fails does it run again with a savepoint per unit (store.hpp: units may run
  // again).
  if (!run_without_savepoints(batch)) {
    run_with_savepoints(batch);
  }
}

bool SqliteStore::begin(std::vector<Request>& batch) {
  try {
    writer_->execute("BEGIN IMMEDIATE");
    return true;
  } catch (...) {
    const auto error = std::current_exception();
    for (Request& request : batch) {
      complete(request.done, error);
    }
    return false;
  }
}

bool SqliteStore::run_without_savepoints(std::vector<Request>& batch) {
  if (!begin(batch)) {
    return true;
  }
  SqliteTransaction tx(*writer_);
  std::vector<std::exception_ptr> errors(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    try {
      batch[i].work(tx);
    } catch (...) {
      errors[i] = std::current_exception();
      if (batch.size() == 1) {
        break;  // alone in its transaction: rolling that back undoes exactly this unit
      }
      if (sqlite3_get_autocommit(writer_->handle()) == 0) {
        try {
          writer_->execute("ROLLBACK");
        } catch (...) {
          // The next BEGIN reports the connection's state.
        }
      }
      return false;
    }
  }
  // Every unit succeeded, or the only one failed and goes with the transaction.
  finish(batch, errors, batch.size() == 1 ? errors.front() : nullptr);
  return true;
}

void SqliteStore::run_with_savepoints(std::vector<Request>& batch) {
  if (!begin(batch)) {
    return;
  }
  SqliteTransaction tx(*writer_);
  std::vector<std::exception_ptr> errors(batch.size());
  // Set when the transaction as a whole is lost: no unit of this batch may be
  // acknowledged as committed.
  std::exception_ptr batch_error;
  for (std::size_t i = 0; i < batch.size() && !batch_error; ++i) {
    try {
      writer_->prepare("SAVEPOINT unit")->run();
      batch[i].work(tx);
      writer_->prepare("RELEASE unit")->run();
      continue;
    } catch (...) {
      errors[i] = std::current_exception();
    }
    try {
      if (sqlite3_get_autocommit(writer_->handle()) != 0) {
        // Some errors (disk full, I/O) make SQLite roll back the whole transaction:
        // every unit before this one is gone too.
        throw StoreError("sqlite: " + options_.path.string() +
                         ": the commit was abandoned after a unit failed the disk");
      }
      writer_->prepare("ROLLBACK TO unit")->run();
      writer_->prepare("RELEASE unit")->run();
    } catch (...) {
      batch_error = std::current_exception();
    }
  }
  finish(batch, errors, batch_error);
}

void SqliteStore::finish(std::vector<Request>& batch, const std::vector<std::exception_ptr>& errors,
                         std::exception_ptr batch_error) {
  if (!batch_error) {
    try {
      writer_->execute("COMMIT");
    } catch (...) {
      batch_error = std::current_exception();
    }
  }
  if (batch_error && sqlite3_get_autocommit(writer_->handle()) == 0) {
    try {
      writer_->execute("ROLLBACK");
    } catch (...) {
      // The connection reports its state again at the next BEGIN.
    }
  }
  if (!batch_error) {
    own_commits_.fetch_add(1, std::memory_order_acq_rel);
    std::lock_guard lock(queue_mutex_);
    ++commits_;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    complete(batch[i].done, errors[i] ? errors[i] : batch_error);
  }
}

std::unique_ptr<Connection> SqliteStore::acquire_reader() {
  {
    std::unique_lock lock(readers_mutex_);
    reader_returned_.wait(
        lock, [this] { return !idle_readers_.empty() || open_readers_ < options_.max_readers; });
    if (!idle_readers_.empty()) {
      auto reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return reader;
    }
    ++open_readers_;
  }
  try {
    auto reader = std::make_unique<Connection>(
        options_.path, ConnectionOptions{false, options_.vfs, options_.busy_timeout_ms});
    // Lookups are random reads over an index that outgrows SQLite's 2 MB default page
    // cache at 10^5 tickets: map the file (reads become memory loads, no pread per
    // page) and keep a larger cache of decoded pages per reader.
    reader->execute("PRAGMA query_only = ON; PRAGMA temp_store = MEMORY; PRAGMA mmap_size = " +
                    std::to_string(options_.mmap_bytes) +
                    "; PRAGMA cache_size = " + std::to_string(-options_.cache_kib) + ";");
    return reader;
  } catch (...) {
    std::lock_guard lock(readers_mutex_);
    --open_readers_;
    reader_returned_.notify_one();
    throw;
  }
}

void SqliteStore::release_reader(std::unique_ptr<Connection> reader) {
  {
    std::lock_guard lock(readers_mutex_);
    idle_readers_.push_back(std::move(reader));
  }
  reader_returned_.notify_one();
}

void SqliteStore::read(const std::function<void(ReadTransaction&)>& query) {
  auto reader = acquire_reader();
  try {
    // A read transaction pins one snapshot for every statement in `query`.
    reader->prepare("BEGIN")->run();
    SqliteTransaction tx(*reader);
    query(tx);
    reader->prepare("COMMIT")->run();
  } catch (...) {
    if (sqlite3_get_autocommit(reader->handle()) == 0) {
      try {
        reader->execute("ROLLBACK");
      } catch (...) {
        // Nothing more to undo on a read-only snapshot.
      }
    }
    release_reader(std::move(reader));
    throw;
  }
  release_reader(std::move(reader));
}

}  // namespace supportgw::sqlite
