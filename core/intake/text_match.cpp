#include "core/intake/text_match.hpp"

namespace supportgw::intake {
namespace {

bool is_word_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

std::string ascii_lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return lower;
}

bool contains_word(std::string_view lower_text, std::string_view needle) {
  if (needle.empty()) {
    return false;
  }
  for (auto at = lower_text.find(needle); at != std::string_view::npos;
       at = lower_text.find(needle, at + 1)) {
    const auto end = at + needle.size();
    // Only a boundary where the keyword itself has a word character there: "e-mail"
    // style keywords that start or end with punctuation match anywhere.
    const bool left_ok =
        at == 0 || !is_word_byte(needle.front()) || !is_word_byte(lower_text[at - 1]);
    const bool right_ok =
        end == lower_text.size() || !is_word_byte(needle.back()) || !is_word_byte(lower_text[end]);
    if (left_ok && right_ok) {
      return true;
    }
  }
  return false;
}

}  // namespace supportgw::intake
