#include "attach_journal.hpp"

#include <fstream>

#include "durable_file.hpp"
#include "durable_upload.hpp"
#include "sha256_hex.hpp"
#include "upload_folder.hpp"

namespace supportgw::ftp {
namespace {

namespace fs = std::filesystem;
using sdk::Status;

// A note holds the reference and the asked name, one per line (neither holds a newline:
// references are checked at login, names are sanitised).
bool read_note(const fs::path& note, std::string& reference, std::string& name) {
  std::ifstream in(note);
  return std::getline(in, reference) && std::getline(in, name) && !reference.empty() &&
         !name.empty();
}

}  // namespace

AttachJournal::AttachJournal(fs::path uploads_root)
    : uploads_root_(std::move(uploads_root)), notes_(uploads_root_ / ".attaching") {}

// Named by a hash: a reference and a 255-byte name would not fit one file name, and at
// most one session holds a reference's name at a time (its upload claim).
fs::path AttachJournal::note_path(const std::string& reference, const std::string& name) const {
  return notes_ / sha256_hex(reference + "/" + name);
}

Status AttachJournal::begin(const std::string& reference, const std::string& name) const {
  return write_file_durably(note_path(reference, name), reference + "\n" + name + "\n");
}

void AttachJournal::end(const std::string& reference, const std::string& name) const {
  std::error_code ignored;  // a note left over only costs a look at the next start
  fs::remove(note_path(reference, name), ignored);
}

AttachJournal::Recovery AttachJournal::recover_unattached(
    const std::function<std::optional<std::set<std::string>>(const std::string& reference)>&
        attached_names) const {
  Recovery recovery;
  std::error_code error;
  for (fs::directory_iterator entry(notes_, error), none; !error && entry != none;
       entry.increment(error)) {
    if (entry->path().extension() == ".tmp") {  // cut before begin() returned: no upload
      std::error_code ignored;
      fs::remove(entry->path(), ignored);
      continue;
    }
    std::string reference;
    std::string name;
    if (!read_note(entry->path(), reference, name) || reference.find('/') != std::string::npos ||
        reference.starts_with('.')) {
      recovery.problems.push_back(entry->path().string() + ": not a note; removed");
      std::error_code ignored;
      fs::remove(entry->path(), ignored);
      continue;
    }
    const auto attached = attached_names(reference);
    if (!attached) {
      recovery.problems.push_back(reference + ": ticket not found now; " + name +
                                  " is looked at again at the next start");
      continue;
    }
    const fs::path folder = uploads_root_ / reference;
    bool settled = true;
    for (const FolderEntry& file : finished_files(folder)) {
      if (attached->contains(file.name)) continue;
      // The asked name first (the client's retry stores that name); a file that was
      // numbered ("log-2.txt") keeps its own if a partial of the asked one exists.
      Status back = DurableUpload::back_to_partial(folder, name, folder / file.name);
      std::string as = name;
      if (!back.ok() && file.name != name) {
        back = DurableUpload::back_to_partial(folder, file.name, folder / file.name);
        as = file.name;
      }
      if (back.ok()) {
        recovery.returned.push_back(reference + "/" + file.name + " -> .partial/" + as);
      } else {
        recovery.problems.push_back(back.message());
        settled = false;
      }
    }
    if (settled) {
      std::error_code ignored;
      fs::remove(entry->path(), ignored);
    }
  }
  if (error && error != std::errc::no_such_file_or_directory) {
    recovery.problems.push_back(notes_.string() + ": " + error.message());
  }
  return recovery;
}

}  // namespace supportgw::ftp
