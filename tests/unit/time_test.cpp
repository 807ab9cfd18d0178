#include "core/util/time.hpp"

#include <gtest/gtest.h>

#include "core/util/error.hpp"

namespace supportgw {
namespace {

using std::chrono::milliseconds;

TEST(Time, ParsesUtcAndOffsets) {
  const Timestamp utc = parse_iso8601("2026-12-18T15:00:00Z");
  EXPECT_EQ(parse_iso8601("2026-12-18T16:00:00+01:00"), utc);
  EXPECT_EQ(parse_iso8601("2026-12-18T09:00:00-06:00"), utc);
  EXPECT_EQ(parse_iso8601("2026-12-18t15:00:00z"), utc);
  EXPECT_EQ(parse_iso8601("2026-12-18T15:00:00.25Z"), utc + milliseconds(250));
  EXPECT_EQ(parse_iso8601("2026-12-18T15:00:00.123456789Z"), utc + milliseconds(123));
  EXPECT_EQ(format_utc(utc), "2026-12-18T15:00:00.000Z");
  EXPECT_EQ(parse_iso8601(format_utc(utc + milliseconds(7))), utc + milliseconds(7));
}

TEST(Time, RefusesWhatIsNotAnInstant) {
  for (const char* bad :
       {"", "2026-12-18", "2026-12-18T15:00:00", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
        "2026-12-18T24:00:00Z", "2026-12-18T15:00Z", "2026-12-18T15:00:00+1:00",
        "2026-12-18T15:00:00Z trailing", "2026-12-18T15:00:00.Z", "x026-12-18T15:00:00Z"}) {
    EXPECT_THROW(parse_iso8601(bad), InvalidArgument) << bad;
  }
}

TEST(Time, LeapDayAndUtcDate) {
  const Timestamp leap = parse_iso8601("2028-02-29T23:59:59Z");
  EXPECT_EQ(utc_date(leap), (CivilDate{2028, 2, 29}));
  EXPECT_EQ(utc_date(leap + milliseconds(1000)), (CivilDate{2028, 3, 1}));
  EXPECT_THROW(parse_iso8601("2027-02-29T00:00:00Z"), InvalidArgument);
}

}  // namespace
}  // namespace supportgw
