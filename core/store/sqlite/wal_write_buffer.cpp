#include "core/store/sqlite/wal_write_buffer.hpp"

#include <sqlite3.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>

#include "core/util/error.hpp"

namespace supportgw::sqlite {
namespace {

constexpr int kFlushPiece = 64 * 1024;

// One per base VFS; reached from SQLite through sqlite3_vfs::pAppData.
struct Registration {
  sqlite3_vfs vfs{};
  sqlite3_vfs* base = nullptr;
  std::string name;
};

// SQLite allocates szOsFile bytes for each open file and hands them to xOpen raw, so
// this is plain data: the base VFS's file lives right after it, and the buffer is
// malloc'd.
struct BufferedFile {
  sqlite3_file base;  // must be first: SQLite sees this
  sqlite3_file* real;
  bool wal;
  char* buffer;
  int buffered;  // bytes in buffer, to go at offset
  int capacity;
  sqlite3_int64 offset;
};

BufferedFile* buffered_of(sqlite3_file* file) { return reinterpret_cast<BufferedFile*>(file); }
sqlite3_file* real_of(sqlite3_file* file) { return buffered_of(file)->real; }

// Writes what is buffered; the buffer is empty afterwards even when the write failed
// (SQLite reports the error, and what it wrote is as lost as after a failed pwrite).
int flush(sqlite3_file* file) {
  BufferedFile* f = buffered_of(file);
  if (f->buffered == 0) {
    return SQLITE_OK;
  }
  // In pieces: SQLite's unix VFS keeps only the low 17 bits of a write's length
  // (seekAndWriteFd), so a write of 128 KiB or more is cut short or lost.
  int rc = SQLITE_OK;
  for (int done = 0; done < f->buffered && rc == SQLITE_OK; done += kFlushPiece) {
    const int piece = f->buffered - done < kFlushPiece ? f->buffered - done : kFlushPiece;
    rc = f->real->pMethods->xWrite(f->real, f->buffer + done, piece, f->offset + done);
  }
  f->buffered = 0;
  return rc;
}

int file_close(sqlite3_file* file) {
  BufferedFile* f = buffered_of(file);
  int rc = flush(file);
  if (f->real->pMethods != nullptr) {
    const int closed = f->real->pMethods->xClose(f->real);
    rc = rc == SQLITE_OK ? closed : rc;
  }
  std::free(f->buffer);
  f->buffer = nullptr;
  return rc;
}

int file_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  if (const int rc = flush(file); rc != SQLITE_OK) {
    return rc;
  }
  return real_of(file)->pMethods->xRead(real_of(file), out, amount, offset);
}

int file_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  BufferedFile* f = buffered_of(file);
  if (!f->wal || amount > kFlushPiece) {
    if (const int rc = flush(file); rc != SQLITE_OK) {
      return rc;
    }
    return f->real->pMethods->xWrite(f->real, data, amount, offset);
  }
  const bool continues = f->buffered > 0 && offset == f->offset + f->buffered;
  if ((f->buffered > 0 && !continues) || f->buffered + amount > kMaxBufferedBytes) {
    if (const int rc = flush(file); rc != SQLITE_OK) {
      return rc;
    }
  }
  if (f->buffered == 0) {
    f->offset = offset;
  }
  if (f->buffered + amount > f->capacity) {
    int capacity = f->capacity == 0 ? 256 * 1024 : f->capacity;
    while (capacity < f->buffered + amount) {
      capacity *= 2;
    }
    capacity = capacity > kMaxBufferedBytes ? kMaxBufferedBytes : capacity;
    char* grown = static_cast<char*>(std::realloc(f->buffer, static_cast<std::size_t>(capacity)));
    if (grown == nullptr) {
      if (const int rc = flush(file); rc != SQLITE_OK) {
        return rc;
      }
      return f->real->pMethods->xWrite(f->real, data, amount, offset);
    }
    f->buffer = grown;
    f->capacity = capacity;
  }
  std::memcpy(f->buffer + f->buffered, data, static_cast<std::size_t>(amount));
  f->buffered += amount;
  return SQLITE_OK;
}

int file_truncate(sqlite3_file* file, sqlite3_int64 size) {
  if (const int rc = flush(file); rc != SQLITE_OK) {
    return rc;
  }
  return real_of(file)->pMethods->xTruncate(real_of(file), size);
}

int file_sync(sqlite3_file* file, int flags) {
  if (const int rc = flush(file); rc != SQLITE_OK) {
    return rc;
  }
  return real_of(file)->pMethods->xSync(real_of(file), flags);
}

int file_size(sqlite3_file* file, sqlite3_int64* size) {
  if (const int rc = flush(file); rc != SQLITE_OK) {
    return rc;
  }
  return real_of(file)->pMethods->xFileSize(real_of(file), size);
}

