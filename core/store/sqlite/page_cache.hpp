#pragma once
// SQLite's own page cache, without a walk over every cached page at each commit.
//
// When a b-tree balance puts its new pages in ascending order it swaps two of them
// through a temporary page number, the one of the pending-byte page (page 262,145 with
// 4 KiB pages: 1 GiB into the file, never used for data). pcache1 remembers the largest
// page number it was ever handed, and that is it now. Every commit then truncates the
// cache to the database size, and since the remembered number is far beyond it, pcache1
// walks its whole hash table to find pages to drop. There are none, but with the store's
// 64 MiB cache that is 16,000 pages, 0.4-1 ms per commit on the writer: 9% of its time
// at 2,000 tickets/s (perf on web_bench, SQLite 3.40).
//
// The cache installed here forwards every call to SQLite's default cache, and keeps for
// each cache the largest page number it could hold besides the temporary one. A
// truncation that could drop nothing (no page at or past the limit, the temporary page
// not held) is not forwarded. Every other one is, so a rollback that grew the database
// and then shrank it drops its pages as before.

#include <cstdint>

namespace supportgw::sqlite {

// The bookkeeping of one cache, kept apart from SQLite's callbacks so tests can walk
// through it. Page numbers are SQLite's (1-based); `temporary` is the pending-byte page.
class PageNumberBound {
 public:
  explicit PageNumberBound(std::uint32_t temporary) : temporary_(temporary) {}

  // A page now held under `page` (fetched and created, or found).
  void held(std::uint32_t page);
  // A held page moved from `from` to `to`.
  void moved(std::uint32_t from, std::uint32_t to);
  // Whether truncating to below `limit` may drop a page; afterwards nothing at or past
  // `limit` is held, so call truncated() when the truncation went ahead.
  bool may_hold_from(std::uint32_t limit) const;
  void truncated(std::uint32_t limit);

 private:
  const std::uint32_t temporary_;
  std::uint32_t largest_ = 0;  // no page past this is held, the temporary one aside
  bool temporary_held_ = false;
};

// Puts the cache above in place of SQLite's default for the whole process. SQLite takes
// it only before its first use in the process: returns false (and changes nothing)
// after that.
bool install_page_cache();

}  // namespace supportgw::sqlite
