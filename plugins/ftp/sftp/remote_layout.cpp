#include "remote_layout.hpp"

#include <set>

namespace supportgw::ftp {

std::string remote_join(std::string_view folder, std::string_view name) {
  std::string out(folder);
  if (out.empty() || out.back() != '/') out += '/';
  out += name;
  return out;
}

bool is_reserved_folder(std::string_view name) {
  return name.empty() || name.front() == '.' || name == kProcessedFolder ||
         name == kUnmatchedFolder;
}

std::optional<std::string> done_marker_target(std::string_view name) {
  if (name.size() <= kDoneSuffix.size() || !name.ends_with(kDoneSuffix)) return std::nullopt;
  return std::string(name.substr(0, name.size() - kDoneSuffix.size()));
}

std::vector<RemoteFile> pullable_files(std::string_view root, std::string_view reference,
                                       const std::vector<RemoteEntry>& entries) {
  std::set<std::string, std::less<>> markers;
  for (const RemoteEntry& entry : entries) {
    if (entry.name.starts_with('.')) continue;
    if (auto target = done_marker_target(entry.name)) markers.insert(std::move(*target));
  }
  const std::string folder = remote_join(root, reference);
  std::vector<RemoteFile> files;
  for (const RemoteEntry& entry : entries) {
    if (!entry.regular || entry.name.starts_with('.')) continue;
    // A marker is never a file of its own, even when its target is missing (the marker
    // may arrive first; it is pulled with its file).
    if (done_marker_target(entry.name)) continue;
    RemoteFile file;
    file.reference = std::string(reference);
    file.name = entry.name;
    file.path = remote_join(folder, entry.name);
    file.size = entry.size;
    file.mtime = entry.mtime;
    file.marked_done = markers.contains(entry.name);
    files.push_back(std::move(file));
  }
  return files;
}

std::vector<std::string> stale_markers(const std::vector<RemoteEntry>& entries, std::int64_t now) {
  std::set<std::string, std::less<>> names;
  for (const RemoteEntry& entry : entries) names.insert(entry.name);
  std::vector<std::string> stale;
  for (const RemoteEntry& entry : entries) {
    if (!entry.regular || entry.name.starts_with('.')) continue;
    const auto target = done_marker_target(entry.name);
    if (target && !names.contains(*target) && now - entry.mtime > kStaleMarkerSeconds) {
      stale.push_back(entry.name);
    }
  }
  return stale;
}

std::string origin_id_of(std::string_view host, std::uint16_t port, const RemoteFile& file) {
  return "sftp:" + std::string(host) + ":" + std::to_string(port) + ":" + file.path + ":" +
         std::to_string(file.size) + ":" + std::to_string(file.mtime);
}

}  // namespace supportgw::ftp
