#include "stability_tracker.hpp"

namespace supportgw::ftp {

std::vector<RemoteFile> StabilityTracker::poll(const std::vector<RemoteFile>& seen) {
  std::vector<RemoteFile> ready;
  std::map<std::string, std::pair<std::uint64_t, std::int64_t>> now;
  for (const RemoteFile& file : seen) {
    const std::pair<std::uint64_t, std::int64_t> state{file.size, file.mtime};
    const auto before = last_.find(file.path);
    const bool stable = before != last_.end() && before->second == state;
    if (file.marked_done || stable) ready.push_back(file);
    now.emplace(file.path, state);
  }
  last_ = std::move(now);
  return ready;
}

}  // namespace supportgw::ftp
