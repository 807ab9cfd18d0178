#include "core/daemon/ready_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "core/daemon/logging.hpp"

namespace supportgw::daemon {

namespace {

std::string json_string(std::string_view text) { return "\"" + json_escape(text) + "\""; }

}  // namespace

std::string ready_json(const ReadyInfo& info) {
  std::string out = "{\"pid\": " + std::to_string(::getpid()) +
                    ", \"state_dir\": " + json_string(info.state_dir.string()) +
                    ", \"database\": " + json_string(info.database.string()) + ", \"channels\": {";
  bool first_channel = true;
  for (const auto& [channel, endpoints] : info.channels) {
    out += (first_channel ? "" : ", ") + json_string(channel) + ": {";
    first_channel = false;
    bool first_endpoint = true;
    for (const auto& [protocol, address] : endpoints) {
      out += (first_endpoint ? "" : ", ") + json_string(protocol) + ": " + json_string(address);
      first_endpoint = false;
    }
    out += "}";
  }
  out += "}, \"skipped\": {";
  bool first_skipped = true;
  for (const auto& [channel, reason] : info.skipped) {
    out += (first_skipped ? "" : ", ") + json_string(channel) + ": " + json_string(reason);
    first_skipped = false;
  }
  out += "}}\n";
  return out;
}

void write_ready_file(const std::filesystem::path& file, const ReadyInfo& info) {
  const std::string text = ready_json(info);
  const auto temporary = file.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw std::system_error(errno, std::generic_category(), "ready file " + temporary);
  }
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      throw std::system_error(error, std::generic_category(), "ready file " + temporary);
    }
    written += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (::rename(temporary.c_str(), file.c_str()) != 0) {
    throw std::system_error(errno, std::generic_category(), "ready file " + file.string());
  }
}

}  // namespace supportgw::daemon
