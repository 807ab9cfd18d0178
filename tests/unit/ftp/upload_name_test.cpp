// What a customer may call an uploaded file, and which user names may be references.
#include "upload_name.hpp"

#include <gtest/gtest.h>

namespace supportgw::ftp {
namespace {

std::string accepted(std::string_view argument) {
  const auto result = upload_name(argument);
  if (const auto* name = std::get_if<std::string>(&result)) return *name;
  return "refused: " + std::get<NameRefusal>(result).reason;
}

bool refused(std::string_view argument) {
  return std::holds_alternative<NameRefusal>(upload_name(argument));
}

TEST(UploadName, TakesPlainNames) {
  EXPECT_EQ(accepted("core.dump"), "core.dump");
  EXPECT_EQ(accepted("my log (2).txt"), "my log (2).txt");
  EXPECT_EQ(accepted("Störung-日本.tar.gz"), "Störung-日本.tar.gz");
  EXPECT_EQ(accepted("a..b"), "a..b");
}

TEST(UploadName, TheRootFolderPrefixIsTheSameName) {
  EXPECT_EQ(accepted("/core.dump"), "core.dump");
}

TEST(UploadName, RefusesPaths) {
  EXPECT_TRUE(refused("../core.dump"));
  EXPECT_TRUE(refused("../../etc/passwd"));
  EXPECT_TRUE(refused("/etc/passwd"));
  EXPECT_TRUE(refused("a/b"));
  EXPECT_TRUE(refused("a\\b"));
  EXPECT_TRUE(refused("..\\..\\boot.ini"));
  EXPECT_TRUE(refused("//x"));
  EXPECT_TRUE(refused("x/"));
}

TEST(UploadName, RefusesDotNamesAndEmptyOnes) {
  EXPECT_TRUE(refused(""));
  EXPECT_TRUE(refused("/"));
  EXPECT_TRUE(refused("."));
  EXPECT_TRUE(refused(".."));
  EXPECT_TRUE(refused(".partial"));
  EXPECT_TRUE(refused(".bashrc"));
}

TEST(UploadName, RefusesControlCharactersAndBadUtf8) {
  EXPECT_TRUE(refused("a\nb"));
  EXPECT_TRUE(refused("a\rb"));
  EXPECT_TRUE(refused(std::string_view("a\0b", 3)));
  EXPECT_TRUE(refused("a\x1b[31mred"));
  EXPECT_TRUE(refused("del\x7f"));
  EXPECT_TRUE(refused("\xc2\x85next-line"));  // U+0085, a C1 control
  EXPECT_TRUE(refused("bad\xff"));
  EXPECT_TRUE(refused("\xc0\xafoverlong"));
  EXPECT_TRUE(refused("\xed\xa0\x80surrogate"));
  EXPECT_TRUE(refused("cut\xe2\x82"));
}

TEST(UploadName, RefusesLongNames) {
  EXPECT_FALSE(refused(std::string(kMaxFileName, 'a')));
  EXPECT_TRUE(refused(std::string(kMaxFileName + 1, 'a')));
  const auto result = upload_name(std::string(5000, 'a'));
  EXPECT_NE(std::get<NameRefusal>(result).reason.find("200"), std::string::npos);
}

TEST(IncomingName, SplitsAtTheFirstUnderscore) {
  const auto result = incoming_name("NX-000123_core_2026.dump");
  ASSERT_TRUE(std::holds_alternative<IncomingName>(result));
  EXPECT_EQ(std::get<IncomingName>(result).reference, "NX-000123");
  EXPECT_EQ(std::get<IncomingName>(result).file_name, "core_2026.dump");
  const auto rooted = incoming_name("/SR-2026-000001_app.log");
  ASSERT_TRUE(std::holds_alternative<IncomingName>(rooted));
  EXPECT_EQ(std::get<IncomingName>(rooted).reference, "SR-2026-000001");
}

TEST(IncomingName, RefusesNamesWithoutTheRuleOrWithAHostilePart) {
  for (const char* name : {"core.dump", "_core.dump", "NX-000123_", "NX 1_core.dump"}) {
    const auto result = incoming_name(name);
    ASSERT_TRUE(std::holds_alternative<NameRefusal>(result)) << name;
    EXPECT_EQ(std::get<NameRefusal>(result).reason, kIncomingRule) << name;
  }
  // The upload_name() rules come first: paths and hidden names say their own reason.
  for (const char* name : {"../NX-1_core", "NX-1/_core", ".NX-1_core", "NX-1_\x01"}) {
    EXPECT_TRUE(std::holds_alternative<NameRefusal>(incoming_name(name))) << name;
  }
  // The stored name may not start with a dot either.
  EXPECT_TRUE(std::holds_alternative<NameRefusal>(incoming_name("NX-1_.partial")));
}

TEST(PlausibleReference, TakesReferenceShapes) {
  EXPECT_TRUE(plausible_reference("SR-2026-000123"));
  EXPECT_TRUE(plausible_reference("NX_42.a"));
}

TEST(PlausibleReference, RefusesWhatCouldBeAPath) {
  EXPECT_FALSE(plausible_reference(""));
  EXPECT_FALSE(plausible_reference(".."));
  EXPECT_FALSE(plausible_reference(".hidden"));
  EXPECT_FALSE(plausible_reference("a/b"));
  EXPECT_FALSE(plausible_reference("../SR-1"));
  EXPECT_FALSE(plausible_reference("SR 1"));
  EXPECT_FALSE(plausible_reference(std::string(65, 'A')));
}

}  // namespace
}  // namespace supportgw::ftp
