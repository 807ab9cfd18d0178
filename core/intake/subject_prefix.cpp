#include "core/intake/subject_prefix.hpp"

#include <array>
#include <cctype>

#include "core/intake/text_match.hpp"

namespace supportgw::intake {
namespace {

constexpr std::array<std::string_view, 18> kPrefixes = {
    "re", "fwd", "fw",  "aw",  "wg",  "sv", "vs",  "antw", "doorst",
    "tr", "rv",  "enc", "rif", "odp", "pd", "ynt", "vl",   "wtr"};

// Words that mark a contact as continuing an earlier one although it cites nothing.
constexpr std::array<std::string_view, 7> kFollowUpWords = {
    "follow-up", "follow up", "followup", "nachtrag", "nachfrage", "folgeanfrage", "ergänzung"};

// Only the start of a long text is searched: a follow-up says so early, and a huge
// body must not cost a full scan per word.
constexpr std::size_t kFollowUpTextWindow = 2'000;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim_left(std::string_view text) {
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  return text;
}

// Length of a prefix such as "Re:", "AW :", "Re[2]:", "Fwd(3):" at the start of `text`
// (already trimmed), or 0.
std::size_t prefix_length(std::string_view text) {
  std::size_t letters = 0;
  while (letters < text.size() && std::isalpha(static_cast<unsigned char>(text[letters]))) {
    ++letters;
  }
  if (letters == 0 || letters > 6) {
    return 0;
  }
  const std::string word = ascii_lower(text.substr(0, letters));
  bool known = false;
  for (std::string_view prefix : kPrefixes) {
    known = known || word == prefix;
  }
  if (!known) {
    return 0;
  }
  std::size_t at = letters;
  // A counter some clients add: "Re[2]:", "Re(2):".
  if (at < text.size() && (text[at] == '[' || text[at] == '(')) {
    const char close = text[at] == '[' ? ']' : ')';
    std::size_t digits = at + 1;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
      ++digits;
    }
    if (digits == at + 1 || digits >= text.size() || text[digits] != close) {
      return 0;
    }
    at = digits + 1;
  }
  while (at < text.size() && text[at] == ' ') {
    ++at;
  }
  if (at < text.size() && text[at] == ':') {
    return at + 1;
  }
  // Full-width colon (U+FF1A), as East Asian mail clients write it.
  if (text.substr(at, 3) == "\xEF\xBC\x9A") {
    return at + 3;
  }
  return 0;
}

// Length of a "[...]" tag at the start of `text` holding one of our references, or 0.
std::size_t our_tag_length(std::string_view text, const ReferenceFormat* format) {
  if (format == nullptr || text.empty() || text.front() != '[') {
    return 0;
  }
  const auto close = text.find(']');
  if (close == std::string_view::npos) {
    return 0;
  }
  return format->find_all(text.substr(1, close - 1)).empty() ? 0 : close + 1;
}

}  // namespace

std::string normalized_subject(std::string_view subject, const ReferenceFormat* format) {
  std::string_view rest = trim_left(subject);
  for (;;) {
    if (const auto length = prefix_length(rest); length > 0) {
      rest = trim_left(rest.substr(length));
    } else if (const auto tag = our_tag_length(rest, format); tag > 0) {
      rest = trim_left(rest.substr(tag));
    } else {
      break;
    }
  }
  std::string normalized;
  normalized.reserve(rest.size());
  bool pending_space = false;
  for (char c : rest) {
    if (is_space(c)) {
      pending_space = !normalized.empty();
      continue;
    }
    if (pending_space) {
      normalized.push_back(' ');
      pending_space = false;
    }
    normalized.push_back(c);
  }
  return ascii_lower(normalized);
}

bool has_reply_prefix(std::string_view subject) { return prefix_length(trim_left(subject)) > 0; }

bool says_follow_up(std::string_view subject, std::string_view text) {
  if (has_reply_prefix(subject)) {
    return true;
  }
  const std::string lower_subject = ascii_lower(subject);
  const std::string lower_text = ascii_lower(text.substr(0, kFollowUpTextWindow));
  for (std::string_view word : kFollowUpWords) {
    if (contains_word(lower_subject, word) || contains_word(lower_text, word)) {
      return true;
    }
  }
  return false;
}

}  // namespace supportgw::intake
