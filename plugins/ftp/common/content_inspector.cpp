#include "content_inspector.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <magic.h>

#include <memory>
#include <string_view>

namespace supportgw::ftp {
namespace {

struct MagicCloser {
  void operator()(magic_t cookie) const { magic_close(cookie); }
};
struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};

std::string mime_type(const std::filesystem::path& file) {
  std::unique_ptr<std::remove_pointer_t<magic_t>, MagicCloser> cookie(
      magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR));
  if (!cookie || magic_load(cookie.get(), nullptr) != 0) return "unknown (no magic database)";
  const char* type = magic_file(cookie.get(), file.c_str());
  return type != nullptr ? type : "unknown";
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
