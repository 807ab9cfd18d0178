#pragma once
// Gathers the store writer's WAL writes into one write per commit.
//
// SQLite writes each frame of a commit with two pwrite()s, its 24-byte header and then
// its page. A batch of tickets touches many pages (each random-key index its own leaf),
// so one commit made 400 system calls in a measurement of web_bench, and the commit's
// CPU (900 us a batch) was a fifth of the writer's time at 2,000 tickets/s. Here writes
// to a WAL file that continue the previous one are appended to a buffer in memory, and
// the buffer goes out in 64 KiB pwrite()s (the most SQLite's unix VFS writes at once)
// before anything else touches the file: the sync
// that makes a commit durable, a read, a size query, a truncation, a write elsewhere,
// the close, or the buffer reaching kMaxBufferedBytes.
//
// Durability is unchanged: SQLite calls a commit done after the WAL's xSync returned,
// and xSync writes the buffer first. Data buffered and lost in a crash belonged to a
// commit that had not reached its sync, which SQLite rolls back at recovery in any case.
// A write that fails at the flush fails the sync, and the commit with it.
//
// Only the store's writer connection opens files through this VFS; it is the only one
// that writes the WAL. Other files (the database, journals) pass straight through.

#include <string>

namespace supportgw::sqlite {

// Most bytes held before a flush: a batch of hundreds of tickets fits.
inline constexpr int kMaxBufferedBytes = 8 * 1024 * 1024;

// The name of a VFS that behaves as the VFS named `base` (empty: the default) but
// gathers WAL writes as above; registered with SQLite at first use, kept for the life
// of the process as SQLite requires. Throws StoreError when `base` is unknown.
std::string wal_write_buffer_vfs(const std::string& base);

}  // namespace supportgw::sqlite
