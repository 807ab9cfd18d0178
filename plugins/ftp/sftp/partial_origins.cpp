#include "partial_origins.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "sha256_hex.hpp"

namespace supportgw::ftp {
namespace {

namespace fs = std::filesystem;

// Longer than any origin id (paths are capped by the box, and origin ids over 900 bytes
// are hashed before use); a record longer than this is not ours.
constexpr std::size_t kMaxRecord = 64 * 1024;

bool sync_path(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return false;
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced;
}

}  // namespace

PartialOrigins::PartialOrigins(fs::path folder) : folder_(std::move(folder)) {}

fs::path PartialOrigins::path_of(const std::string& key) const { return folder_ / sha256_hex(key); }

std::string PartialOrigins::recorded(const std::string& key) const {
  std::ifstream in(path_of(key), std::ios::binary);
  if (!in) return {};
  std::string text(kMaxRecord + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxRecord) return {};
  return text;
}

bool PartialOrigins::record(const std::string& key, const std::string& origin, std::string& error) {
  std::error_code made;
  fs::create_directories(folder_, made);
  if (made) {
    error = "cannot make " + folder_.string() + ": " + made.message();
    return false;
  }
  const fs::path target = path_of(key);
  const fs::path temporary = target.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << origin;
    out.close();
    if (!out) {
      error = "cannot write " + temporary.string();
      return false;
    }
  }
  if (!sync_path(temporary, O_RDONLY)) {
    error = "cannot sync " + temporary.string() + ": " + std::strerror(errno);
    return false;
  }
  std::error_code renamed;
  fs::rename(temporary, target, renamed);
  if (renamed) {
    error = "cannot rename " + temporary.string() + ": " + renamed.message();
    return false;
  }
  if (!sync_path(folder_, O_RDONLY | O_DIRECTORY)) {
    error = "cannot sync " + folder_.string() + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

void PartialOrigins::forget(const std::string& key) {
  std::error_code ignored;
  fs::remove(path_of(key), ignored);
}

}  // namespace supportgw::ftp
