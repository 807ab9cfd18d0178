#include "partial_origins.hpp"

#include <fstream>
#include <sstream>

#include "durable_file.hpp"
#include "sha256_hex.hpp"

namespace supportgw::ftp {
namespace {

namespace fs = std::filesystem;

// Longer than any origin id (paths are capped by the box, and origin ids over 900 bytes
// are hashed before use); a record longer than this is not ours.
constexpr std::size_t kMaxRecord = 64 * 1024;

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
  const sdk::Status written = write_file_durably(path_of(key), origin);
  if (!written.ok()) error = written.message();
  return written.ok();
}

void PartialOrigins::forget(const std::string& key) {
  std::error_code ignored;
  fs::remove(path_of(key), ignored);
}

}  // namespace supportgw::ftp
