#pragma once
// The drop box's layout, as plain logic on names (no libssh2):
//
//   <root>/<reference>/<file>              a customer's file for ticket <reference>
//   <root>/<reference>/<file>.done         optional marker: <file> is complete, take it now
//                                          (removed with <file>, or after a day without it)
//   <root>/processed/<reference>/<file>    pulled files, with after = "move"
//   <root>/unmatched/<name>                folders of no known ticket, and refused files
//                                          (unmatched/<reference>/<file>)
// Names starting with '.' are the uploader's temporary files and are left alone.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace supportgw::ftp {

inline constexpr std::string_view kProcessedFolder = "processed";
inline constexpr std::string_view kUnmatchedFolder = "unmatched";
inline constexpr std::string_view kDoneSuffix = ".done";

// One entry of a remote folder listing.
struct RemoteEntry {
  std::string name;
  bool directory = false;
  bool regular = false;
  std::uint64_t size = 0;
  std::int64_t mtime = 0;  // seconds since the epoch
};

// A file of a reference folder that may be pulled.
struct RemoteFile {
  std::string reference;
  std::string name;
  std::string path;  // <root>/<reference>/<name>
  std::uint64_t size = 0;
  std::int64_t mtime = 0;
  bool marked_done = false;  // <name>.done exists beside it
};

// "a" + "/" + "b", without doubling a '/' (root may be "/").
std::string remote_join(std::string_view folder, std::string_view name);

// Whether a folder under <root> is one the puller keeps for itself ("processed",
// "unmatched"), or is hidden, "." or "..": never taken for a reference.
bool is_reserved_folder(std::string_view name);

// The file a marker "<file>.done" stands for, or nullopt when `name` is no marker.
std::optional<std::string> done_marker_target(std::string_view name);

// The files of one reference folder that may be pulled: regular, not hidden, not
// markers, with marked_done set where a marker exists.
std::vector<RemoteFile> pullable_files(std::string_view root, std::string_view reference,
                                       const std::vector<RemoteEntry>& entries);

// A marker "<file>.done" left alone this long without its <file> beside it is stale: the
// file never came, or went another way. A day is far beyond a marker sent before its
// file, and beyond any clock skew between the box and us.
inline constexpr std::int64_t kStaleMarkerSeconds = 24 * 60 * 60;

// The names of the stale markers among `entries` (a reference folder's listing) at
// `now` (seconds since the epoch), which the puller removes.
std::vector<std::string> stale_markers(const std::vector<RemoteEntry>& entries, std::int64_t now);

// A stable id of one remote file version, for attach()'s idempotency: the same file at
// the same size and time pulled twice (a crash between attach and delete) attaches once.
std::string origin_id_of(std::string_view host, std::uint16_t port, const RemoteFile& file);

}  // namespace supportgw::ftp
