#pragma once
// A ticket's upload folder as the customer sees it: finished files only (what LIST, NLST,
// MLSD, MLST, MDTM and SIZE show), plus the partials DurableUpload keeps in
// `.partial/` for a resume, and the bytes all of them take (for the ticket quota).
// Plain std::filesystem; errors read as "no such file" or an empty folder, since the
// folder is made on first upload and may not exist yet.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace supportgw::ftp {

struct FolderEntry {
  std::string name;
  std::uint64_t size = 0;
  std::chrono::system_clock::time_point modified{};
};

// Regular files not starting with '.', sorted by name.
std::vector<FolderEntry> finished_files(const std::filesystem::path& dir);
std::optional<FolderEntry> finished_file(const std::filesystem::path& dir, const std::string& name);
// Bytes received so far for an unfinished upload of `name`.
std::optional<std::uint64_t> partial_size(const std::filesystem::path& dir,
                                          const std::string& name);
// All bytes the folder holds: finished files and partials, except the partial of
// `except_partial` (the upload being counted separately), if given.
std::uint64_t used_bytes(const std::filesystem::path& dir, const std::string& except_partial = {});

}  // namespace supportgw::ftp
