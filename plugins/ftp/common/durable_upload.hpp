#pragma once
// One uploaded file on its way to disk: bytes go to `<dir>/.partial/<name>` while SHA-256
// is computed on the fly, and only finish() makes it a final file (fsync, rename to a
// unique name, fsync the folder). Shared by the FTP server and the SFTP puller.
//
// Hashing and disk writes run on two worker threads of their own, at the same time, fed
// by a small bounded queue of buffers, so they overlap each other and the caller's socket
// reads; memory stays bounded whatever the file size. Full chunks go to disk with
// O_DIRECT where the file system allows it (no page cache copy, nothing to write back);
// otherwise writeback starts every 8 MiB, so the disk works while data arrives and
// finish()'s fsync has little left to do.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "supportgw/sdk/status.hpp"

namespace supportgw::ftp {

struct FinishedUpload {
  std::filesystem::path path;  // the final file
  std::string file_name;       // its name in the folder (unique, may differ from the asked one)
  std::uint64_t size = 0;
  std::string sha256;  // lowercase hex
};

class DurableUpload {
 public:
  // Starts (resume_offset == 0) or resumes an upload of `name` under `dir`. Resuming
  // re-hashes the partial's first resume_offset bytes and cuts it there; an offset beyond
  // the partial is an error. `name` must be a plain, already sanitised file name.
  static sdk::Result<DurableUpload> open(const std::filesystem::path& dir, const std::string& name,
                                         std::uint64_t resume_offset);

  // Where the partial of `name` under `dir` lives (for SIZE/REST on an unfinished upload).
  static std::filesystem::path partial_path(const std::filesystem::path& dir,
                                            const std::string& name);
  // The folder under `dir` that holds its partials.
  static std::filesystem::path partial_folder(const std::filesystem::path& dir);
  // Moves a finished upload back to the partial of `name` under `dir`, complete, and
  // syncs both folders: for a file that could not be attached just now, which must not
  // lie in the folder unattached. A new upload of `name` replaces it; REST <size> and
  // STOR (open() at its size) finishes it again without its bytes being sent again.
  // Fails if a partial of `name` exists (the caller holds the name's claim).
  static sdk::Status back_to_partial(const std::filesystem::path& dir, const std::string& name,
                                     const std::filesystem::path& finished);

  DurableUpload(DurableUpload&&) noexcept;
  DurableUpload& operator=(DurableUpload&&) noexcept;
  DurableUpload(const DurableUpload&) = delete;
  DurableUpload& operator=(const DurableUpload&) = delete;
  ~DurableUpload();  // abandons an unfinished upload (the partial stays)

  // Queues bytes; a disk error from an earlier write shows up here or in finish().
  sdk::Status write(const char* data, std::size_t n);
  // write() may wait for the workers (when three chunks are queued); an io thread must
  // not. It reads straight into room() (at most 1 MiB) and then commit(n) accepts the
  // first n bytes read there; neither waits. room() is valid until the next commit(),
  // write(), finish() or abandon(). It is empty while the workers are behind (or after
  // finish()): when_room(ready) then calls ready() once there is room again, on a worker
  // thread, or at once if there is room already.
  std::span<char> room();
  sdk::Status commit(std::size_t n);
  void when_room(std::function<void()> ready);
  std::uint64_t size() const;  // bytes accepted so far, including a resumed prefix

  // Durable: the file is synced and renamed, the folder synced, before this returns.
  sdk::Result<FinishedUpload> finish();
  // Keeps the partial (synced) so a later open(..., offset) can resume it.
  void abandon();

 private:
  struct Impl;
  explicit DurableUpload(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace supportgw::ftp
