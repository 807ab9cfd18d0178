#pragma once
// A limit on how often one client address may open tickets through the portal: a token
// bucket per address, `per_minute` tokens a minute, bursts up to `per_minute`. The table
// is bounded: when it is full, buckets that have refilled completely (clients that have
// been quiet) are dropped first, and if none has, the new address shares an overflow
// bucket, so a flood of addresses cannot grow memory without bound.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace web {

class RateLimiter {
 public:
  // `per_minute` 0 disables the limit.
  explicit RateLimiter(int per_minute, std::size_t max_addresses = 100'000);

  // Takes a token for `address` ("127.0.0.1:53422": the port is ignored); false when
  // the address has none left.
  bool allow(std::string_view address, std::chrono::steady_clock::time_point now);

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point updated{};
  };
  void refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const;

  const double per_minute_;
  const std::size_t max_addresses_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  Bucket overflow_;
};

// The host part of "1.2.3.4:5678" or "[::1]:5678".
std::string_view address_host(std::string_view address);

}  // namespace web
