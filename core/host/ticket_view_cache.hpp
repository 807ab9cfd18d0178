#pragma once
// Ticket views for repeated reads: a customer reloading a ticket page, a status poller.
// A view is kept with the store's data_version() it was read at and answered only while
// that number is unchanged. Any commit anywhere (this daemon's writer, the CLI or a
// script beside it) changes the number, so a cached view is never older than the store;
// under a stream of writes the cache just misses. On a quiet store it saves the read
// transaction and its five statements per page (tests/bench/web_bench).
//
// Bounded by count and by bytes (history texts dominate); past either bound the whole
// cache is dropped, which costs one read per ticket shown next. Thread-safe.

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/domain/customer_token.hpp"
#include "core/util/time.hpp"
#include "supportgw/sdk/ticket_view.hpp"

namespace supportgw::host {

struct CachedTicketView {
  std::uint64_t data_version = 0;       // the store's, taken before the read
  std::optional<TokenHash> token_hash;  // the customer token's (none: no token)
  sdk::TicketView view;                 // reopenable left false: it depends on now
  bool solved = false;
  std::optional<Timestamp> solved_at;  // the last change to solved, if any
};

class TicketViewCache {
 public:
  static constexpr std::size_t kMaxEntries = 4096;
  static constexpr std::size_t kMaxBytes = 16 * 1024 * 1024;

  // The view of `reference` if it was read at `data_version`.
  std::optional<CachedTicketView> find(std::string_view reference, std::uint64_t data_version);
  void put(CachedTicketView entry);

  std::size_t size() const;

 private:
  static std::size_t bytes_of(const CachedTicketView& entry);
  mutable std::mutex mutex_;
  std::unordered_map<std::string, CachedTicketView> entries_;
  std::size_t bytes_ = 0;
};

}  // namespace supportgw::host
