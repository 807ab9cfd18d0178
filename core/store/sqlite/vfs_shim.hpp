#pragma once
// Building blocks for SQLite VFS shims: a VFS that behaves as another (its base) except
// for the few methods the shim replaces. The store's WAL write buffer is one; the tests'
// counting VFS another.
//
// A shim's file struct starts with a ShimFile; SQLite allocates it with room for the
// base VFS's own file right behind, which `real` points to.

#include <sqlite3.h>

#include <cstddef>
#include <string>

namespace supportgw::sqlite {

struct ShimFile {
  sqlite3_file base;   // must be first: SQLite sees this
  sqlite3_file* real;  // the base VFS's file
};

// The base VFS's file of a shim's file.
inline sqlite3_file* real_file(sqlite3_file* file) {
  return reinterpret_cast<ShimFile*>(file)->real;
}

// io methods (version 3) that hand every call to the base file: a shim copies them and
// replaces some.
sqlite3_io_methods forwarding_io_methods();

// A registered shim: SQLite keeps the pointer to `vfs` for the life of the process, so
// these are made once and never freed.
struct ShimVfs {
  sqlite3_vfs vfs{};
  sqlite3_vfs* base = nullptr;
  std::string name;
  std::size_t file_bytes = 0;  // the shim's file struct, before the base's file
};

// Fills `shim` as a VFS named `name` that hands every call to `base`, except xOpen,
// which is `open`; its files are `file_bytes` (the shim's struct) plus the base's.
// Register it with sqlite3_vfs_register afterwards.
void make_forwarding_vfs(ShimVfs& shim, sqlite3_vfs* base, std::string name, std::size_t file_bytes,
                         int (*open)(sqlite3_vfs*, sqlite3_filename, sqlite3_file*, int, int*));

// The base VFS of a shim made by make_forwarding_vfs.
sqlite3_vfs* base_vfs(sqlite3_vfs* shim);

// For a shim's xOpen: opens the base's file behind `file` and installs `methods` when it
// opened (SQLite calls xClose only when pMethods is set).
int open_through_base(sqlite3_vfs* shim, sqlite3_filename name, sqlite3_file* file, int flags,
                      int* out_flags, const sqlite3_io_methods* methods);

}  // namespace supportgw::sqlite
