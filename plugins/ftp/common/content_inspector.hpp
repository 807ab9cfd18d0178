#pragma once
// What an uploaded file is, as a note for the ticket's history: its MIME type (file(1),
// libmagic in a process of its own) and, for archives (zip, tar, gz, xz, zst...), the
// entries it holds (libarchive), capped.
// Reads the file: call it off the reply's path (after the 226), never before.

#include <cstddef>
#include <filesystem>
#include <string>

namespace supportgw::ftp {

constexpr std::size_t kMaxListedEntries = 200;

// Never fails: an unreadable file or archive is described as such.
std::string describe(const std::filesystem::path& file,
                     std::size_t max_entries = kMaxListedEntries);

}  // namespace supportgw::ftp