int file_lock(sqlite3_file* file, int lock) {
  return real_of(file)->pMethods->xLock(real_of(file), lock);
}
int file_unlock(sqlite3_file* file, int lock) {
  return real_of(file)->pMethods->xUnlock(real_of(file), lock);
}
int file_check_reserved(sqlite3_file* file, int* out) {
  return real_of(file)->pMethods->xCheckReservedLock(real_of(file), out);
}
int file_control(sqlite3_file* file, int op, void* arg) {
  // Some controls act on the file's contents (SQLITE_FCNTL_SIZE_HINT, _SYNC, ...): let
  // them see everything written so far.
  if (const int rc = flush(file); rc != SQLITE_OK) {
    return rc;
  }
  return real_of(file)->pMethods->xFileControl(real_of(file), op, arg);
}
int file_sector_size(sqlite3_file* file) {
  return real_of(file)->pMethods->xSectorSize(real_of(file));
}
int file_device_characteristics(sqlite3_file* file) {
  return real_of(file)->pMethods->xDeviceCharacteristics(real_of(file));
}
int file_shm_map(sqlite3_file* file, int page, int size, int extend, void volatile** out) {
  return real_of(file)->pMethods->xShmMap(real_of(file), page, size, extend, out);
}
int file_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  return real_of(file)->pMethods->xShmLock(real_of(file), offset, n, flags);
}
void file_shm_barrier(sqlite3_file* file) { real_of(file)->pMethods->xShmBarrier(real_of(file)); }
int file_shm_unmap(sqlite3_file* file, int delete_flag) {
  return real_of(file)->pMethods->xShmUnmap(real_of(file), delete_flag);
}
int file_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  if (const int rc = flush(file); rc != SQLITE_OK) {
    return rc;
  }
  return real_of(file)->pMethods->xFetch(real_of(file), offset, amount, out);
}
int file_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* pointer) {
  return real_of(file)->pMethods->xUnfetch(real_of(file), offset, pointer);
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

sqlite3_vfs* base_of(sqlite3_vfs* vfs) { return static_cast<Registration*>(vfs->pAppData)->base; }

int vfs_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags,
             int* out_flags) {
  BufferedFile* f = buffered_of(file);
  f->real = reinterpret_cast<sqlite3_file*>(f + 1);
  f->wal = (flags & SQLITE_OPEN_WAL) != 0;
  f->buffer = nullptr;
  f->buffered = 0;
  f->capacity = 0;
  f->offset = 0;
  sqlite3_vfs* base = base_of(vfs);
  const int rc = base->xOpen(base, name, f->real, flags, out_flags);
  // SQLite calls xClose only when pMethods is set, so set it only on success.
  f->base.pMethods = rc == SQLITE_OK && f->real->pMethods != nullptr ? &kMethods : nullptr;
  return rc;
}
int vfs_delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return base_of(vfs)->xDelete(base_of(vfs), name, sync_dir);
}
int vfs_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return base_of(vfs)->xAccess(base_of(vfs), name, flags, out);
}
int vfs_full_pathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return base_of(vfs)->xFullPathname(base_of(vfs), name, size, out);
}
void* vfs_dl_open(sqlite3_vfs* vfs, const char* name) {
  return base_of(vfs)->xDlOpen(base_of(vfs), name);
}
void vfs_dl_error(sqlite3_vfs* vfs, int size, char* out) {
  base_of(vfs)->xDlError(base_of(vfs), size, out);
}
void (*vfs_dl_sym(sqlite3_vfs* vfs, void* handle, const char* symbol))() {
  return base_of(vfs)->xDlSym(base_of(vfs), handle, symbol);
}
void vfs_dl_close(sqlite3_vfs* vfs, void* handle) { base_of(vfs)->xDlClose(base_of(vfs), handle); }
int vfs_randomness(sqlite3_vfs* vfs, int size, char* out) {
  return base_of(vfs)->xRandomness(base_of(vfs), size, out);
}
int vfs_sleep(sqlite3_vfs* vfs, int micros) { return base_of(vfs)->xSleep(base_of(vfs), micros); }
int vfs_current_time(sqlite3_vfs* vfs, double* out) {
  return base_of(vfs)->xCurrentTime(base_of(vfs), out);
}
int vfs_get_last_error(sqlite3_vfs* vfs, int size, char* out) {
  return base_of(vfs)->xGetLastError(base_of(vfs), size, out);
}
int vfs_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return base_of(vfs)->xCurrentTimeInt64(base_of(vfs), out);
}

}  // namespace

std::string wal_write_buffer_vfs(const std::string& base_name) {
  // SQLite keeps every registered VFS for the life of the process, so these are never
  // freed; the lock only orders first uses from several stores.
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<Registration>> registrations;
  std::lock_guard lock(mutex);
  auto& registration = registrations[base_name];
  if (!registration) {
    sqlite3_vfs* base = sqlite3_vfs_find(base_name.empty() ? nullptr : base_name.c_str());
    if (base == nullptr) {
      registrations.erase(base_name);
      throw StoreError("sqlite: no VFS named '" + base_name + "'");
    }
    auto made = std::make_unique<Registration>();
    made->base = base;
    made->name = "supportgw-wal-buffer-" + std::string(base->zName);
    sqlite3_vfs& vfs = made->vfs;
    vfs.iVersion = 2;
    vfs.szOsFile = static_cast<int>(sizeof(BufferedFile)) + base->szOsFile;
    vfs.mxPathname = base->mxPathname;
    vfs.zName = made->name.c_str();
    vfs.pAppData = made.get();
    vfs.xOpen = vfs_open;
    vfs.xDelete = vfs_delete;
    vfs.xAccess = vfs_access;
    vfs.xFullPathname = vfs_full_pathname;
    vfs.xDlOpen = vfs_dl_open;
    vfs.xDlError = vfs_dl_error;
    vfs.xDlSym = vfs_dl_sym;
    vfs.xDlClose = vfs_dl_close;
    vfs.xRandomness = vfs_randomness;
    vfs.xSleep = vfs_sleep;
    vfs.xCurrentTime = vfs_current_time;
    vfs.xGetLastError = vfs_get_last_error;
    vfs.xCurrentTimeInt64 = vfs_current_time_int64;
    if (const int rc = sqlite3_vfs_register(&vfs, 0); rc != SQLITE_OK) {
      registrations.erase(base_name);
      throw StoreError("sqlite: cannot register the WAL write buffer over '" +
                       std::string(base->zName) + "': " + sqlite3_errstr(rc));
    }
    registration = std::move(made);
  }
  return registration->name;
}

}  // namespace supportgw::sqlite
