#pragma once
// A folder under $TMPDIR made for one test and removed, with all it holds, after it.

#include <filesystem>
#include <string>

namespace supportgw::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::filesystem::path& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// A whole file as text ("" when it cannot be read), and a file replaced by `text`.
std::string read_file(const std::filesystem::path& file);
void write_file(const std::filesystem::path& file, const std::string& text);

}  // namespace supportgw::testing
