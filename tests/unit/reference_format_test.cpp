#include "core/domain/reference_format.hpp"

#include <gtest/gtest.h>

#include "core/util/error.hpp"

namespace supportgw {
namespace {

constexpr CivilDate kDate{2026, 11, 22};

TEST(ReferenceFormat, RendersDatePartsAndPaddedSequence) {
  const ReferenceFormat format("SR-{yyyy}-{seq:6}");
  EXPECT_EQ(format.render(kDate, 123), "SR-2026-000123");
  EXPECT_EQ(format.render(kDate, 1234567), "SR-2026-1234567");  // grows past the width
  EXPECT_EQ(ReferenceFormat("INC{yy}{mm}{dd}-{seq}").render(kDate, 7), "INC261122-7");
  EXPECT_EQ(ReferenceFormat("{seq:4}").render(kDate, 9), "0009");
}

TEST(ReferenceFormat, SequenceScopeFollowsTheDateParts) {
  const ReferenceFormat yearly("SR-{yyyy}-{seq:6}");
  EXPECT_EQ(yearly.sequence_scope(kDate), "SR-2026-{seq}");
  EXPECT_EQ(yearly.sequence_scope(CivilDate{2026, 1, 1}), yearly.sequence_scope(kDate));
  EXPECT_NE(yearly.sequence_scope(CivilDate{2027, 1, 1}), yearly.sequence_scope(kDate));
  EXPECT_EQ(ReferenceFormat("T-{seq}").sequence_scope(kDate), "T-{seq}");
}

TEST(ReferenceFormat, RefusesBadFormatsWithColumn) {
  const auto message = [](std::string_view text) -> std::string {
    try {
      ReferenceFormat format(text);
    } catch (const InvalidArgument& error) {
      return error.what();
    }
    return "accepted";
  };
  EXPECT_NE(message("SR-{yyy}-{seq}").find("column 4"), std::string::npos);
  EXPECT_NE(message("SR-{yyy}-{seq}").find("unknown placeholder {yyy}"), std::string::npos);
  EXPECT_NE(message("SR-{yyyy}").find("no {seq}"), std::string::npos);
  EXPECT_NE(message("{seq}-{seq}").find("more than one"), std::string::npos);
  EXPECT_NE(message("SR {seq}").find("not allowed"), std::string::npos);
  EXPECT_NE(message("SR-{seq:0}").find("width"), std::string::npos);
  EXPECT_NE(message("SR-{seq:99}").find("width"), std::string::npos);
  EXPECT_NE(message("SR-{seq").find("never closed"), std::string::npos);
  EXPECT_NE(message("{yyyy}{seq}").find("separated"), std::string::npos);
  EXPECT_NE(message("").find("empty"), std::string::npos);
}

TEST(ReferenceFormat, MatchesWholeReferencesOnly) {
  const ReferenceFormat format("SR-{yyyy}-{seq:6}");
  EXPECT_TRUE(format.matches("SR-2026-000123"));
  EXPECT_TRUE(format.matches("sr-2026-000123"));
  EXPECT_TRUE(format.matches("SR-2026-1234567"));
  EXPECT_FALSE(format.matches("SR-2026-00012"));  // shorter than the width
  EXPECT_FALSE(format.matches("SR-26-000123"));
  EXPECT_FALSE(format.matches("SR-2026-000123x"));
  EXPECT_FALSE(format.matches(""));
  const ReferenceFormat dated("X{mm}{dd}-{seq}");
  EXPECT_TRUE(dated.matches("X1231-5"));
  EXPECT_FALSE(dated.matches("X1331-5"));  // month 13
  EXPECT_FALSE(dated.matches("X1200-5"));  // day 0
}

TEST(ReferenceFormat, FindsReferencesInText) {
  const ReferenceFormat format("SR-{yyyy}-{seq:6}");
  EXPECT_EQ(format.find_all("Re: [SR-2026-000123] printer on fire"),
            (std::vector<std::string>{"SR-2026-000123"}));
  EXPECT_EQ(format.find_all("about sr-2026-000001 and SR-2025-999999."),
            (std::vector<std::string>{"SR-2026-000001", "SR-2025-999999"}));
  EXPECT_TRUE(format.find_all("XSR-2026-000123 SR-2026-000123abc SR-2026-12").empty());
  EXPECT_TRUE(format.find_all("").empty());
  EXPECT_EQ(format.find_all("(SR-2026-000777)"), (std::vector<std::string>{"SR-2026-000777"}));
}

TEST(ReferenceFormat, FindAllSurvivesHostileText) {
  const ReferenceFormat format("SR-{yyyy}-{seq:6}");
  std::string long_digits = "SR-2026-" + std::string(5000, '9');
  EXPECT_TRUE(format.find_all(long_digits).empty());  // more digits than a uint64
  std::string many(100000, 'S');
  EXPECT_TRUE(format.find_all(many).empty());
  std::string binary("SR-2026-000001\0SR-2026-000002", 29);
  EXPECT_EQ(format.find_all(binary).size(), 2U);
}

}  // namespace
}  // namespace supportgw
