#pragma once
// Which remote file each partial download was cut from. A download cut short (a dropped
// connection, a killed daemon) resumes from its partial at a later poll, but by then the
// uploader may have replaced the file with another of the same name: resuming that one
// would glue the new file's tail to the old one's head. So when a download starts from
// byte 0, the file's origin id (host, port, path, size, mtime: origin_id_of) is recorded,
// durably, beside the partial; a partial resumes only when the file's origin id is still
// the recorded one, and otherwise the download starts over.
//
// Records live in one folder of the channel's storage, a file per partial named after the
// SHA-256 of "<reference>/<local name>" (names of any length, no path tricks).

#include <filesystem>
#include <string>

namespace supportgw::ftp {

class PartialOrigins {
 public:
  explicit PartialOrigins(std::filesystem::path folder);  // created on first record()

  // The origin id recorded for the partial `key` ("<reference>/<local name>"); "" when
  // none (never recorded, forgotten, or lost to a crash before it was durable).
  std::string recorded(const std::string& key) const;
  // Records `origin` for `key`: written to a temporary file, synced, renamed, the folder
  // synced. False (with `error`) when the disk refused.
  bool record(const std::string& key, const std::string& origin, std::string& error);
  // Once the partial is gone (finished, or started over).
  void forget(const std::string& key);

 private:
  std::filesystem::path path_of(const std::string& key) const;
  std::filesystem::path folder_;
};

}  // namespace supportgw::ftp
