// The portal's CSRF tokens (plugins/web/csrf.hpp): genuine only when made by this
// process's secret and fresh, the same with their MACs remembered.

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "csrf.hpp"

namespace web {
namespace {

using namespace std::chrono_literals;
using SystemClock = std::chrono::system_clock;

TEST(CsrfTokens, AcceptsItsOwnFreshTokensAndRefusesOthers) {
  const CsrfTokens tokens(1h);
  const CsrfTokens other(1h);
  const auto now = SystemClock::now();
  const std::string token = tokens.issue(now);
  EXPECT_TRUE(tokens.genuine(token, now));
  EXPECT_TRUE(tokens.genuine(token, now + 59min));  // the MAC remembered
  EXPECT_FALSE(tokens.genuine(token, now + 61min));
  EXPECT_FALSE(other.genuine(token, now)) << "another process's secret";
  EXPECT_EQ(tokens.issue(now), token) << "one token per second";
  EXPECT_TRUE(tokens.accepts(token, token, now));
  EXPECT_FALSE(tokens.accepts(token, other.issue(now), now));
}

TEST(CsrfTokens, RefusesForgedAndMalformedTokens) {
  const CsrfTokens tokens(1h);
  const auto now = SystemClock::now();
  const std::string token = tokens.issue(now);
  const std::string seconds = token.substr(0, token.find('.'));
  std::string forged = token;
  forged.back() = forged.back() == '0' ? '1' : '0';
  EXPECT_FALSE(tokens.genuine(forged, now));
  // The same second spelled with a leading zero is another MAC input.
  EXPECT_FALSE(tokens.genuine("0" + token, now));
  EXPECT_FALSE(tokens.genuine(seconds + ".", now));
  EXPECT_FALSE(tokens.genuine("." + token.substr(token.find('.') + 1), now));
  EXPECT_FALSE(tokens.genuine("", now));
  EXPECT_FALSE(tokens.genuine("x" + token, now));
  // Tokens from the future beyond a minute of slack.
  EXPECT_FALSE(tokens.genuine(tokens.issue(now + 2min), now));
}

TEST(CsrfTokens, StaysCorrectPastItsMemoryOfMacs) {
  const CsrfTokens tokens(24h);
  const auto start = SystemClock::now() - 20h;
  const std::string first = tokens.issue(start);
  // More distinct seconds than the tokens remember: the memory is cleared and refilled.
  for (int second = 1; second <= 3000; ++second) {
    ASSERT_TRUE(
        tokens.genuine(tokens.issue(start + std::chrono::seconds(second)), SystemClock::now()));
  }
  EXPECT_TRUE(tokens.genuine(first, SystemClock::now()));
}

}  // namespace
}  // namespace web
