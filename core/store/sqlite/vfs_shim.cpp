#include "core/store/sqlite/vfs_shim.hpp"

#include <utility>

namespace supportgw::sqlite {
namespace {

sqlite3_io_methods const* methods_of(sqlite3_file* file) { return real_file(file)->pMethods; }

int forward_close(sqlite3_file* f) {
  return methods_of(f) != nullptr ? methods_of(f)->xClose(real_file(f)) : SQLITE_OK;
}
int forward_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  return methods_of(f)->xRead(real_file(f), out, amount, offset);
}
int forward_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  return methods_of(f)->xWrite(real_file(f), data, amount, offset);
}
int forward_truncate(sqlite3_file* f, sqlite3_int64 size) {
  return methods_of(f)->xTruncate(real_file(f), size);
}
int forward_sync(sqlite3_file* f, int flags) { return methods_of(f)->xSync(real_file(f), flags); }
int forward_size(sqlite3_file* f, sqlite3_int64* size) {
  return methods_of(f)->xFileSize(real_file(f), size);
}
int forward_lock(sqlite3_file* f, int lock) { return methods_of(f)->xLock(real_file(f), lock); }
int forward_unlock(sqlite3_file* f, int lock) { return methods_of(f)->xUnlock(real_file(f), lock); }
int forward_check_reserved(sqlite3_file* f, int* out) {
  return methods_of(f)->xCheckReservedLock(real_file(f), out);
}
int forward_control(sqlite3_file* f, int op, void* arg) {
  return methods_of(f)->xFileControl(real_file(f), op, arg);
}
int forward_sector_size(sqlite3_file* f) { return methods_of(f)->xSectorSize(real_file(f)); }
int forward_device_characteristics(sqlite3_file* f) {
  return methods_of(f)->xDeviceCharacteristics(real_file(f));
}
int forward_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return methods_of(f)->xShmMap(real_file(f), page, size, extend, out);
}
int forward_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return methods_of(f)->xShmLock(real_file(f), offset, n, flags);
}
void forward_shm_barrier(sqlite3_file* f) { methods_of(f)->xShmBarrier(real_file(f)); }
int forward_shm_unmap(sqlite3_file* f, int delete_flag) {
  return methods_of(f)->xShmUnmap(real_file(f), delete_flag);
}
int forward_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  return methods_of(f)->xFetch(real_file(f), offset, amount, out);
}
int forward_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* pointer) {
  return methods_of(f)->xUnfetch(real_file(f), offset, pointer);
}

int vfs_delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return base_vfs(vfs)->xDelete(base_vfs(vfs), name, sync_dir);
}
int vfs_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return base_vfs(vfs)->xAccess(base_vfs(vfs), name, flags, out);
}
int vfs_full_pathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return base_vfs(vfs)->xFullPathname(base_vfs(vfs), name, size, out);
}
void* vfs_dl_open(sqlite3_vfs* vfs, const char* name) {
  return base_vfs(vfs)->xDlOpen(base_vfs(vfs), name);
}
void vfs_dl_error(sqlite3_vfs* vfs, int size, char* out) {
  base_vfs(vfs)->xDlError(base_vfs(vfs), size, out);
}
void (*vfs_dl_sym(sqlite3_vfs* vfs, void* handle, const char* symbol))() {
  return base_vfs(vfs)->xDlSym(base_vfs(vfs), handle, symbol);
}
void vfs_dl_close(sqlite3_vfs* vfs, void* handle) {
  base_vfs(vfs)->xDlClose(base_vfs(vfs), handle);
}
int vfs_randomness(sqlite3_vfs* vfs, int size, char* out) {
  return base_vfs(vfs)->xRandomness(base_vfs(vfs), size, out);
}
int vfs_sleep(sqlite3_vfs* vfs, int micros) { return base_vfs(vfs)->xSleep(base_vfs(vfs), micros); }
int vfs_current_time(sqlite3_vfs* vfs, double* out) {
  return base_vfs(vfs)->xCurrentTime(base_vfs(vfs), out);
}
int vfs_get_last_error(sqlite3_vfs* vfs, int size, char* out) {
  return base_vfs(vfs)->xGetLastError(base_vfs(vfs), size, out);
}
int vfs_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return base_vfs(vfs)->xCurrentTimeInt64(base_vfs(vfs), out);
}

}  // namespace

sqlite3_io_methods forwarding_io_methods() {
  return sqlite3_io_methods{
      3,
      forward_close,
      forward_read,
      forward_write,
      forward_truncate,
      forward_sync,
      forward_size,
      forward_lock,
      forward_unlock,
      forward_check_reserved,
      forward_control,
      forward_sector_size,
      forward_device_characteristics,
      forward_shm_map,
      forward_shm_lock,
      forward_shm_barrier,
      forward_shm_unmap,
      forward_fetch,
      forward_unfetch,
  };
}

void make_forwarding_vfs(ShimVfs& shim, sqlite3_vfs* base, std::string name, std::size_t file_bytes,
                         int (*open)(sqlite3_vfs*, sqlite3_filename, sqlite3_file*, int, int*)) {
  shim.base = base;
  shim.name = std::move(name);
  shim.file_bytes = file_bytes;
  sqlite3_vfs& vfs = shim.vfs;
  vfs.iVersion = 2;
  vfs.szOsFile = static_cast<int>(file_bytes) + base->szOsFile;
  vfs.mxPathname = base->mxPathname;
  vfs.zName = shim.name.c_str();
  vfs.pAppData = &shim;
  vfs.xOpen = open;
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
}

sqlite3_vfs* base_vfs(sqlite3_vfs* shim) { return static_cast<ShimVfs*>(shim->pAppData)->base; }

int open_through_base(sqlite3_vfs* shim, sqlite3_filename name, sqlite3_file* file, int flags,
                      int* out_flags, const sqlite3_io_methods* methods) {
  const auto* registration = static_cast<ShimVfs*>(shim->pAppData);
  auto* head = reinterpret_cast<ShimFile*>(file);
  head->real =
      reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + registration->file_bytes);
  head->base.pMethods = nullptr;
  sqlite3_vfs* base = registration->base;
  const int rc = base->xOpen(base, name, head->real, flags, out_flags);
  head->base.pMethods = rc == SQLITE_OK && head->real->pMethods != nullptr ? methods : nullptr;
  return rc;
}

}  // namespace supportgw::sqlite
