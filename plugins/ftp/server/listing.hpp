#pragma once
// How the folder's files are shown: LIST lines in the `ls -l` form every client parses,
// MLSD/MLST facts (RFC 3659), MDTM times, and where CWD may go.

#include <chrono>
#include <string>
#include <string_view>

#include "upload_folder.hpp"

namespace supportgw::ftp {

// "-rw-r--r-- 1 ftp ftp 1048576 Dec 02 11:22 dump.bin" (a year instead of the time for
// files older than six months, as ls does). Without CRLF.
std::string list_line(const FolderEntry& entry, std::chrono::system_clock::time_point now);
// "type=file;size=1048576;modify=20261202112233; dump.bin", without CRLF.
std::string mlsx_line(const FolderEntry& entry);
// "20261202112233" in UTC (RFC 3659 time-val).
std::string ftp_time(std::chrono::system_clock::time_point time);

// Whether a CWD argument, resolved from "/" ("." and ".." stay at the root), is the root:
// the only folder there is.
bool names_root(std::string_view path);

// Whether a LIST/NLST argument is an option ("-la", as many clients send) or names the
// folder itself, rather than a file.
bool lists_folder(std::string_view argument);

}  // namespace supportgw::ftp
