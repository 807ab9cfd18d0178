// The FTP control connection's line reader and command parser, fed hostile bytes.
#include "command_line.hpp"

#include <gtest/gtest.h>

namespace supportgw::ftp {
namespace {

std::vector<std::string> lines_of(CommandLineReader& reader, std::string_view bytes) {
  std::vector<std::string> lines;
  while (!bytes.empty()) {
    bytes.remove_prefix(reader.feed(bytes));
    if (reader.overflowed()) break;
    while (auto line = reader.take_line()) lines.push_back(*line);
  }
  return lines;
}

TEST(CommandLineReader, SplitsCrlfAndBareLfLines) {
  CommandLineReader reader(512);
  EXPECT_EQ(lines_of(reader, "USER SR-1\r\nPASS x\nNOOP\r\n"),
            (std::vector<std::string>{"USER SR-1", "PASS x", "NOOP"}));
}

TEST(CommandLineReader, JoinsALineSplitAcrossReads) {
  CommandLineReader reader(512);
  EXPECT_TRUE(lines_of(reader, "ST").empty());
  EXPECT_TRUE(lines_of(reader, "OR a b.txt\r").empty());
  EXPECT_EQ(lines_of(reader, "\n"), std::vector<std::string>{"STOR a b.txt"});
}

TEST(CommandLineReader, FeedStopsAtTheEndOfALine) {
  CommandLineReader reader(512);
  EXPECT_EQ(reader.feed("NOOP\r\nQUIT\r\n"), 6u);
  EXPECT_EQ(reader.take_line(), "NOOP");
  EXPECT_FALSE(reader.take_line());
}

TEST(CommandLineReader, AcceptsALineOfExactlyTheLimit) {
  CommandLineReader reader(512);
  const std::string line(510, 'a');
  EXPECT_EQ(lines_of(reader, line + "\r\n"), std::vector<std::string>{line});
  EXPECT_FALSE(reader.overflowed());
}

TEST(CommandLineReader, AnEndlessLineOverflowsWithoutGrowing) {
  CommandLineReader reader(512);
  const std::string flood(100'000, 'x');
  const std::size_t taken = reader.feed(flood);
  EXPECT_TRUE(reader.overflowed());
  EXPECT_LE(taken, 512u);  // stopped reading at the limit
  EXPECT_FALSE(reader.take_line());
}

TEST(CommandLineReader, OneByteOverTheLimitOverflows) {
  CommandLineReader reader(512);
  lines_of(reader, std::string(511, 'a') + "\r\n");
  EXPECT_TRUE(reader.overflowed());
}

TEST(CommandLineReader, DropsTelnetCommands) {
  CommandLineReader reader(512);
  // IAC IP, IAC DM (what clients send before ABOR), IAC WILL <option>, IAC IAC = 0xff.
  const std::string bytes =
      "\xff\xf4\xff\xf2"
      "AB\xff\xfb\x01OR\r\nX\xff\xffY\r\n";
  EXPECT_EQ(lines_of(reader, bytes), (std::vector<std::string>{"ABOR", "X\xffY"}));
}

TEST(ParseCommand, UppercasesTheVerbAndKeepsTheArgument) {
  const auto command = parse_command("stor  my file.txt ");
  ASSERT_TRUE(command);
  EXPECT_EQ(command->verb, "STOR");
  EXPECT_EQ(command->argument, " my file.txt ");
  const auto bare = parse_command("NOOP");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->argument, "");
}

TEST(ParseCommand, RefusesWhatIsNoCommand) {
  EXPECT_FALSE(parse_command(""));
  EXPECT_FALSE(parse_command(" USER x"));
  EXPECT_FALSE(parse_command("US"));
  EXPECT_FALSE(parse_command("USERS x"));
  EXPECT_FALSE(parse_command("US3R x"));
  EXPECT_FALSE(parse_command("GET/ HTTP/1.1"));
  EXPECT_FALSE(parse_command(std::string_view("STOR a\0b", 8)));
  EXPECT_FALSE(parse_command("\xc3\xa9t\xc3\xa9"));
}

}  // namespace
}  // namespace supportgw::ftp
