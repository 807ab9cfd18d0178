// The sftp channel's plain logic: the drop box's layout (reference folders, markers,
// hidden files), when a file is complete (StabilityTracker), origin ids and settings.
#include <gtest/gtest.h>

#include <fstream>

#include "partial_origins.hpp"
#include "remote_layout.hpp"
#include "sftp_settings.hpp"
#include "stability_tracker.hpp"
#include "tests/support/temp_dir.hpp"

namespace supportgw::ftp {
namespace {

RemoteEntry file(std::string name, std::uint64_t size, std::int64_t mtime = 100) {
  RemoteEntry entry;
  entry.name = std::move(name);
  entry.regular = true;
  entry.size = size;
  entry.mtime = mtime;
  return entry;
}

RemoteEntry folder(std::string name) {
  RemoteEntry entry;
  entry.name = std::move(name);
  entry.directory = true;
  return entry;
}

TEST(RemoteLayout, JoinsPaths) {
  EXPECT_EQ(remote_join("/srv/drop", "SR-1"), "/srv/drop/SR-1");
  EXPECT_EQ(remote_join("/srv/drop/", "SR-1"), "/srv/drop/SR-1");
  EXPECT_EQ(remote_join("/", "SR-1"), "/SR-1");
  EXPECT_EQ(remote_join("drop", "a"), "drop/a");
}

TEST(RemoteLayout, ReservedFolders) {
  EXPECT_TRUE(is_reserved_folder("processed"));
  EXPECT_TRUE(is_reserved_folder("unmatched"));
  EXPECT_TRUE(is_reserved_folder(".ssh"));
  EXPECT_TRUE(is_reserved_folder(""));
  EXPECT_FALSE(is_reserved_folder("SR-2026-000001"));
}

TEST(RemoteLayout, DoneMarkers) {
  EXPECT_EQ(done_marker_target("core.dump.done"), "core.dump");
  EXPECT_FALSE(done_marker_target(".done"));
  EXPECT_FALSE(done_marker_target("core.dump"));
  EXPECT_FALSE(done_marker_target("done"));
}

TEST(RemoteLayout, PullableFilesSkipHiddenFoldersAndMarkers) {
  const auto files =
      pullable_files("/drop", "SR-1",
                     {file("core.dump", 10), file("core.dump.done", 0), file(".part", 5),
                      folder("sub"), file("log.txt", 3), file("orphan.done", 0)});
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].name, "core.dump");
  EXPECT_EQ(files[0].path, "/drop/SR-1/core.dump");
  EXPECT_EQ(files[0].reference, "SR-1");
  EXPECT_TRUE(files[0].marked_done);
  EXPECT_EQ(files[1].name, "log.txt");
  EXPECT_FALSE(files[1].marked_done);
}

TEST(RemoteLayout, AMarkerADayWithoutItsFileIsStale) {
  const std::int64_t now = 10 * kStaleMarkerSeconds;
  const std::int64_t day_ago = now - kStaleMarkerSeconds - 1;
  const auto stale = stale_markers(
      {file("core.dump", 10, day_ago), file("core.dump.done", 0, day_ago),  // has its file
       file("gone.done", 0, day_ago),                                       // stale
       file("early.done", 0, now - 60),   // sent before its file, maybe
       file(".hidden.done", 0, day_ago),  // the uploader's own
       folder("dir.done")},
      now);
  EXPECT_EQ(stale, std::vector<std::string>{"gone.done"});
}

TEST(RemoteLayout, AHiddenMarkerMarksNothing) {
  const auto files = pullable_files("/drop", "SR-1", {file("a", 1), file(".a.done", 0)});
  ASSERT_EQ(files.size(), 1u);
  EXPECT_FALSE(files[0].marked_done);
}

