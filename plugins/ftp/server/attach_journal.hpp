#pragma once
// Uploads between their rename into the ticket's folder and their attachment's commit.
// A daemon killed in that window would leave a finished file no ticket knows; the
// client got no 226 and sends the file again, which would land beside it as "log-2.txt"
// and count twice against the quota. So a session notes "<reference>, <name>" in
// `<uploads_root>/.attaching/` (synced) before it finishes an upload, and drops the note
// once the file is attached, back to a partial, or removed. At start, before the server
// takes a connection, recover_unattached() looks at the folders of the notes left
// behind: a finished file the ticket does not list goes back to being a complete
// partial of the asked name (DurableUpload::back_to_partial), so the retry replaces it
// and REST finishes it.

#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "supportgw/sdk/status.hpp"

namespace supportgw::ftp {

class AttachJournal {
 public:
  explicit AttachJournal(std::filesystem::path uploads_root);

  // Notes (durably) that `name` of `reference` is about to be finished and attached.
  sdk::Status begin(const std::string& reference, const std::string& name) const;
  // Drops the note: the upload is attached, back to a partial, or gone.
  void end(const std::string& reference, const std::string& name) const;

  struct Recovery {
    std::vector<std::string> returned;  // "<reference>/<file> -> .partial/<name>", for the log
    std::vector<std::string> problems;  // a note or file that could not be dealt with, and why
  };
  // For every note left: the names of the files the ticket lists (nullopt: the ticket
  // could not be looked up; the note stays for the next start).
  Recovery recover_unattached(
      const std::function<std::optional<std::set<std::string>>(const std::string& reference)>&
          attached_names) const;

 private:
  std::filesystem::path note_path(const std::string& reference, const std::string& name) const;
  std::filesystem::path uploads_root_;
  std::filesystem::path notes_;
};

}  // namespace supportgw::ftp
