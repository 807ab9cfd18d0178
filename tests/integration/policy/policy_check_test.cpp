// `supportgw policy check` run as a vendor runs it: the built program on the five seed
// deployments and on a broken file.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace supportgw {
namespace {

testing::ProgramResult run_check(const std::vector<std::string>& files) {
  std::vector<std::string> argv{SUPPORTGW_BINARY, "policy", "check"};
  argv.insert(argv.end(), files.begin(), files.end());
  return testing::run_program(argv);
}

std::string example(const char* vendor) {
  return std::string(SUPPORTGW_EXAMPLES_DIR) + "/" + vendor + "/policy.toml";
}

TEST(PolicyCheck, AllFiveExamplesPass) {
  const std::vector<std::string> files{example("ne-t"), example("netex"), example("onenet"),
                                       example("jetnet"), example("netcor")};
  const testing::ProgramResult run = run_check(files);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(run.err, "");
  for (const std::string& file : files) {
    EXPECT_NE(run.out.find(file + ": ok: "), std::string::npos) << run.out;
  }
  EXPECT_NE(run.out.find("NETCOR (Europe/Berlin, de); 4 severities [1 Kritisch, 2 Hoch, "
                         "3 Mittel, 4 Niedrig]"),
            std::string::npos)
      << run.out;
}

TEST(PolicyCheck, StopsAtTheFirstBadFileWithItsLocation) {
  testing::TempDir dir;
  // A typo on line 7, column 1 of an otherwise good file.
  std::ifstream in(example("netcor"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = text.find("reference_format");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 16, "reference_fromat");
  const std::string broken = (dir / "broken.toml").string();
  std::ofstream(broken) << text;

  const std::size_t line = 1 + static_cast<std::size_t>(std::count(
                                   text.begin(), text.begin() + static_cast<long>(at), '\n'));
  const testing::ProgramResult run = run_check({example("jetnet"), broken, example("onenet")});
  EXPECT_EQ(run.exit_code, 4) << run.out << run.err;
  EXPECT_NE(run.out.find(example("jetnet") + ": ok: "), std::string::npos) << run.out;
  EXPECT_NE(run.err.find("supportgw: " + broken + ":" + std::to_string(line) +
                         ":1: unknown key 'reference_fromat' in [vendor]; did you mean "
                         "'reference_format'?"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.out.find(example("onenet")), std::string::npos) << run.out;
}

TEST(PolicyCheck, MissingFileAndNoFile) {
  const testing::ProgramResult missing = run_check({"/nonexistent/policy.toml"});
  EXPECT_EQ(missing.exit_code, 4) << missing.err;
  EXPECT_NE(missing.err.find("/nonexistent/policy.toml: cannot read"), std::string::npos)
      << missing.err;
  const testing::ProgramResult none = run_check({});
  EXPECT_EQ(none.exit_code, 2) << none.err;
}

}  // namespace
}  // namespace supportgw
