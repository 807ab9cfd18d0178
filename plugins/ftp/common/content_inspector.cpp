#include "content_inspector.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <string_view>

extern char** environ;

namespace supportgw::ftp {
namespace {

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};

// The longest MIME type we take from file(1); anything longer is not one.
constexpr std::size_t kMaxMimeType = 255;

// The MIME type by file(1), in a process of its own. Loading libmagic's database in the
// daemon took about 22 MiB of memory for every file (VmHWM 5 -> 27 MiB in a probe), more
// than the rest of the daemon, so an upload's content note broke the 32 MiB bound that
// the upload itself keeps; and libmagic parses the customer's bytes, which a separate
// process keeps away from the gateway's memory.
std::string mime_type(const std::filesystem::path& file) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return "unknown (no pipe for file(1))";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  const std::string path = file.string();
  char* argv[] = {const_cast<char*>("file"),
                  const_cast<char*>("--brief"),
                  const_cast<char*>("--mime-type"),
                  const_cast<char*>("-E"),
                  const_cast<char*>("--"),
                  const_cast<char*>(path.c_str()),
                  nullptr};
  pid_t child = -1;
  const int spawned = ::posix_spawnp(&child, "file", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  std::string text;
  if (spawned == 0) {
    char buffer[512];
    for (;;) {
      const ssize_t n = ::read(out[0], buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      if (text.size() <= kMaxMimeType) text.append(buffer, static_cast<std::size_t>(n));
    }
  }
  ::close(out[0]);
  if (spawned != 0) return "unknown (file(1) could not be started)";
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || text.empty() ||
      text.size() > kMaxMimeType || text.find('/') == std::string::npos) {
    return "unknown";
  }
  return text;
}

bool is_archive(std::string_view mime) {
  for (std::string_view kind : {"application/zip", "application/x-tar", "application/gzip",
                                "application/x-gzip", "application/x-xz", "application/zstd",
                                "application/x-bzip2", "application/x-7z-compressed"}) {
    if (mime == kind) return true;
  }
  return false;
}

std::string list_entries(const std::filesystem::path& file, std::size_t max_entries) {
  std::unique_ptr<archive, ArchiveCloser> reader(archive_read_new());
  if (!reader) return "entries: unreadable (out of memory)";
  archive_read_support_filter_all(reader.get());
  archive_read_support_format_all(reader.get());
  // A lone .gz/.xz of one file has no archive format: "raw" names its single stream.
  archive_read_support_format_raw(reader.get());
  if (archive_read_open_filename(reader.get(), file.c_str(), 64 * 1024) != ARCHIVE_OK) {
    return std::string("entries: unreadable (") + archive_error_string(reader.get()) + ")";
  }
  std::string listed;
  std::size_t count = 0;
  archive_entry* entry = nullptr;
  int rc = ARCHIVE_OK;
  while ((rc = archive_read_next_header(reader.get(), &entry)) == ARCHIVE_OK) {
    if (count < max_entries) {
      const char* name = archive_entry_pathname(entry);
      listed += "\n  ";
      listed += name != nullptr ? name : "(unnamed)";
      if (archive_entry_size_is_set(entry) != 0) {
        listed += " (" + std::to_string(archive_entry_size(entry)) + " bytes)";
      }
    }
    ++count;
    archive_read_data_skip(reader.get());
  }
  std::string out = "entries: " + std::to_string(count) + listed;
  if (count > max_entries) out += "\n  and " + std::to_string(count - max_entries) + " more";
  if (rc != ARCHIVE_EOF) {
    const char* why = archive_error_string(reader.get());
    out += std::string("\n  (archive damaged: ") + (why != nullptr ? why : "unknown") + ")";
  }
  return out;
}

}  // namespace

std::string describe(const std::filesystem::path& file, std::size_t max_entries) {
  std::string mime = mime_type(file);
  std::string note = "type: " + mime;
  if (is_archive(mime)) note += "\n" + list_entries(file, max_entries);
  return note;
}

}  // namespace supportgw::ftp
