// What LIST, MLSD, MLST and MDTM show of a ticket's folder, and where CWD may go.
#include "listing.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "durable_upload.hpp"
#include "tests/support/temp_dir.hpp"
#include "upload_folder.hpp"

namespace supportgw::ftp {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;

std::chrono::system_clock::time_point at(int y, unsigned m, unsigned d, int h, int min, int s) {
  return sys_days(std::chrono::year(y) / m / d) + std::chrono::hours(h) +
         std::chrono::minutes(min) + std::chrono::seconds(s);
}

TEST(Listing, ListLineOfARecentFileShowsTheTime) {
  const FolderEntry entry{"core.dump", 1048576, at(2026, 12, 2, 11, 22, 33)};
  EXPECT_EQ(list_line(entry, at(2026, 12, 2, 12, 0, 0)),
            "-rw-r--r-- 1 ftp ftp 1048576 Dec 02 11:22 core.dump");
}

TEST(Listing, ListLineOfAnOldFileShowsTheYear) {
  const FolderEntry entry{"old log.txt", 7, at(2025, 3, 9, 8, 0, 0)};
  EXPECT_EQ(list_line(entry, at(2026, 12, 2, 12, 0, 0)),
            "-rw-r--r-- 1 ftp ftp 7 Mar 09  2025 old log.txt");
}

TEST(Listing, MlsxFactsAndFtpTime) {
  const FolderEntry entry{"a.bin", 42, at(2026, 1, 5, 3, 4, 5)};
  EXPECT_EQ(mlsx_line(entry), "type=file;size=42;modify=20260105030405; a.bin");
  EXPECT_EQ(ftp_time(at(1999, 12, 31, 23, 59, 59)), "19991231235959");
}

TEST(Listing, OnlyTheRootIsAFolder) {
  EXPECT_TRUE(names_root("/"));
  EXPECT_TRUE(names_root(""));
  EXPECT_TRUE(names_root("."));
  EXPECT_TRUE(names_root(".."));
  EXPECT_TRUE(names_root("/../.."));
  EXPECT_TRUE(names_root("./"));
  EXPECT_FALSE(names_root("/etc"));
  EXPECT_FALSE(names_root("../etc"));
  EXPECT_FALSE(names_root("sub"));
  EXPECT_FALSE(names_root("sub/.."));  // there is no "sub" to go through
  EXPECT_TRUE(lists_folder("-la"));
  EXPECT_TRUE(lists_folder(""));
  EXPECT_FALSE(lists_folder("core.dump"));
}

void write(const std::filesystem::path& file, std::size_t bytes) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << std::string(bytes, 'x');
}

TEST(UploadFolder, ShowsFinishedFilesOnlyAndCountsPartials) {
  testing::TempDir dir;
  const auto folder = dir / "SR-1";
  EXPECT_TRUE(finished_files(folder).empty());  // not made yet
  EXPECT_EQ(used_bytes(folder), 0u);
  write(folder / "b.log", 10);
  write(folder / "a.dump", 20);
  write(folder / ".hidden", 5);
  write(DurableUpload::partial_path(folder, "big.bin"), 100);
  write(DurableUpload::partial_path(folder, "other.bin"), 1000);
  std::filesystem::create_symlink("/etc/passwd", folder / "link");
  std::filesystem::create_directory(folder / "sub");

  const auto files = finished_files(folder);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].name, "a.dump");
  EXPECT_EQ(files[0].size, 20u);
  EXPECT_EQ(files[1].name, "b.log");
  EXPECT_TRUE(finished_file(folder, "b.log"));
  EXPECT_FALSE(finished_file(folder, "big.bin"));
  EXPECT_FALSE(finished_file(folder, "link"));
  EXPECT_FALSE(finished_file(folder, ".hidden"));
  EXPECT_FALSE(finished_file(folder, "../SR-1/b.log"));
  EXPECT_EQ(partial_size(folder, "big.bin"), 100u);
  EXPECT_FALSE(partial_size(folder, "a.dump"));
  EXPECT_EQ(used_bytes(folder), 10u + 20u + 5u + 100u + 1000u - 5u);
  EXPECT_EQ(used_bytes(folder, "big.bin"), 10u + 20u + 1000u);
}

}  // namespace
}  // namespace supportgw::ftp
