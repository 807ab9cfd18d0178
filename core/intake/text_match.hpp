#pragma once
// Small text helpers intake's matchers share. Byte-wise and locale-free: only ASCII
// letters change case, so UTF-8 text ("Ausweichlösung") passes through intact.

#include <string>
#include <string_view>

namespace supportgw::intake {

// `text` with ASCII letters in lower case.
std::string ascii_lower(std::string_view text);

// True when `needle` (already lower case, non-empty) occurs in `lower_text` (already
// lower case) not glued to an ASCII letter or digit on either side: "down" is found in
// "server down!" but not in "download".
bool contains_word(std::string_view lower_text, std::string_view needle);

}  // namespace supportgw::intake
