#pragma once
// Retention of uploads: the files of a ticket closed longer ago than the policy's
// [uploads] retention are deleted from disk, and each deletion is recorded in the
// ticket's history (name, size, SHA-256 stay there and in the attachment row, which is
// marked deleted rather than removed).
//
// Crash safety: a ticket's files are unlinked first and the marks committed after, so a
// crash in between leaves rows that the next sweep finds again; unlinking a file that is
// already gone counts as done. Nothing is orphaned on disk and nothing recorded twice.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "core/store/store.hpp"

namespace supportgw::tickets {

struct RetentionSweep {
  std::size_t tickets = 0;  // tickets whose files were deleted
  std::size_t files = 0;
  // Tickets left for the next pass, with why (a file that cannot be deleted, a store
  // error): each names the ticket and the file.
  std::vector<std::string> problems;
};

// One pass over at most `max_tickets` closed tickets whose retention ran out at `now`.
// A ticket that fails is reported in `problems` and the pass goes on; only the first
// query's StoreError is thrown.
RetentionSweep sweep_upload_retention(Store& store, std::chrono::minutes retention, Timestamp now,
                                      std::size_t max_tickets = 100);

}  // namespace supportgw::tickets
