// The portal's per-address limit on new tickets (plugins/web/rate_limit.hpp).

#include <gtest/gtest.h>

#include "rate_limit.hpp"

namespace web {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(RateLimiter, AllowsABurstThenRefillsOverTime) {
  RateLimiter limiter(3);
  const auto start = Clock::now();
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(limiter.allow("10.0.0.1:1000", start)) << i;
  }
  EXPECT_FALSE(limiter.allow("10.0.0.1:1001", start));  // the port does not matter
  EXPECT_TRUE(limiter.allow("10.0.0.2:1000", start));   // another address does
  EXPECT_FALSE(limiter.allow("10.0.0.1:1000", start + 19s));
  EXPECT_TRUE(limiter.allow("10.0.0.1:1000", start + 21s));  // a third of a minute: 1 token
  EXPECT_FALSE(limiter.allow("10.0.0.1:1000", start + 22s));
}

TEST(RateLimiter, ZeroMeansNoLimit) {
  RateLimiter limiter(0);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(limiter.allow("10.0.0.1:1", Clock::now()));
  }
}

TEST(RateLimiter, BoundedTableSharesAnOverflowBucket) {
  RateLimiter limiter(1, 2);
  const auto now = Clock::now();
  EXPECT_TRUE(limiter.allow("10.0.0.1:1", now));
  EXPECT_TRUE(limiter.allow("10.0.0.2:1", now));
  // The table is full of busy addresses: newcomers share one bucket.
  EXPECT_TRUE(limiter.allow("10.0.0.3:1", now));
  EXPECT_FALSE(limiter.allow("10.0.0.4:1", now));
  // A minute later the quiet ones are dropped and newcomers get their own again.
  EXPECT_TRUE(limiter.allow("10.0.0.5:1", now + 61s));
}

TEST(RateLimiter, HostOfAddress) {
  EXPECT_EQ(address_host("127.0.0.1:5000"), "127.0.0.1");
  EXPECT_EQ(address_host("[::1]:5000"), "::1");
  EXPECT_EQ(address_host("nohost"), "nohost");
}

}  // namespace
}  // namespace web
