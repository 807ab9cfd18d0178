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
// this is plain data, and the buffer is malloc'd. Only WAL files get these methods;
// every other file (the database itself) forwards straight to the base.
struct BufferedFile {
  ShimFile shim;  // must be first
  char* buffer;
  int buffered;  // bytes in buffer, to go at offset
  int capacity;
  sqlite3_int64 offset;
};

BufferedFile* buffered_of(sqlite3_file* file) { return reinterpret_cast<BufferedFile*>(file); }

int write_through(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  return real_file(file)->pMethods->xWrite(real_file(file), data, amount, offset);
}

// Writes what is buffered; the buffer is empty afterwards even when the write failed
// (SQLite reports the error, and what it wrote is as lost as after a failed pwrite).
int flush(sqlite3_file* file) {
  BufferedFile* f = buffered_of(file);
  // In pieces: SQLite's unix VFS keeps only the low 17 bits of a write's length
  // (seekAndWriteFd), so a write of 128 KiB or more is cut short or lost.
  int rc = SQLITE_OK;
  for (int done = 0; done < f->buffered && rc == SQLITE_OK; done += kFlushPiece) {
    const int piece = f->buffered - done < kFlushPiece ? f->buffered - done : kFlushPiece;
    rc = write_through(file, f->buffer + done, piece, f->offset + done);
  }
  f->buffered = 0;
  return rc;
}

// The base's `method` once everything buffered is written: for whatever reads the file
// or acts on its contents (sync, read, size, truncate, file controls such as
// SQLITE_FCNTL_SIZE_HINT, fetch).
template <auto Method, class... Args>
int after_flush(sqlite3_file* file, Args... args) {
  if (const int rc = flush(file); rc != SQLITE_OK) {
    return rc;
  }
  return (real_file(file)->pMethods->*Method)(real_file(file), args...);
}

int file_close(sqlite3_file* file) {
  const int flushed = flush(file);
  const int closed = real_file(file)->pMethods->xClose(real_file(file));
  std::free(buffered_of(file)->buffer);
  buffered_of(file)->buffer = nullptr;
  return flushed != SQLITE_OK ? flushed : closed;
}

// Room for `needed` bytes in the buffer; false when memory ran out.
bool reserve(BufferedFile& f, int needed) {
  if (needed <= f.capacity) {
    return true;
  }
  int capacity = f.capacity == 0 ? 256 * 1024 : f.capacity;
  while (capacity < needed) {
    capacity *= 2;
  }
  capacity = capacity > kMaxBufferedBytes ? kMaxBufferedBytes : capacity;
  char* grown = static_cast<char*>(std::realloc(f.buffer, static_cast<std::size_t>(capacity)));
  if (grown == nullptr) {
    return false;
  }
  f.buffer = grown;
  f.capacity = capacity;
  return true;
}

int file_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  BufferedFile* f = buffered_of(file);
  const bool continues = offset == f->offset + f->buffered;
  const bool fits = amount <= kFlushPiece && f->buffered + amount <= kMaxBufferedBytes;
  if (f->buffered > 0 && !(continues && fits)) {
    if (const int rc = flush(file); rc != SQLITE_OK) {
      return rc;
    }
  }
  if (amount > kFlushPiece || !reserve(*f, f->buffered + amount)) {
    // Out of memory with bytes buffered: they go first, in order.
    if (const int rc = flush(file); rc != SQLITE_OK) {
      return rc;
    }
    return write_through(file, data, amount, offset);
  }
  if (f->buffered == 0) {
    f->offset = offset;
  }
  std::memcpy(f->buffer + f->buffered, data, static_cast<std::size_t>(amount));
  f->buffered += amount;
  return SQLITE_OK;
}

const sqlite3_io_methods kWalMethods = [] {
  sqlite3_io_methods methods = forwarding_io_methods();
  methods.xClose = file_close;
  methods.xWrite = file_write;
  methods.xRead = after_flush<&sqlite3_io_methods::xRead, void*, int, sqlite3_int64>;
  methods.xTruncate = after_flush<&sqlite3_io_methods::xTruncate, sqlite3_int64>;
  methods.xSync = after_flush<&sqlite3_io_methods::xSync, int>;
  methods.xFileSize = after_flush<&sqlite3_io_methods::xFileSize, sqlite3_int64*>;
  methods.xFileControl = after_flush<&sqlite3_io_methods::xFileControl, int, void*>;
  methods.xFetch = after_flush<&sqlite3_io_methods::xFetch, sqlite3_int64, int, void**>;
  return methods;
}();

const sqlite3_io_methods kOtherMethods = forwarding_io_methods();

int vfs_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags,
             int* out_flags) {
  BufferedFile* f = buffered_of(file);
  f->buffer = nullptr;
  f->buffered = 0;
  f->capacity = 0;
  f->offset = 0;
  const bool wal = (flags & SQLITE_OPEN_WAL) != 0;
  return open_through_base(vfs, name, file, flags, out_flags, wal ? &kWalMethods : &kOtherMethods);
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
