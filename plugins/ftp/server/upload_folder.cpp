#include "upload_folder.hpp"

#include <algorithm>

#include "durable_upload.hpp"

namespace supportgw::ftp {
namespace {

namespace fs = std::filesystem;

std::optional<FolderEntry> entry_of(const fs::directory_entry& item) {
  std::error_code error;
  // symlink_status: a link planted in the folder is not a file of the customer's.
  if (!fs::is_regular_file(item.symlink_status(error)) || error) return std::nullopt;
  const std::string name = item.path().filename().string();
  if (name.starts_with('.')) return std::nullopt;
  const auto size = item.file_size(error);
  if (error) return std::nullopt;
  const auto written = item.last_write_time(error);
  if (error) return std::nullopt;
  return FolderEntry{name, size,
                     std::chrono::time_point_cast<std::chrono::system_clock::duration>(
                         std::chrono::file_clock::to_sys(written))};
}

}  // namespace

std::vector<FolderEntry> finished_files(const fs::path& dir) {
  std::vector<FolderEntry> entries;
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    if (auto entry = entry_of(*it)) entries.push_back(std::move(*entry));
  }
  std::sort(entries.begin(), entries.end(),
            [](const FolderEntry& a, const FolderEntry& b) { return a.name < b.name; });
  return entries;
}

std::optional<FolderEntry> finished_file(const fs::path& dir, const std::string& name) {
  if (name.empty() || name.starts_with('.') || name.find('/') != std::string::npos) {
    return std::nullopt;
  }
  std::error_code error;
  const fs::directory_entry item(dir / name, error);
  if (error) return std::nullopt;
  return entry_of(item);
}

std::optional<std::uint64_t> partial_size(const fs::path& dir, const std::string& name) {
  std::error_code error;
  const auto path = DurableUpload::partial_path(dir, name);
  if (!fs::is_regular_file(fs::symlink_status(path, error)) || error) return std::nullopt;
  const auto size = fs::file_size(path, error);
  if (error) return std::nullopt;
  return size;
}

std::uint64_t used_bytes(const fs::path& dir, const std::string& except_partial) {
  std::uint64_t total = 0;
  for (const auto& entry : finished_files(dir)) total += entry.size;
  std::error_code error;
  const fs::path partials = DurableUpload::partial_path(dir, "x").parent_path();
  for (fs::directory_iterator it(partials, error), end; !error && it != end; it.increment(error)) {
    if (!except_partial.empty() && it->path().filename() == except_partial) continue;
    std::error_code size_error;
    if (!it->is_regular_file(size_error)) continue;
    const auto size = it->file_size(size_error);
    if (!size_error) total += size;
  }
  return total;
}

}  // namespace supportgw::ftp
