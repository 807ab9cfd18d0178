#include "tests/support/counting_vfs.hpp"

#include <sqlite3.h>

#include <mutex>

#include "core/store/sqlite/vfs_shim.hpp"

namespace supportgw::testing {
namespace {

// Reached only through the sqlite3_vfs registered once; SQLite itself keeps the
// pointer for the life of the process.
struct CountingState {
  sqlite::ShimVfs shim;
  SyncCounts counts;
};

CountingState& state() {
  static CountingState instance;
  return instance;
}

enum class FileKind { database, wal, other };

struct CountingFile {
  sqlite::ShimFile shim;  // must be first
  FileKind kind;
};

FileKind kind_of(sqlite3_file* file) { return reinterpret_cast<CountingFile*>(file)->kind; }

int file_write(sqlite3_file* f, const void* buffer, int amount, sqlite3_int64 offset) {
  if (kind_of(f) == FileKind::wal) {
    ++state().counts.wal_writes;
  }
  return sqlite::real_file(f)->pMethods->xWrite(sqlite::real_file(f), buffer, amount, offset);
}

int file_sync(sqlite3_file* f, int flags) {
  const int rc = sqlite::real_file(f)->pMethods->xSync(sqlite::real_file(f), flags);
  // Counted after the real fsync returned: a count seen by a test is a completed sync.
  switch (kind_of(f)) {
    case FileKind::wal:
      ++state().counts.wal_syncs;
      break;
    case FileKind::database:
      ++state().counts.database_syncs;
      break;
    case FileKind::other:
      break;
  }
  return rc;
}

const sqlite3_io_methods kMethods = [] {
  sqlite3_io_methods methods = sqlite::forwarding_io_methods();
  methods.xWrite = file_write;
  methods.xSync = file_sync;
  return methods;
}();

int vfs_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags,
             int* out_flags) {
  reinterpret_cast<CountingFile*>(file)->kind = (flags & SQLITE_OPEN_WAL) != 0 ? FileKind::wal
                                                : (flags & SQLITE_OPEN_MAIN_DB) != 0
                                                    ? FileKind::database
                                                    : FileKind::other;
  return sqlite::open_through_base(vfs, name, file, flags, out_flags, &kMethods);
}

}  // namespace

SyncCounts& counting_vfs() {
  static std::once_flag registered;
  std::call_once(registered, [] {
    CountingState& s = state();
    sqlite::make_forwarding_vfs(s.shim, sqlite3_vfs_find(nullptr), kCountingVfsName,
                                sizeof(CountingFile), vfs_open);
    sqlite3_vfs_register(&s.shim.vfs, 0);
  });
  return state().counts;
}

}  // namespace supportgw::testing
