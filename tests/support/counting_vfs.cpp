#include "tests/support/counting_vfs.hpp"

#include <sqlite3.h>

#include <cstring>
#include <mutex>

namespace supportgw::testing {
namespace {

// Everything below is reached only through the sqlite3_vfs registered once; SQLite
// itself keeps the pointer for the life of the process.
struct CountingState {
  sqlite3_vfs vfs{};
  sqlite3_vfs* real = nullptr;
  SyncCounts counts;
};

CountingState& state() {
  static CountingState instance;
  return instance;
}

enum class FileKind { database, wal, other };

struct CountingFile {
  sqlite3_file base;  // must be first: SQLite sees this
  FileKind kind;
  sqlite3_file* real;  // allocated right after this struct
};

sqlite3_file* real_of(sqlite3_file* file) { return reinterpret_cast<CountingFile*>(file)->real; }

int file_close(sqlite3_file* file) {
  sqlite3_file* real = real_of(file);
  return real->pMethods != nullptr ? real->pMethods->xClose(real) : SQLITE_OK;
}
int file_read(sqlite3_file* f, void* buffer, int amount, sqlite3_int64 offset) {
  return real_of(f)->pMethods->xRead(real_of(f), buffer, amount, offset);
}
int file_write(sqlite3_file* f, const void* buffer, int amount, sqlite3_int64 offset) {
  if (reinterpret_cast<CountingFile*>(f)->kind == FileKind::wal) {
    ++state().counts.wal_writes;
  }
  return real_of(f)->pMethods->xWrite(real_of(f), buffer, amount, offset);
}
int file_truncate(sqlite3_file* f, sqlite3_int64 size) {
  return real_of(f)->pMethods->xTruncate(real_of(f), size);
}
int file_sync(sqlite3_file* f, int flags) {
  const int rc = real_of(f)->pMethods->xSync(real_of(f), flags);
  // Counted after the real fsync returned: a count seen by a test is a completed sync.
  switch (reinterpret_cast<CountingFile*>(f)->kind) {
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
int file_size(sqlite3_file* f, sqlite3_int64* size) {
  return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
int file_lock(sqlite3_file* f, int lock) { return real_of(f)->pMethods->xLock(real_of(f), lock); }
int file_unlock(sqlite3_file* f, int lock) {
  return real_of(f)->pMethods->xUnlock(real_of(f), lock);
}
int file_check_reserved(sqlite3_file* f, int* out) {
  return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
int file_control(sqlite3_file* f, int op, void* arg) {
  return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int file_sector_size(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int file_device_characteristics(sqlite3_file* f) {
  return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}
int file_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return real_of(f)->pMethods->xShmMap(real_of(f), page, size, extend, out);
}
int file_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}
void file_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int file_shm_unmap(sqlite3_file* f, int delete_flag) {
  return real_of(f)->pMethods->xShmUnmap(real_of(f), delete_flag);
}
int file_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  return real_of(f)->pMethods->xFetch(real_of(f), offset, amount, out);
}
int file_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* pointer) {
  return real_of(f)->pMethods->xUnfetch(real_of(f), offset, pointer);
}

const sqlite3_io_methods kMethods = {
    3,
    file_close,
    file_read,
    file_write,
    file_truncate,
    file_sync,
    file_size,
    file_lock,
    file_unlock,
    file_check_reserved,
    file_control,
    file_sector_size,
    file_device_characteristics,
    file_shm_map,
    file_shm_lock,
    file_shm_barrier,
    file_shm_unmap,
    file_fetch,
    file_unfetch,
};

int vfs_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  auto* counting = reinterpret_cast<CountingFile*>(file);
  counting->real = reinterpret_cast<sqlite3_file*>(counting + 1);
  counting->kind = (flags & SQLITE_OPEN_WAL) != 0       ? FileKind::wal
                   : (flags & SQLITE_OPEN_MAIN_DB) != 0 ? FileKind::database
                                                        : FileKind::other;
  sqlite3_vfs* real = state().real;
  const int rc = real->xOpen(real, name, counting->real, flags, out_flags);
  // SQLite calls xClose only when pMethods is set, so set it only on success.
  counting->base.pMethods =
      rc == SQLITE_OK && counting->real->pMethods != nullptr ? &kMethods : nullptr;
  return rc;
}
int vfs_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return state().real->xDelete(state().real, name, sync_dir);
}
int vfs_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return state().real->xAccess(state().real, name, flags, out);
}
int vfs_full_pathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return state().real->xFullPathname(state().real, name, size, out);
}
void* vfs_dl_open(sqlite3_vfs*, const char* name) {
  return state().real->xDlOpen(state().real, name);
}
void vfs_dl_error(sqlite3_vfs*, int size, char* out) {
  state().real->xDlError(state().real, size, out);
}
void (*vfs_dl_sym(sqlite3_vfs*, void* handle, const char* symbol))() {
  return state().real->xDlSym(state().real, handle, symbol);
}
void vfs_dl_close(sqlite3_vfs*, void* handle) { state().real->xDlClose(state().real, handle); }
int vfs_randomness(sqlite3_vfs*, int size, char* out) {
  return state().real->xRandomness(state().real, size, out);
}
int vfs_sleep(sqlite3_vfs*, int micros) { return state().real->xSleep(state().real, micros); }
int vfs_current_time(sqlite3_vfs*, double* out) {
  return state().real->xCurrentTime(state().real, out);
}
int vfs_get_last_error(sqlite3_vfs*, int size, char* out) {
  return state().real->xGetLastError(state().real, size, out);
}
int vfs_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
  return state().real->xCurrentTimeInt64(state().real, out);
}

}  // namespace

SyncCounts& counting_vfs() {
  static std::once_flag registered;
  std::call_once(registered, [] {
    CountingState& s = state();
    s.real = sqlite3_vfs_find(nullptr);
    s.vfs.iVersion = 2;
    s.vfs.szOsFile = static_cast<int>(sizeof(CountingFile)) + s.real->szOsFile;
    s.vfs.mxPathname = s.real->mxPathname;
    s.vfs.zName = kCountingVfsName;
    s.vfs.xOpen = vfs_open;
    s.vfs.xDelete = vfs_delete;
    s.vfs.xAccess = vfs_access;
    s.vfs.xFullPathname = vfs_full_pathname;
    s.vfs.xDlOpen = vfs_dl_open;
    s.vfs.xDlError = vfs_dl_error;
    s.vfs.xDlSym = vfs_dl_sym;
    s.vfs.xDlClose = vfs_dl_close;
    s.vfs.xRandomness = vfs_randomness;
    s.vfs.xSleep = vfs_sleep;
    s.vfs.xCurrentTime = vfs_current_time;
    s.vfs.xGetLastError = vfs_get_last_error;
    s.vfs.xCurrentTimeInt64 = vfs_current_time_int64;
    sqlite3_vfs_register(&s.vfs, 0);
  });
  return state().counts;
}

}  // namespace supportgw::testing
