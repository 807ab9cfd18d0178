#pragma once
// Small records that must survive a crash whole (the FTP server's attach journal, the
// SFTP puller's resume origins), and the folder fsync that makes a rename or a new name
// durable. Shared so that both keep the same order: temporary file, fsync, rename over
// the target, fsync of the folder.

#include <filesystem>
#include <string_view>

#include "supportgw/sdk/status.hpp"

namespace supportgw::ftp {

// Writes `text` to `<file>.tmp`, fsyncs it, renames it over `file` and fsyncs the
// folder (made if missing). A crash leaves the old file or the new one, never half of
// one. Errors name the file and say what failed (unavailable).
sdk::Status write_file_durably(const std::filesystem::path& file, std::string_view text);

// fsync of a folder: after a rename into it or an unlink in it.
sdk::Status sync_folder(const std::filesystem::path& folder);

}  // namespace supportgw::ftp
