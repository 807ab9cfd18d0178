#pragma once
// Whether a string compiles as an ECMAScript regular expression (std::regex), kept in
// its own file because <regex> is slow to compile and GCC 12 warns falsely inside it.

#include <string_view>

namespace supportgw::policy {

// False when `pattern` is not a valid ECMAScript regex or is longer than `max_length`
// (std::regex compiles recursively; a length cap keeps a hostile pattern from
// exhausting the stack).
bool is_valid_pattern(std::string_view pattern, std::size_t max_length);

}  // namespace supportgw::policy
