// Broken versions of real policies — cut short, bytes flipped, lines dropped or
// repeated — end in a Policy or an InvalidArgument, never in anything else.

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "core/policy/policy_parser.hpp"
#include "core/util/error.hpp"
#include "sample_policy.hpp"

namespace supportgw::policy {
namespace {

std::string read_example(std::string_view vendor) {
  std::ifstream in(std::filesystem::path(SUPPORTGW_EXAMPLES_DIR) / vendor / "policy.toml",
                   std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Parses and reports whether the outcome was allowed; the message helps find a case.
void parse_survives(const std::string& text, const std::string& what) {
  try {
    (void)parse_policy(text, "fuzz.toml");
  } catch (const InvalidArgument&) {
    // the one way a bad file may fail
  } catch (const std::exception& error) {
    ADD_FAILURE() << what << ": threw " << typeid(error).name() << ": " << error.what();
  } catch (...) {
    ADD_FAILURE() << what << ": threw a non-standard exception";
  }
}

std::vector<std::string> corpora() {
  std::vector<std::string> texts{std::string(testing::kSamplePolicy)};
  for (std::string_view vendor : {"ne-t", "netex", "onenet", "jetnet", "netcor"}) {
    texts.push_back(read_example(vendor));
  }
  return texts;
}

TEST(PolicyFuzz, TruncatedFiles) {
  for (const std::string& text : corpora()) {
    ASSERT_FALSE(text.empty());
    const std::size_t step = std::max<std::size_t>(1, text.size() / 150);
    for (std::size_t length = 0; length < text.size(); length += step) {
      parse_survives(text.substr(0, length), "cut at " + std::to_string(length));
    }
  }
}

TEST(PolicyFuzz, MutatedBytes) {
  std::mt19937 random(20261122);  // fixed: a failure must reproduce
  static constexpr std::string_view kInteresting = "[]{}=\"',.:-#\n\\0123456789 \x01\xff";
  for (const std::string& text : corpora()) {
    for (int round = 0; round < 300; ++round) {
      std::string mutated = text;
      const int edits = 1 + static_cast<int>(random() % 4);
      for (int e = 0; e < edits && !mutated.empty(); ++e) {
        const std::size_t at = random() % mutated.size();
        const char c = kInteresting[random() % kInteresting.size()];
        switch (random() % 3) {
          case 0:
            mutated[at] = c;
            break;
          case 1:
            mutated.insert(mutated.begin() + static_cast<std::ptrdiff_t>(at), c);
            break;
          default:
            mutated.erase(at, 1 + random() % 8);
            break;
        }
      }
      parse_survives(mutated, "round " + std::to_string(round));
    }
  }
}

TEST(PolicyFuzz, DroppedAndRepeatedLines) {
  for (const std::string& text : corpora()) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      lines.push_back(line);
    }
    for (std::size_t skip = 0; skip < lines.size(); ++skip) {
      std::string dropped, repeated;
      for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i != skip) {
          dropped += lines[i] + "\n";
        }
        repeated += lines[i] + "\n";
        if (i == skip) {
          repeated += lines[i] + "\n";
        }
      }
      parse_survives(dropped, "without line " + std::to_string(skip + 1));
      parse_survives(repeated, "line " + std::to_string(skip + 1) + " twice");
    }
  }
}

TEST(PolicyFuzz, HostileShapes) {
  parse_survives(std::string(100000, '['), "many brackets");
  parse_survives("a = " + std::string(5000, '[') + std::string(5000, ']'), "deep arrays");
  parse_survives(std::string("[vendor]\nname = \"\0\"\n", 19), "a NUL");
  parse_survives(std::string(testing::kSamplePolicy) + "[vendor]\n", "table twice");
  parse_survives("\xef\xbb\xbf" + std::string(testing::kSamplePolicy), "BOM");
  parse_survives(
      testing::replaced(testing::kSamplePolicy, "\"Europe/Berlin\"", "\"../../../../etc/passwd\""),
      "path as zone");
}

}  // namespace
}  // namespace supportgw::policy
