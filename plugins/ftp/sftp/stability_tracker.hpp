#pragma once
// When a drop-box file is complete: the uploader gives no sign but stopping, so a file is
// taken once two polls in a row saw the same size and modification time, or at once
// when its "<file>.done" marker exists. Plain logic, fed one poll's listing at a time.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "remote_layout.hpp"

namespace supportgw::ftp {

class StabilityTracker {
 public:
  // One poll's pullable files (every reference folder); returns those to take now.
  // Files no longer listed are forgotten, so one that comes back starts over.
  std::vector<RemoteFile> poll(const std::vector<RemoteFile>& seen);

 private:
  std::map<std::string, std::pair<std::uint64_t, std::int64_t>> last_;  // path -> size, mtime
};

}  // namespace supportgw::ftp
