#include "core/store/sqlite/wal_write_buffer.hpp"

#include <sqlite3.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>

#include "core/store/sqlite/vfs_shim.hpp"
#include "core/util/error.hpp"

namespace supportgw::sqlite {
namespace {

constexpr int kFlushPiece = 64 * 1024;

// SQLite allocates szOsFile bytes for each open file and hands them to xOpen raw, so
// this is plain data, and the buffer is malloc'd.
struct BufferedFile {
  ShimFile shim;  // must be first
  bool wal;
  char* buffer;
  int buffered;  // bytes in buffer, to go at offset
  int capacity;
  sqlite3_int64 offset;
};

BufferedFile* buffered_of(sqlite3_file* file) { return reinterpret_cast<BufferedFile*>(file); }
sqlite3_file* real_of(sqlite3_file* file) { return real_file(file); }

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
    rc = real_of(file)->pMethods->xWrite(real_of(file), f->buffer + done, piece, f->offset + done);
  }
  f->buffered = 0;
  return rc;
}

int file_close(sqlite3_file* file) {
  BufferedFile* f = buffered_of(file);
  int rc = flush(file);
  if (real_of(file)->pMethods != nullptr) {
    const int closed = real_of(file)->pMethods->xClose(real_of(file));
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
    return real_of(file)->pMethods->xWrite(real_of(file), data, amount, offset);
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
      return real_of(file)->pMethods->xWrite(real_of(file), data, amount, offset);
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

int file_control(sqlite3_file* file, int op, void* arg) {
  // Some controls act on the file's contents (SQLITE_FCNTL_SIZE_HINT, _SYNC, ...): let
  // them see everything written so far.
  if (const int rc = flush(file); rc != SQLITE_OK) {
    return rc;
  }
  return real_of(file)->pMethods->xFileControl(real_of(file), op, arg);
}
int file_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  if (const int rc = flush(file); rc != SQLITE_OK) {
    return rc;
  }
  return real_of(file)->pMethods->xFetch(real_of(file), offset, amount, out);
}
const sqlite3_io_methods kMethods = [] {
  sqlite3_io_methods methods = forwarding_io_methods();
  methods.xClose = file_close;
  methods.xRead = file_read;
  methods.xWrite = file_write;
  methods.xTruncate = file_truncate;
  methods.xSync = file_sync;
  methods.xFileSize = file_size;
  methods.xFileControl = file_control;
  methods.xFetch = file_fetch;
  return methods;
}();

int vfs_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags,
             int* out_flags) {
  BufferedFile* f = buffered_of(file);
  f->wal = (flags & SQLITE_OPEN_WAL) != 0;
  f->buffer = nullptr;
  f->buffered = 0;
  f->capacity = 0;
  f->offset = 0;
  return open_through_base(vfs, name, file, flags, out_flags, &kMethods);
}

}  // namespace

std::string wal_write_buffer_vfs(const std::string& base_name) {
  // SQLite keeps every registered VFS for the life of the process, so these are never
  // freed; the lock only orders first uses from several stores.
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<ShimVfs>> shims;
  std::lock_guard lock(mutex);
  if (const auto found = shims.find(base_name); found != shims.end()) {
    return found->second->name;
  }
  sqlite3_vfs* base = sqlite3_vfs_find(base_name.empty() ? nullptr : base_name.c_str());
  if (base == nullptr) {
    throw StoreError("sqlite: no VFS named '" + base_name + "'");
  }
  auto shim = std::make_unique<ShimVfs>();
  make_forwarding_vfs(*shim, base, "supportgw-wal-buffer-" + std::string(base->zName),
                      sizeof(BufferedFile), vfs_open);
  if (const int rc = sqlite3_vfs_register(&shim->vfs, 0); rc != SQLITE_OK) {
    throw StoreError("sqlite: cannot register the WAL write buffer over '" +
                     std::string(base->zName) + "': " + sqlite3_errstr(rc));
  }
  return shims.emplace(base_name, std::move(shim)).first->second->name;
}

}  // namespace supportgw::sqlite
