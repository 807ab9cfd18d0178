#include "core/policy/duration.hpp"

#include <gtest/gtest.h>

namespace supportgw::policy {
namespace {

using std::chrono::minutes;

Duration parse_ok(std::string_view text) {
  std::string error;
  const auto duration = parse_duration(text, error);
  EXPECT_TRUE(duration.has_value()) << text << ": " << error;
  return duration.value_or(Duration{});
}

std::string parse_error(std::string_view text) {
  std::string error;
  EXPECT_FALSE(parse_duration(text, error).has_value()) << text;
  return error;
}

TEST(Duration, ReadsTimeAmounts) {
  EXPECT_EQ(parse_ok("4h").open_time, minutes(240));
  EXPECT_EQ(parse_ok("30m").open_time, minutes(30));
  EXPECT_EQ(parse_ok("1h30m").open_time, minutes(90));
  EXPECT_EQ(parse_ok("0m").open_time, minutes(0));
  EXPECT_EQ(parse_ok("3d").open_time, minutes(3 * 24 * 60));
  EXPECT_EQ(parse_ok("2w1d2h5m").open_time, minutes(15 * 24 * 60 + 125));
  EXPECT_TRUE(parse_ok("3d").uses_day_units);
  EXPECT_FALSE(parse_ok("72h").uses_day_units);
  EXPECT_EQ(parse_ok("8h").kind, Duration::Kind::open_time);
}

TEST(Duration, ReadsBusinessDays) {
  const Duration two = parse_ok("2 business days");
  EXPECT_EQ(two.kind, Duration::Kind::business_days);
  EXPECT_EQ(two.business_days, 2);
  EXPECT_EQ(parse_ok("1 business day").business_days, 1);
}

TEST(Duration, RefusesWhatTheGrammarDoesNot) {
  for (std::string_view bad :
       {"", "h", "4", "4 h", "4hours", "1.5h", "-1h", "30m1h", "1h1h", "4x", "2 business",
        "2 Business Days", "2  business days", "1h 30m", " 4h", "4h ", "2 days"}) {
    EXPECT_NE(parse_error(bad).find("expected a duration"), std::string::npos) << bad;
  }
}

TEST(Duration, RefusesHugeValuesInsteadOfWrapping) {
  EXPECT_NE(parse_error("99999999999999999999999h").find("ten years"), std::string::npos);
  EXPECT_NE(parse_error("5000w").find("ten years"), std::string::npos);
  EXPECT_NE(parse_error("4000 business days").find("3660"), std::string::npos);
  EXPECT_EQ(parse_ok("520w").open_time, minutes(520LL * 7 * 24 * 60));
}

TEST(Duration, PrintsCanonicalTextThatReadsBack) {
  for (std::string_view text : {"4h", "1h30m", "3d", "14d", "2 business days", "1 business day",
                                "0m", "0d", "1d2h", "90m", "2w"}) {
    const Duration duration = parse_ok(text);
    EXPECT_EQ(parse_ok(to_string(duration)), duration) << text;
  }
  EXPECT_EQ(to_string(parse_ok("90m")), "1h30m");
  EXPECT_EQ(to_string(parse_ok("2w")), "14d");
}

}  // namespace
}  // namespace supportgw::policy
