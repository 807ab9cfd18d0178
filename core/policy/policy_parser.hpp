#pragma once
// Reading policy.toml. The only door into a Policy: everything the file says is checked
// here (types, required keys, unknown keys, value ranges, cross references), so a bad
// file never reaches the daemon.
//
// Failure: the first problem found is thrown as PolicyError ("file:line:column: what was
// expected"); unreadable files throw InvalidArgument naming the path. Any input, however
// broken, ends in a Policy or one of these exceptions — never another exception, never a
// crash. There are no silent defaults for what the vendor must decide; the few optional
// keys have the defaults docs/policy.md gives.
//
// Thread safety: both functions are pure apart from reading the file and the system tz
// database; they may run concurrently.

#include <filesystem>
#include <string_view>

#include "core/policy/policy.hpp"

namespace supportgw::policy {

// Reads and checks `path`; messages name the path as given.
Policy load_policy(const std::filesystem::path& path);

// Checks `text`; messages name `source_name` (a file name, or "<test>").
Policy parse_policy(std::string_view text, std::string_view source_name);

}  // namespace supportgw::policy
