#include "rate_limit.hpp"

#include <algorithm>
#include <iterator>

namespace web {

std::string_view address_host(std::string_view address) {
  if (address.starts_with('[')) {
    const auto close = address.find(']');
    return close == std::string_view::npos ? address : address.substr(1, close - 1);
  }
  const auto colon = address.rfind(':');
  return colon == std::string_view::npos ? address : address.substr(0, colon);
}

RateLimiter::RateLimiter(int per_minute, std::size_t max_addresses)
    : per_minute_(per_minute), max_addresses_(max_addresses) {
  overflow_.tokens = per_minute_;
}

void RateLimiter::refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const {
  const double minutes =
      std::chrono::duration<double, std::ratio<60>>(now - bucket.updated).count();
  bucket.tokens = std::min(per_minute_, bucket.tokens + minutes * per_minute_);
  bucket.updated = now;
}

bool RateLimiter::allow(std::string_view address, std::chrono::steady_clock::time_point now) {
  if (per_minute_ <= 0) {
    return true;
  }
  const std::string host(address_host(address));
  std::lock_guard lock(mutex_);
  auto found = buckets_.find(host);
  Bucket* bucket = nullptr;
  if (found != buckets_.end()) {
    bucket = &found->second;
    refill(*bucket, now);
  } else {
    if (buckets_.size() >= max_addresses_) {
      for (auto it = buckets_.begin(); it != buckets_.end();) {
        refill(it->second, now);
        it = it->second.tokens >= per_minute_ ? buckets_.erase(it) : std::next(it);
      }
    }
    if (buckets_.size() >= max_addresses_) {
      bucket = &overflow_;
      refill(*bucket, now);
    } else {
      bucket = &buckets_.emplace(host, Bucket{per_minute_, now}).first->second;
    }
  }
  if (bucket->tokens < 1) {
    return false;
  }
  bucket->tokens -= 1;
  return true;
}

}  // namespace web
