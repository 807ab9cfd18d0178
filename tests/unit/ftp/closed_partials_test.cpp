// Which partials the sweep of closed tickets removes, and which it leaves.
#include "closed_partials.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "tests/support/temp_dir.hpp"

namespace supportgw::ftp {
namespace {

namespace fs = std::filesystem;

void write_partial(const fs::path& root, const std::string& reference, const std::string& name,
                   std::size_t size) {
  fs::create_directories(root / reference / ".partial");
  std::ofstream(root / reference / ".partial" / name, std::ios::binary) << std::string(size, 'x');
}

struct Lookups {
  std::map<std::string, std::optional<bool>> closed;  // missing: not found
  std::vector<std::string> asked;
  std::optional<bool> operator()(const std::string& reference) {
    asked.push_back(reference);
    const auto found = closed.find(reference);
    return found == closed.end() ? std::nullopt : found->second;
  }
};

TEST(ClosedPartials, RemovesTheUnclaimedPartialsOfClosedTicketsOnly) {
  testing::TempDir dir;
  const fs::path root = dir / "uploads";
  write_partial(root, "NX-1", "core.dump", 1000);
  write_partial(root, "NX-1", "busy.log", 10);
  write_partial(root, "NX-2", "open.dump", 5);
  write_partial(root, "NX-3", "unknown.dump", 5);
  write_partial(root, "NX-4", "lookup-failed.dump", 5);
  fs::create_directories(root / "NX-5");  // finished files only: nothing to ask
  std::ofstream(root / "NX-5" / "done.txt") << "done";
  Lookups lookups;
  lookups.closed = {{"NX-1", true}, {"NX-2", false}, {"NX-4", std::nullopt}, {"NX-5", true}};
  std::mutex claims_mutex;
  const std::set<std::string> claimed{"NX-1/busy.log"};

  const PartialSweep sweep = sweep_closed_partials(
      root, [&](const std::string& reference) { return lookups(reference); }, claims_mutex,
      claimed);

  EXPECT_EQ(sweep.removed_names.size(), 1u);
  EXPECT_EQ(sweep.bytes, 1000u);
  EXPECT_EQ(sweep.removed_names, std::vector<std::string>{"NX-1/core.dump"});
  EXPECT_TRUE(sweep.problems.empty());
  EXPECT_FALSE(fs::exists(root / "NX-1" / ".partial" / "core.dump"));
  EXPECT_TRUE(fs::exists(root / "NX-1" / ".partial" / "busy.log"));  // being written
  EXPECT_TRUE(fs::exists(root / "NX-2" / ".partial" / "open.dump"));
  EXPECT_TRUE(fs::exists(root / "NX-3" / ".partial" / "unknown.dump"));
  EXPECT_TRUE(fs::exists(root / "NX-4" / ".partial" / "lookup-failed.dump"));
  EXPECT_TRUE(fs::exists(root / "NX-5" / "done.txt"));  // finished files are retention's
  std::sort(lookups.asked.begin(), lookups.asked.end());
  EXPECT_EQ(lookups.asked, (std::vector<std::string>{"NX-1", "NX-2", "NX-3", "NX-4"}));
}

TEST(ClosedPartials, AMissingUploadsFolderIsNoProblem) {
  testing::TempDir dir;
  std::mutex claims_mutex;
  const auto sweep = sweep_closed_partials(
      dir / "never-made", [](const std::string&) { return std::optional<bool>(true); },
      claims_mutex, {});
  EXPECT_TRUE(sweep.removed_names.empty());
  EXPECT_TRUE(sweep.problems.empty());
}

}  // namespace
}  // namespace supportgw::ftp