TEST(RemoteLayout, OriginIdNamesTheFileVersion) {
  RemoteFile one;
  one.path = "/drop/SR-1/a";
  one.size = 5;
  one.mtime = 7;
  RemoteFile grown = one;
  grown.size = 6;
  EXPECT_EQ(origin_id_of("box", 22, one), "sftp:box:22:/drop/SR-1/a:5:7");
  EXPECT_NE(origin_id_of("box", 22, one), origin_id_of("box", 22, grown));
  EXPECT_NE(origin_id_of("box", 22, one), origin_id_of("box", 2222, one));
}

RemoteFile seen(std::string path, std::uint64_t size, std::int64_t mtime = 1, bool done = false) {
  RemoteFile out;
  out.path = std::move(path);
  out.size = size;
  out.mtime = mtime;
  out.marked_done = done;
  return out;
}

std::vector<std::string> paths(const std::vector<RemoteFile>& files) {
  std::vector<std::string> out;
  for (const auto& item : files) out.push_back(item.path);
  return out;
}

TEST(StabilityTracker, TakesAFileSeenTwiceAtTheSameSize) {
  StabilityTracker tracker;
  EXPECT_TRUE(tracker.poll({seen("/a", 10)}).empty());
  EXPECT_EQ(paths(tracker.poll({seen("/a", 10)})), std::vector<std::string>{"/a"});
}

TEST(StabilityTracker, AGrowingFileWaits) {
  StabilityTracker tracker;
  EXPECT_TRUE(tracker.poll({seen("/a", 10)}).empty());
  EXPECT_TRUE(tracker.poll({seen("/a", 20)}).empty());
  EXPECT_TRUE(tracker.poll({seen("/a", 30)}).empty());
  EXPECT_EQ(tracker.poll({seen("/a", 30)}).size(), 1u);
}

TEST(StabilityTracker, ANewModificationTimeWaitsToo) {
  StabilityTracker tracker;
  tracker.poll({seen("/a", 10, 1)});
  EXPECT_TRUE(tracker.poll({seen("/a", 10, 2)}).empty());
  EXPECT_EQ(tracker.poll({seen("/a", 10, 2)}).size(), 1u);
}

TEST(StabilityTracker, AMarkerTakesAFileAtOnce) {
  StabilityTracker tracker;
  EXPECT_EQ(paths(tracker.poll({seen("/a", 10, 1, true), seen("/b", 1)})),
            std::vector<std::string>{"/a"});
}

TEST(StabilityTracker, AFileThatWentAwayStartsOver) {
  StabilityTracker tracker;
  tracker.poll({seen("/a", 10)});
  tracker.poll({});
  EXPECT_TRUE(tracker.poll({seen("/a", 10)}).empty());
  EXPECT_EQ(tracker.poll({seen("/a", 10)}).size(), 1u);
}

TEST(StabilityTracker, AFileNotYetRemovedIsTakenAgain) {
  // A pull cut short (connection dropped) leaves the file listed: the next poll retries.
  StabilityTracker tracker;
  tracker.poll({seen("/a", 10)});
  EXPECT_EQ(tracker.poll({seen("/a", 10)}).size(), 1u);
  EXPECT_EQ(tracker.poll({seen("/a", 10)}).size(), 1u);
}

sdk::SettingValue text(std::string value) {
  sdk::SettingValue item;
  item.type = sdk::SettingValue::Type::string;
  item.string = std::move(value);
  item.where = {"gateway.toml", 9, 1};
  return item;
}

sdk::Settings settings_of(std::vector<std::pair<std::string, sdk::SettingValue>> members) {
  sdk::SettingValue table;
  table.members = std::move(members);
  return sdk::Settings(std::move(table), "channel 'sftp'");
}

class SftpSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_ / "id") << "key";
    std::ofstream(dir_ / "known_hosts") << "";
  }
  std::vector<std::pair<std::string, sdk::SettingValue>> required() const {
    return {{"host", text("127.0.0.1")},
            {"user", text("drop")},
            {"private_key", text((dir_ / "id").string())},
            {"known_hosts", text((dir_ / "known_hosts").string())},
            {"root", text("/srv/drop/")}};
  }
  testing::TempDir dir_;
};

