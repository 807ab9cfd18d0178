#pragma once
// multipart/form-data (RFC 7578) read from a body the HTTP server spooled to a file:
// the body is read in fixed-size pieces, each file part is written to a file of its own
// while its SHA-256 is computed, and only the small text fields are kept in memory. So
// an upload of any size costs a fixed amount of memory.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <supportgw/sdk/status.hpp>

namespace web {

struct UploadedFile {
  std::string field;           // the form field's name
  std::string file_name;       // as the browser named it, without folders
  std::string content_type;    // as declared, may be empty
  std::filesystem::path path;  // in the folder given to parse_multipart_file
  std::uint64_t size = 0;
  std::string sha256;  // 64 lowercase hex digits
};

struct MultipartForm {
  // Text fields; a name sent twice keeps its first value.
  std::map<std::string, std::string> fields;
  std::vector<UploadedFile> files;
};

struct MultipartLimits {
  std::size_t max_files = 20;
  std::size_t max_fields = 100;
  std::size_t max_field_bytes = 1'000'000;  // all text fields together
  std::size_t max_part_header_bytes = 8 * 1024;
};

// The boundary parameter of a multipart/form-data Content-Type, or nullopt when the type
// is another one or the boundary is missing or malformed.
std::optional<std::string> multipart_boundary(std::string_view content_type);

// Parses the body in `body_file`. Files go to `files_dir` (which must exist, on the same
// file system as where they are kept), each written, fsynced and renamed into place
// under a random name, and the folder fsynced, before this returns. Empty file inputs (a
// browser sends one when no file was chosen) are left out.
// Errors: invalid_argument (malformed, or over a limit: nothing is left behind),
// internal (a file could not be written).
supportgw::sdk::Result<MultipartForm> parse_multipart_file(const std::filesystem::path& body_file,
                                                           std::string_view boundary,
                                                           const std::filesystem::path& files_dir,
                                                           const MultipartLimits& limits);

}  // namespace web
