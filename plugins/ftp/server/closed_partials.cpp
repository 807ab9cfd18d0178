#include "closed_partials.hpp"

#include "durable_upload.hpp"

namespace supportgw::ftp {

namespace fs = std::filesystem;

std::string upload_claim_key(const std::string& reference, const std::string& name) {
  return reference + "/" + name;
}

PartialSweep sweep_closed_partials(
    const fs::path& uploads_root,
    const std::function<std::optional<bool>(const std::string& reference)>& is_closed,
    std::mutex& claims_mutex, const std::set<std::string>& claimed_uploads) {
  PartialSweep sweep;
  std::error_code error;
  for (fs::directory_iterator folder(uploads_root, error), end; !error && folder != end;
       folder.increment(error)) {
    const std::string reference = folder->path().filename().string();
    if (reference.starts_with('.') || !folder->is_directory(error)) continue;
    const fs::path partials = DurableUpload::partial_folder(folder->path());
    std::error_code listed;
    fs::directory_iterator first(partials, listed);
    if (listed || first == fs::directory_iterator()) continue;  // none: nothing to ask
    const auto closed = is_closed(reference);
    if (!closed || !*closed) continue;
    for (fs::directory_iterator partial = first, none; partial != none; partial.increment(listed)) {
      if (listed) break;
      const std::string name = partial->path().filename().string();
      std::error_code status;
      if (!partial->is_regular_file(status)) continue;
      const std::uint64_t size = partial->file_size(status);
      std::lock_guard lock(claims_mutex);
      const std::string key = upload_claim_key(reference, name);
      if (claimed_uploads.contains(key)) continue;
      std::error_code removed;
      if (fs::remove(partial->path(), removed)) {
        sweep.bytes += status ? 0 : size;
        sweep.removed_names.push_back(key);
      } else if (removed) {
        sweep.problems.push_back(partial->path().string() + ": " + removed.message());
      }
    }
    if (listed) sweep.problems.push_back(partials.string() + ": " + listed.message());
  }
  if (error && error != std::errc::no_such_file_or_directory) {
    sweep.problems.push_back(uploads_root.string() + ": " + error.message());
  }
  return sweep;
}

}  // namespace supportgw::ftp
