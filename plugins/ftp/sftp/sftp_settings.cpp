#include "sftp_settings.hpp"

#include <filesystem>

namespace supportgw::ftp {
namespace {

std::string required_string(const sdk::Settings& settings, std::string_view key) {
  std::string value = settings.string(key);
  if (value.empty()) throw settings.error(key, "must not be empty");
  return value;
}

// A file the puller reads at every connection: checked now, so a typo fails the start
// rather than every poll.
std::string readable_file(const sdk::Settings& settings, std::string_view key) {
  std::string path = required_string(settings, key);
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw settings.error(key, "no such file: " + path);
  }
  return path;
}

}  // namespace

SftpSettings read_sftp_settings(const sdk::Settings& settings) {
  settings.refuse_unknown({"host", "port", "user", "private_key", "public_key", "passphrase",
                           "known_hosts", "root", "poll_interval", "after", "max_file_size",
                           "timeout"});
  SftpSettings out;
  out.host = required_string(settings, "host");
  const std::int64_t port = settings.integer_or("port", 22);
  if (port < 1 || port > 65535) throw settings.error("port", "must be 1 to 65535");
  out.port = static_cast<std::uint16_t>(port);
  out.user = required_string(settings, "user");
  out.private_key = readable_file(settings, "private_key");
  if (settings.has("public_key")) out.public_key = readable_file(settings, "public_key");
  out.passphrase = settings.string_or("passphrase", "");
  out.known_hosts = readable_file(settings, "known_hosts");
  out.root = required_string(settings, "root");
  while (out.root.size() > 1 && out.root.back() == '/') out.root.pop_back();
  out.poll_interval = settings.duration_or("poll_interval", out.poll_interval);
  if (out.poll_interval < std::chrono::milliseconds(100) ||
      out.poll_interval > std::chrono::hours(24)) {
    throw settings.error("poll_interval", "must be 100ms to 24h");
  }
  const std::string after = settings.string_or("after", "delete");
  if (after == "delete") {
    out.after = AfterPull::remove;
  } else if (after == "move") {
    out.after = AfterPull::move;
  } else {
    throw settings.error("after", "must be \"delete\" or \"move\"");
  }
  out.max_file_size = settings.size_or("max_file_size", out.max_file_size);
  if (out.max_file_size == 0) throw settings.error("max_file_size", "must be above 0");
  out.timeout = settings.duration_or("timeout", out.timeout);
  if (out.timeout < std::chrono::seconds(1) || out.timeout > std::chrono::hours(1)) {
    throw settings.error("timeout", "must be 1s to 1h");
  }
  return out;
}

}  // namespace supportgw::ftp
