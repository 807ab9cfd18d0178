#include "multipart.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

#include "sha256.hpp"

namespace web {
namespace {

using supportgw::sdk::Result;
using supportgw::sdk::Status;
using supportgw::sdk::StatusCode;

constexpr std::size_t kReadSize = 64 * 1024;

struct Malformed : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct IoFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string errno_text(const std::string& what, const std::filesystem::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

std::string lower(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

// Splits "form-data; name=\"a;b\"; filename=x" into its parameters (names lower-cased),
// honouring quoted strings.
std::map<std::string, std::string> header_parameters(std::string_view value) {
  std::map<std::string, std::string> parameters;
  std::size_t at = value.find(';');
  while (at != std::string_view::npos && at < value.size()) {
    ++at;
    while (at < value.size() && (value[at] == ' ' || value[at] == '\t')) {
      ++at;
    }
    const std::size_t equals = value.find('=', at);
    if (equals == std::string_view::npos) {
      break;
    }
    const std::string name = lower(trim(value.substr(at, equals - at)));
    std::string parsed;
    at = equals + 1;
    if (at < value.size() && value[at] == '"') {
      ++at;
      // No backslash escapes: browsers send '"' as %22 (WHATWG's multipart/form-data
      // encoding) and old ones sent Windows paths with literal backslashes.
      while (at < value.size() && value[at] != '"') {
        parsed.push_back(value[at++]);
      }
      if (at >= value.size()) {
        throw Malformed("an unterminated quoted string in a part header");
      }
      at = value.find(';', at + 1);
    } else {
      const std::size_t end = value.find(';', at);
      parsed = std::string(trim(value.substr(at, end == std::string_view::npos ? end : end - at)));
      at = end;
    }
    parameters.emplace(name, std::move(parsed));
  }
  return parameters;
}

// The last path segment: browsers on Windows used to send "C:\\Users\\x\\dump.zip".
std::string base_name(std::string name) {
  const auto slash = name.find_last_of("/\\");
  if (slash != std::string::npos) {
    name.erase(0, slash + 1);
  }
  if (name.size() > 255) {
    name.resize(255);
  }
  return name;
}

class FileSink {
 public:
  explicit FileSink(std::filesystem::path path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd_ < 0) {
      throw IoFailure(errno_text("cannot create", path_));
    }
  }
  ~FileSink() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  void write(const char* data, std::size_t size) {
    hash_.add(data, size);
    size_ += size;
    while (size > 0) {
      const ssize_t written = ::write(fd_, data, size);
      if (written < 0) {
        if (errno == EINTR) {
          continue;
        }
        throw IoFailure(errno_text("cannot write", path_));
      }
      data += written;
      size -= static_cast<std::size_t>(written);
    }
  }
  // fsyncs and closes; returns the SHA-256.
  std::string finish() {
    if (::fsync(fd_) != 0) {
      throw IoFailure(errno_text("cannot sync", path_));
    }
    ::close(fd_);
    fd_ = -1;
    return hash_.hex();
  }
  std::uint64_t size() const { return size_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  Sha256 hash_;
  std::uint64_t size_ = 0;
};

void sync_dir(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    throw IoFailure(errno_text("cannot open", dir));
  }
  const int result = ::fsync(fd);
  ::close(fd);
  if (result != 0) {
    throw IoFailure(errno_text("cannot sync", dir));
  }
}

class Parser {
 public:
  Parser(std::string_view boundary, std::filesystem::path files_dir, const MultipartLimits& limits)
      : delimiter_("\r\n--" + std::string(boundary)),
        files_dir_(std::move(files_dir)),
        limits_(limits) {
    // The first delimiter has no CRLF before it; pretending one was there makes every
    // delimiter look alike.
    buffer_ = "\r\n";
  }

  ~Parser() {
    if (!finished_) {
      sink_.reset();
      std::error_code ignored;
      for (const auto& file : form_.files) {
        std::filesystem::remove(file.path, ignored);
      }
      for (const auto& path : partial_) {
        std::filesystem::remove(path, ignored);
      }
    }
  }

  void feed(const char* data, std::size_t size) {
    buffer_.append(data, size);
    while (step()) {
    }
  }

  MultipartForm finish() {
    if (state_ != State::done) {
      throw Malformed("the body ends before the closing boundary");
    }
    // Now that everything arrived, the files get their final names.
    for (UploadedFile& file : form_.files) {
      auto final_path = file.path;
      final_path.replace_extension();
      if (::rename(file.path.c_str(), final_path.c_str()) != 0) {
        throw IoFailure(errno_text("cannot rename", file.path));
      }
      partial_.push_back(final_path);
      file.path = final_path;
    }
    if (!form_.files.empty()) {
      sync_dir(files_dir_);
    }
    finished_ = true;
    return std::move(form_);
  }

 private:
  enum class State { preamble, after_delimiter, headers, body, done };

  // Handles what the buffer allows; false when it needs more bytes.
  bool step() {
    switch (state_) {
      case State::preamble: {
        const auto at = buffer_.find(delimiter_);
        if (at == std::string::npos) {
          keep_tail();
          return false;
        }
        buffer_.erase(0, at + delimiter_.size());
        state_ = State::after_delimiter;
        return true;
      }
      case State::after_delimiter: {
        if (buffer_.size() < 2) {
          return false;
        }
        if (buffer_.compare(0, 2, "--") == 0) {
          buffer_.clear();  // the epilogue is ignored
          state_ = State::done;
          return false;
        }
        // Transport padding (RFC 2046 5.1.1) may precede the line end.
        const auto end = buffer_.find("\r\n");
        if (end == std::string::npos) {
          if (buffer_.size() > 256) {
            throw Malformed("a boundary line is not followed by a line end");
          }
          return false;
        }
        if (!trim(std::string_view(buffer_).substr(0, end)).empty()) {
          throw Malformed("a boundary line is not followed by a line end");
        }
        buffer_.erase(0, end + 2);
        state_ = State::headers;
        return true;
      }
      case State::headers: {
        std::size_t end = 0;
        if (buffer_.starts_with("\r\n")) {
          end = 0;
        } else {
          const auto found = buffer_.find("\r\n\r\n");
          if (found == std::string::npos) {
            if (buffer_.size() > limits_.max_part_header_bytes) {
              throw Malformed("a part's header is larger than " +
                              std::to_string(limits_.max_part_header_bytes) + " bytes");
            }
            return false;
          }
          end = found + 2;
        }
        if (end > limits_.max_part_header_bytes) {
          throw Malformed("a part's header is too large");
        }
        begin_part(std::string_view(buffer_).substr(0, end));
        buffer_.erase(0, end + 2);
        state_ = State::body;
        return true;
      }
      case State::body: {
        const auto at = buffer_.find(delimiter_);
        if (at == std::string::npos) {
          const std::size_t keep = std::min(buffer_.size(), delimiter_.size() - 1);
          part_data(buffer_.data(), buffer_.size() - keep);
          buffer_.erase(0, buffer_.size() - keep);
          return false;
        }
        part_data(buffer_.data(), at);
        buffer_.erase(0, at + delimiter_.size());
        end_part();
        state_ = State::after_delimiter;
        return true;
      }
      case State::done:
        buffer_.clear();
        return false;
    }
    return false;
  }

  void keep_tail() {
    const std::size_t keep = std::min(buffer_.size(), delimiter_.size() - 1);
    buffer_.erase(0, buffer_.size() - keep);
  }

  void begin_part(std::string_view head) {
    std::string disposition;
    std::string content_type;
    while (!head.empty()) {
      const auto end = head.find("\r\n");
      const std::string_view line = head.substr(0, end);
      head.remove_prefix(end == std::string_view::npos ? head.size() : end + 2);
      const auto colon = line.find(':');
      if (colon == std::string_view::npos) {
        throw Malformed("a part header line without a colon");
      }
      const std::string name = lower(trim(line.substr(0, colon)));
      if (name == "content-disposition") {
        disposition = std::string(trim(line.substr(colon + 1)));
      } else if (name == "content-type") {
        content_type = std::string(trim(line.substr(colon + 1)));
      }
    }
    if (!lower(disposition).starts_with("form-data")) {
      throw Malformed("a part without Content-Disposition: form-data");
    }
    const auto parameters = header_parameters(disposition);
    const auto name = parameters.find("name");
    if (name == parameters.end() || name->second.empty()) {
      throw Malformed("a part without a field name");
    }
    field_name_ = name->second;
    field_value_.clear();
    const auto file_name = parameters.find("filename");
    if (file_name == parameters.end()) {
      if (++field_count_ > limits_.max_fields) {
        throw Malformed("more than " + std::to_string(limits_.max_fields) + " form fields");
      }
      return;
    }
    if (form_.files.size() >= limits_.max_files) {
      throw Malformed("more than " + std::to_string(limits_.max_files) + " files");
    }
    current_file_ = UploadedFile{};
    current_file_.field = field_name_;
    current_file_.file_name = base_name(file_name->second);
    current_file_.content_type = content_type.substr(0, 200);
    current_file_.path = files_dir_ / ("upload-" + random_hex(16) + ".part");
    partial_.push_back(current_file_.path);
    sink_ = std::make_unique<FileSink>(current_file_.path);
  }

  void part_data(const char* data, std::size_t size) {
    if (size == 0) {
      return;
    }
    if (sink_) {
      sink_->write(data, size);
      return;
    }
    field_bytes_ += size;
    if (field_bytes_ > limits_.max_field_bytes) {
      throw Malformed("the form's text fields are larger than " +
                      std::to_string(limits_.max_field_bytes) + " bytes");
    }
    field_value_.append(data, size);
  }

  void end_part() {
    if (!sink_) {
      form_.fields.emplace(field_name_, std::move(field_value_));
      field_value_.clear();
      return;
    }
    current_file_.size = sink_->size();
    current_file_.sha256 = sink_->finish();
    sink_.reset();
    if (current_file_.size == 0 && current_file_.file_name.empty()) {
      std::error_code ignored;
      std::filesystem::remove(current_file_.path, ignored);
      return;
    }
    form_.files.push_back(std::move(current_file_));
  }

  const std::string delimiter_;
  const std::filesystem::path files_dir_;
  const MultipartLimits limits_;
  std::string buffer_;
  State state_ = State::preamble;
  MultipartForm form_;
  std::string field_name_;
  std::string field_value_;
  std::size_t field_count_ = 0;
  std::size_t field_bytes_ = 0;
  UploadedFile current_file_;
  std::unique_ptr<FileSink> sink_;
  std::vector<std::filesystem::path> partial_;  // removed unless the parse succeeds
  bool finished_ = false;
};

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  const auto semicolon = content_type.find(';');
  if (lower(trim(content_type.substr(0, semicolon))) != "multipart/form-data" ||
      semicolon == std::string_view::npos) {
    return std::nullopt;
  }
  std::map<std::string, std::string> parameters;
  try {
    parameters = header_parameters(content_type);
  } catch (const Malformed&) {
    return std::nullopt;
  }
  const auto boundary = parameters.find("boundary");
  // RFC 2046: 1 to 70 characters.
  if (boundary == parameters.end() || boundary->second.empty() || boundary->second.size() > 70) {
    return std::nullopt;
  }
  return boundary->second;
}

Result<MultipartForm> parse_multipart_file(const std::filesystem::path& body_file,
                                           std::string_view boundary,
                                           const std::filesystem::path& files_dir,
                                           const MultipartLimits& limits) {
  try {
    const int fd = ::open(body_file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      throw IoFailure(errno_text("cannot open", body_file));
    }
    std::unique_ptr<int, void (*)(int*)> closer(new int(fd), [](int* f) {
      ::close(*f);
      delete f;
    });
    Parser parser(boundary, files_dir, limits);
    std::array<char, kReadSize> chunk{};
    for (;;) {
      const ssize_t got = ::read(fd, chunk.data(), chunk.size());
      if (got < 0) {
        if (errno == EINTR) {
          continue;
        }
        throw IoFailure(errno_text("cannot read", body_file));
      }
      if (got == 0) {
        break;
      }
      parser.feed(chunk.data(), static_cast<std::size_t>(got));
    }
    return parser.finish();
  } catch (const Malformed& error) {
    return Status(StatusCode::invalid_argument, error.what());
  } catch (const std::exception& error) {
    return Status(StatusCode::internal, error.what());
  }
}

}  // namespace web
