#include "durable_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace supportgw::ftp {
namespace {

using sdk::Status;
using sdk::StatusCode;

Status io_error(const std::filesystem::path& file, const char* what, int error) {
  return {StatusCode::unavailable, file.string() + ": " + what + ": " + std::strerror(error)};
}

}  // namespace

Status sync_folder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error(folder, "open folder", errno);
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0) return io_error(folder, "fsync folder", error);
  return {};
}

Status write_file_durably(const std::filesystem::path& file, std::string_view text) {
  const std::filesystem::path folder = file.parent_path();
  std::error_code made;
  std::filesystem::create_directories(folder, made);
  if (made)
    return {StatusCode::unavailable, folder.string() + ": cannot create: " + made.message()};
  const std::filesystem::path temporary = file.string() + ".tmp";
  const int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
  if (fd < 0) return io_error(temporary, "create", errno);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t wrote = ::write(fd, text.data() + done, text.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0) {
      const int error = errno;
      ::close(fd);
      return io_error(temporary, "write", error);
    }
    done += static_cast<std::size_t>(wrote);
  }
  const int synced = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (synced != 0) return io_error(temporary, "fsync", error);
  if (::rename(temporary.c_str(), file.c_str()) != 0) return io_error(file, "rename", errno);
  return sync_folder(folder);
}

}  // namespace supportgw::ftp