TEST_F(SftpSettingsTest, Defaults) {
  const SftpSettings settings = read_sftp_settings(settings_of(required()));
  EXPECT_EQ(settings.port, 22);
  EXPECT_EQ(settings.root, "/srv/drop");
  EXPECT_EQ(settings.after, AfterPull::remove);
  EXPECT_EQ(settings.poll_interval, std::chrono::seconds(30));
  EXPECT_EQ(settings.max_file_size, 16ULL << 30);
}

TEST_F(SftpSettingsTest, ReadsValues) {
  auto members = required();
  members.emplace_back("after", text("move"));
  members.emplace_back("poll_interval", text("2s"));
  members.emplace_back("max_file_size", text("1GiB"));
  const SftpSettings settings = read_sftp_settings(settings_of(members));
  EXPECT_EQ(settings.after, AfterPull::move);
  EXPECT_EQ(settings.poll_interval, std::chrono::seconds(2));
  EXPECT_EQ(settings.max_file_size, 1ULL << 30);
}

TEST_F(SftpSettingsTest, Refusals) {
  auto bad_after = required();
  bad_after.emplace_back("after", text("keep"));
  EXPECT_THROW(read_sftp_settings(settings_of(bad_after)), sdk::SettingsError);
  auto unknown = required();
  unknown.emplace_back("hostname", text("x"));
  EXPECT_THROW(read_sftp_settings(settings_of(unknown)), sdk::SettingsError);
  auto missing_key = required();
  missing_key[2].second = text((dir_ / "nope").string());
  EXPECT_THROW(read_sftp_settings(settings_of(missing_key)), sdk::SettingsError);
  EXPECT_THROW(read_sftp_settings(settings_of({})), sdk::SettingsError);
}

// A partial resumes only the file it was cut from: the record says which, and survives a
// new PartialOrigins (a restarted daemon).
TEST(PartialOrigins, RemembersTheFileEachPartialWasCutFrom) {
  testing::TempDir dir;
  const std::string origin = "sftp:box:22:/drop/SR-1/core.dump:1000:1700000000";
  {
    PartialOrigins origins(dir.path() / "resuming");
    EXPECT_EQ(origins.recorded("SR-1/core.dump"), "");
    std::string error;
    ASSERT_TRUE(origins.record("SR-1/core.dump", origin, error)) << error;
    EXPECT_EQ(origins.recorded("SR-1/core.dump"), origin);
    EXPECT_EQ(origins.recorded("SR-2/core.dump"), "");
  }
  PartialOrigins restarted(dir.path() / "resuming");
  EXPECT_EQ(restarted.recorded("SR-1/core.dump"), origin);
  std::string error;
  ASSERT_TRUE(restarted.record("SR-1/core.dump", origin + "-replaced", error)) << error;
  EXPECT_EQ(restarted.recorded("SR-1/core.dump"), origin + "-replaced");
  restarted.forget("SR-1/core.dump");
  EXPECT_EQ(restarted.recorded("SR-1/core.dump"), "");
  // One file per partial, no temporary left behind, names free of the key's characters.
  ASSERT_TRUE(restarted.record("SR-1/../../x", origin, error)) << error;
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "resuming")) {
    ++files;
    EXPECT_EQ(entry.path().filename().string().size(), 64u) << entry.path();
  }
  EXPECT_EQ(files, 1);
}

TEST(PartialOrigins, AFolderThatCannotBeMadeIsAnError) {
  testing::TempDir dir;
  std::ofstream(dir.path() / "taken") << "a file, not a folder";
  PartialOrigins origins(dir.path() / "taken" / "resuming");
  std::string error;
  EXPECT_FALSE(origins.record("SR-1/a", "origin", error));
  EXPECT_NE(error.find("taken"), std::string::npos) << error;
}

}  // namespace
}  // namespace supportgw::ftp
