#include "core/host/ticket_view_cache.hpp"

namespace supportgw::host {

std::optional<CachedTicketView> TicketViewCache::find(std::string_view reference,
                                                      std::uint64_t data_version) {
  std::lock_guard lock(mutex_);
  const auto found = entries_.find(std::string(reference));
  if (found == entries_.end() || found->second.data_version != data_version) {
    return std::nullopt;
  }
  return found->second;
}

void TicketViewCache::put(CachedTicketView entry) {
  const std::size_t bytes = bytes_of(entry);
  if (bytes > kMaxBytes) {
    return;  // a ticket with an enormous history is read each time
  }
  std::lock_guard lock(mutex_);
  if (const auto old = entries_.find(entry.view.reference); old != entries_.end()) {
    bytes_ -= bytes_of(old->second);
    entries_.erase(old);
  }
  if (entries_.size() >= kMaxEntries || bytes_ + bytes > kMaxBytes) {
    entries_.clear();
    bytes_ = 0;
  }
  bytes_ += bytes;
  std::string key = entry.view.reference;
  entries_.emplace(std::move(key), std::move(entry));
}

std::size_t TicketViewCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

// Roughly what the entry holds on the heap: the texts, and a fixed share per element.
std::size_t TicketViewCache::bytes_of(const CachedTicketView& entry) {
  const sdk::TicketView& view = entry.view;
  std::size_t bytes = 512 + view.reference.size() + view.subject.size() +
                      view.customer_name.size() + view.customer_email.size() + view.product.size() +
                      view.product_version.size() + view.severity_name.size() + view.status.size();
  for (const auto& entry_of_history : view.history) {
    bytes += 128 + entry_of_history.kind.size() + entry_of_history.actor.size() +
             entry_of_history.channel.size() + entry_of_history.text.size();
  }
  for (const auto& file : view.files) {
    bytes += 128 + file.file_name.size() + file.sha256.size();
  }
  return bytes;
}

}  // namespace supportgw::host
