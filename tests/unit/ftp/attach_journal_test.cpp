// AttachJournal: notes of uploads between their rename and their attachment, and what the
// next start does with the files such notes point at.

#include "attach_journal.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <set>
#include <string>

#include "durable_upload.hpp"
#include "tests/support/temp_dir.hpp"

namespace supportgw::ftp {
namespace {

namespace fs = std::filesystem;
using supportgw::testing::read_file;
using supportgw::testing::TempDir;
using supportgw::testing::write_file;

std::size_t notes_in(const fs::path& root) {
  std::error_code ignored;
  std::size_t count = 0;
  for (fs::directory_iterator it(root / ".attaching", ignored), none; it != none; ++it) ++count;
  return count;
}

auto lists(std::set<std::string> names) {
  return [names](const std::string&) -> std::optional<std::set<std::string>> { return names; };
}

TEST(AttachJournal, ANoteLastsFromBeginToEnd) {
  TempDir root;
  AttachJournal journal(root.path());
  ASSERT_TRUE(journal.begin("NX-1", "core.dump").ok());
  ASSERT_TRUE(journal.begin("NX-2", "core.dump").ok());
  EXPECT_EQ(notes_in(root.path()), 2u);
  journal.end("NX-1", "core.dump");
  EXPECT_EQ(notes_in(root.path()), 1u);
  journal.end("NX-1", "core.dump");  // twice is harmless
  EXPECT_EQ(notes_in(root.path()), 1u);
}

TEST(AttachJournal, AFileTheTicketDoesNotListGoesBackToAPartial) {
  TempDir root;
  const fs::path folder = root / "NX-1";
  fs::create_directories(folder);
  write_file(folder / "attached.txt", "listed");
  write_file(folder / "core.dump", "never attached");
  AttachJournal journal(root.path());
  ASSERT_TRUE(journal.begin("NX-1", "core.dump").ok());

  const auto recovery = journal.recover_unattached(lists({"attached.txt"}));
  EXPECT_TRUE(recovery.problems.empty());
  ASSERT_EQ(recovery.returned.size(), 1u);
  EXPECT_EQ(recovery.returned[0], "NX-1/core.dump -> .partial/core.dump");
  EXPECT_FALSE(fs::exists(folder / "core.dump"));
  EXPECT_EQ(read_file(DurableUpload::partial_path(folder, "core.dump")), "never attached");
  EXPECT_EQ(read_file(folder / "attached.txt"), "listed");
  EXPECT_EQ(notes_in(root.path()), 0u);
}

// The upload was numbered ("core-2.dump", the asked name being taken); its partial goes
// under the asked name, which the client's retry stores; if a partial of that name is
// there already, under its own.
TEST(AttachJournal, ANumberedFileGoesBackUnderTheAskedNameIfItIsFree) {
  TempDir root;
  const fs::path folder = root / "NX-1";
  fs::create_directories(folder);
  write_file(folder / "core.dump", "attached first");
  write_file(folder / "core-2.dump", "second, never attached");
  AttachJournal journal(root.path());
  ASSERT_TRUE(journal.begin("NX-1", "core.dump").ok());
  auto recovery = journal.recover_unattached(lists({"core.dump"}));
  ASSERT_EQ(recovery.returned.size(), 1u);
  EXPECT_EQ(read_file(DurableUpload::partial_path(folder, "core.dump")), "second, never attached");

  write_file(folder / "core-3.dump", "third, never attached");
  ASSERT_TRUE(journal.begin("NX-1", "core.dump").ok());
  recovery = journal.recover_unattached(lists({"core.dump"}));
  ASSERT_EQ(recovery.returned.size(), 1u)
      << (recovery.problems.empty() ? "" : recovery.problems[0]);
  EXPECT_EQ(recovery.returned[0], "NX-1/core-3.dump -> .partial/core-3.dump");
  EXPECT_EQ(read_file(DurableUpload::partial_path(folder, "core-3.dump")), "third, never attached");
}

TEST(AttachJournal, ATicketThatCannotBeLookedUpKeepsItsNoteForTheNextStart) {
  TempDir root;
  fs::create_directories(root / "NX-1");
  write_file(root / "NX-1" / "core.dump", "bytes");
  AttachJournal journal(root.path());
  ASSERT_TRUE(journal.begin("NX-1", "core.dump").ok());
  const auto recovery = journal.recover_unattached(
      [](const std::string&) -> std::optional<std::set<std::string>> { return std::nullopt; });
  EXPECT_TRUE(recovery.returned.empty());
  ASSERT_EQ(recovery.problems.size(), 1u);
  EXPECT_NE(recovery.problems[0].find("NX-1"), std::string::npos);
  EXPECT_TRUE(fs::exists(root / "NX-1" / "core.dump"));
  EXPECT_EQ(notes_in(root.path()), 1u);
}

// A note that is not one (damaged, or pointing outside the uploads) is dropped, and
// nothing outside the ticket's folder is touched.
TEST(AttachJournal, ANoteThatIsNotOneIsDropped) {
  TempDir root;
  fs::create_directories(root / ".attaching");
  write_file(root / ".attaching" / "garbage", "only one line");
  write_file(root / ".attaching" / "escape", "../outside\ncore.dump\n");
  write_file(root / ".attaching" / "cut-short.tmp", "NX-1\n");  // begin() never returned
  fs::create_directories(root / "outside");
  write_file(root / "outside" / "core.dump", "not ours");
  AttachJournal journal(root.path());
  const auto recovery = journal.recover_unattached(lists({}));
  EXPECT_TRUE(recovery.returned.empty());
  EXPECT_EQ(recovery.problems.size(), 2u);
  EXPECT_EQ(notes_in(root.path()), 0u);
  EXPECT_EQ(read_file(root / "outside" / "core.dump"), "not ours");
}

}  // namespace
}  // namespace supportgw::ftp
