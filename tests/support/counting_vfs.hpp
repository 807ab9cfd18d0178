#pragma once
// A SQLite VFS that passes everything to the default one and counts, per kind of
// file, the writes and the fsyncs. Tests open a store through it to prove that a
// write is acknowledged only after the fsync that makes it durable, and that
// concurrent writes share one fsync.

#include <atomic>
#include <cstdint>
#include <string>

namespace supportgw::testing {

struct SyncCounts {
  std::atomic<std::uint64_t> wal_syncs{0};
  std::atomic<std::uint64_t> wal_writes{0};
  std::atomic<std::uint64_t> database_syncs{0};
};

// Registers (once per process) a VFS named "counting" and returns the counters it
// feeds. The VFS object lives until the process ends, as SQLite requires.
SyncCounts& counting_vfs();
inline constexpr const char* kCountingVfsName = "counting";

}  // namespace supportgw::testing
