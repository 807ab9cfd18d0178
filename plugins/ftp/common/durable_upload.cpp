#include "durable_upload.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>  // renameat2, RENAME_NOREPLACE
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <new>
#include <optional>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "durable_file.hpp"
#include "sha256_hex.hpp"

namespace supportgw::ftp {
namespace {

using sdk::Status;
using sdk::StatusCode;

// Three 1 MiB chunks queued at most, plus the one the caller fills: memory stays bounded
// whatever the file size (both workers read the same chunks). 1 MiB because a direct
// write (see Impl::write_chunk) waits for the disk: on this machine's virtio disk dd with
// O_DIRECT took 1 GiB at 1.0-1.1 GB/s in 256 KiB writes and 1.5-1.9 GB/s in 1 MiB writes,
// one write in flight. Three because upload_bench measured 0.80-0.97x with two,
// 0.87-1.10x with three and 0.83-0.91x with four (fewer chunks stay warmer in the caches
// between the socket read and the hash; two leave the hasher waiting).
constexpr std::size_t kBufferSize = 1024 * 1024;
constexpr std::size_t kMaxQueued = 3;
// Direct writes need buffer addresses, file offsets and lengths aligned to the device's
// logical block; 4 KiB covers 512-byte and 4 KiB devices.
constexpr std::size_t kDirectAlignment = 4096;
// Writeback is started every 8 MiB when writes go through the page cache (see
// Impl::write_back).
constexpr std::uint64_t kWritebackWindow = 8 * 1024 * 1024;

Status io_error(const std::filesystem::path& file, const char* what) {
  return {StatusCode::unavailable, file.string() + ": " + what + ": " + std::strerror(errno)};
}

bool plain_name(const std::string& name) {
  if (name.empty() || name.size() > 255 || name == "." || name == "..") return false;
  for (char c : name) {
    if (c == '/' || c == '\0') return false;
  }
  return true;
}

// Writes [data, data + n) at `offset`; returns 0, or the errno of the write that failed.
// At an explicit offset, so that a chunk written again after a refused direct write
// lands where it belongs whatever part of it the refused attempt wrote.
int write_all(int fd, const char* data, std::size_t n, std::uint64_t offset) {
  while (n > 0) {
    ssize_t done = ::pwrite(fd, data, n, static_cast<off_t>(offset));
    if (done < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data += done;
    n -= static_cast<std::size_t>(done);
    offset += static_cast<std::uint64_t>(done);
  }
  return 0;
}

// Turns O_DIRECT on or off for fd; false where the file system has no direct I/O (tmpfs
// before Linux 6.6 refuses it with EINVAL).
bool set_direct(int fd, bool on) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0) return false;
  flags = on ? (flags | O_DIRECT) : (flags & ~O_DIRECT);
  return ::fcntl(fd, F_SETFL, flags) == 0;
}

// One chunk of an upload: kBufferSize bytes of room at a kDirectAlignment-aligned
// address (a direct write DMAs from it), `size` of them used.
class Chunk {
 public:
  Chunk() : data_(static_cast<char*>(std::aligned_alloc(kDirectAlignment, kBufferSize))) {
    if (data_ == nullptr) throw std::bad_alloc();
  }
  Chunk(Chunk&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  Chunk& operator=(Chunk&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    return *this;
  }
  Chunk(const Chunk&) = delete;
  Chunk& operator=(const Chunk&) = delete;
  ~Chunk() { std::free(data_); }

  const char* data() const { return data_; }
  std::size_t size() const { return size_; }
  void clear() { size_ = 0; }
  // The unused part up to `limit` (<= kBufferSize), and taking n bytes of it as used.
  std::span<char> room(std::size_t limit) { return {data_ + size_, limit - size_}; }
  void grow(std::size_t n) { size_ += n; }

 private:
  char* data_;
  std::size_t size_ = 0;
};

// "report.pdf" -> "report-2.pdf": keeps the extension so the type stays recognisable.
std::string numbered(const std::string& name, int n) {
  auto dot = name.rfind('.');
  if (dot == std::string::npos || dot == 0) return name + "-" + std::to_string(n);
  return name.substr(0, dot) + "-" + std::to_string(n) + name.substr(dot);
}

}  // namespace

struct DurableUpload::Impl {
  std::filesystem::path dir;
  std::string name;
  std::filesystem::path partial;
  int fd = -1;
  EVP_MD_CTX* sha = nullptr;
  std::uint64_t accepted = 0;
  // The worker's position in the file, and the windows handed to writeback (write_back).
  std::uint64_t file_end = 0;
  std::uint64_t window_start = 0;
  std::uint64_t previous_start = 0;
  bool has_previous = false;

  // Whether writes currently bypass the page cache (see write_chunk), and whether the
  // file system allows that at all.
  bool direct_capable = false;
  bool direct = false;

  // The caller's current chunk (none between a hand-over and the next write), and the
  // size at which it is handed over (see start_filling).
  std::optional<Chunk> filling;
  std::size_t filling_limit = kBufferSize;

  // Shared with the workers, under `mutex`. Two workers take every chunk of `queue` in
  // order: one hashes, one writes, at the same time (on two cores the file takes as long
  // as the slower of the two, not their sum). A chunk leaves the queue once both are done
  // with it; `hashed` and `written` count the front chunks each has finished.
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Chunk> queue;
  std::size_t hashed = 0;
  std::size_t written = 0;
  std::vector<Chunk> spare;           // recycled buffers: no allocation per chunk
  std::function<void()> room_waiter;  // see DurableUpload::when_room
  bool closing = false;
  Status failure;
  std::thread hasher;
  std::thread writer;
  bool stopped = true;

  ~Impl() {
    stop_worker();
    if (fd >= 0) ::close(fd);
    if (sha != nullptr) EVP_MD_CTX_free(sha);
  }

  void start_worker() {
    stopped = false;
    hasher = std::thread([this] {
      consume(hashed, [this](const Chunk& chunk) -> Status {
        if (EVP_DigestUpdate(sha, chunk.data(), chunk.size()) != 1) {
          return {StatusCode::internal, partial.string() + ": SHA-256 update failed"};
        }
        return {};
      });
    });
    writer = std::thread(
        [this] { consume(written, [this](const Chunk& chunk) { return write_chunk(chunk); }); });
  }

  // One worker: applies `work` to every chunk in order; `done` is its count of finished
  // front chunks. Returns once closing and every chunk is done.
  template <class Work>
  void consume(std::size_t& done, Work work) {
    std::unique_lock lock(mutex);
    for (;;) {
      changed.wait(lock, [this, &done] { return closing || done < queue.size(); });
      if (done == queue.size()) return;
      // A deque keeps its elements in place when the other end grows or shrinks.
      const Chunk& chunk = queue[done];
      const bool healthy = failure.ok();
      lock.unlock();
      const Status outcome = healthy ? work(chunk) : Status();
      lock.lock();
      if (!outcome.ok() && failure.ok()) failure = outcome;
      ++done;
      while (hashed > 0 && written > 0) {  // both done with the front chunk: recycle it
        queue.front().clear();
        spare.push_back(std::move(queue.front()));
        queue.pop_front();
        --hashed;
        --written;
      }
      changed.notify_all();
      if (room_waiter && queue.size() < kMaxQueued) {
        auto ready = std::exchange(room_waiter, nullptr);
        lock.unlock();
        ready();
        lock.lock();
      }
    }
  }

  // Full, aligned chunks go to disk with O_DIRECT: the device copies them from the chunk
  // itself, with no copy into the page cache, no dirty pages to write back and none to
  // drop afterwards. On this VM a buffered 1 GiB write with fsync ran at about 200 MB/s
  // into fresh memory (the balloon, see write_back) and 1.5-1.9 GB/s direct. A chunk that
  // is not aligned (the last one, or the first after resuming at an odd offset) goes
  // through the page cache; finish()'s fsync covers both kinds. Where the file system has
  // no direct I/O, every chunk goes through the page cache.
  Status write_chunk(const Chunk& chunk) {
    const bool aligned = file_end % kDirectAlignment == 0 && chunk.size() % kDirectAlignment == 0;
    if (direct_capable && aligned != direct) {
      if (set_direct(fd, aligned)) {
        direct = aligned;
      } else if (aligned) {
        direct_capable = false;
      } else {
        return io_error(partial, "leave direct I/O");
      }
    }
    int failed = write_all(fd, chunk.data(), chunk.size(), file_end);
    if (failed == EINVAL && direct) {
      // Accepted by fcntl yet refused at write time (a device with larger blocks, some
      // FUSE file systems): this chunk again, and the rest, through the page cache.
      direct_capable = false;
      if (!set_direct(fd, false)) return io_error(partial, "leave direct I/O");
      direct = false;
      failed = write_all(fd, chunk.data(), chunk.size(), file_end);
    }
    if (failed != 0) {
      errno = failed;
      return io_error(partial, "write");
    }
    file_end += chunk.size();
    if (direct) {
      window_start = file_end;  // nothing dirty behind us
      has_previous = false;
    } else {
      write_back();
    }
    return {};
  }

  // Starts writing each full window to disk as soon as it is written, and waits for the
  // window before it: the disk works while the data arrives instead of all at the final
  // fsync, and dirty pages stay bounded (two windows) whatever the file size. Only a
  // hint: errors show up in the final fsync.
  //
  // The window on disk then leaves the page cache (POSIX_FADV_DONTNEED): a multi-GiB
  // dump read by nobody soon would push the database's pages out, and the next windows
  // reuse the pages just freed. On a VM whose balloon hands freed memory back to the host
  // (this machine's), writing into fresh pages ran at a quarter of the speed (1 GiB with
  // sync_file_range: 320-340 MB/s into fresh memory, 1.35-1.47 GB/s with the pages
  // recycled; tests/bench/upload_bench).
  void write_back() {
    if (file_end - window_start < kWritebackWindow) return;
    (void)::sync_file_range(fd, static_cast<off64_t>(window_start),
                            static_cast<off64_t>(file_end - window_start), SYNC_FILE_RANGE_WRITE);
    if (has_previous) {
      const auto start = static_cast<off64_t>(previous_start);
      const auto length = static_cast<off64_t>(window_start - previous_start);
      (void)::sync_file_range(
          fd, start, length,
          SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
      (void)::posix_fadvise(fd, start, length, POSIX_FADV_DONTNEED);
    }
    previous_start = window_start;
    has_previous = true;
    window_start = file_end;
  }

  // A fresh (or recycled) chunk for the caller, to be handed over once it ends on an
  // aligned file offset: after resuming at an odd offset only the first chunk is short,
  // and every later one can be written directly.
  void start_filling(std::optional<Chunk> recycled) {
    filling = recycled ? std::move(recycled) : std::optional<Chunk>(std::in_place);
    filling->clear();
    filling_limit = kBufferSize - static_cast<std::size_t>(accepted % kDirectAlignment);
  }

  std::optional<Chunk> take_spare() {
    std::lock_guard lock(mutex);
    if (spare.empty()) return std::nullopt;
    std::optional<Chunk> chunk(std::move(spare.back()));
    spare.pop_back();
    return chunk;
  }

  // Queues the caller's chunk for both workers; blocks while kMaxQueued are queued.
  // Only finish() and abandon() (on a thread that may wait for the disk) and write()
  // (the SFTP puller's own thread) use it; an io thread uses try_hand_over().
  void hand_over() {
    if (!filling || filling->size() == 0) return;
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [this] { return queue.size() < kMaxQueued; });
      queue.push_back(std::move(*filling));
    }
    changed.notify_all();
    filling.reset();
  }

  // The same without waiting; false (the chunk stays with the caller) while the queue
  // is full.
  bool try_hand_over() {
    {
      std::lock_guard lock(mutex);
      if (queue.size() >= kMaxQueued) return false;
      queue.push_back(std::move(*filling));
    }
    changed.notify_all();
    filling.reset();
    return true;
  }

  // The caller's chunk is full and waits for a place in the queue.
  bool filling_is_full() const { return filling && filling->size() == filling_limit; }

  Status drain() {
    hand_over();
    stop_worker();
    std::lock_guard lock(mutex);
    return failure;
  }

  void stop_worker() {
    if (stopped) return;
    {
      std::lock_guard lock(mutex);
      closing = true;
    }
    changed.notify_all();
    if (hasher.joinable()) hasher.join();
    if (writer.joinable()) writer.join();
    stopped = true;
  }

  Status current_failure() {
    std::lock_guard lock(mutex);
    return failure;
  }
};

std::filesystem::path DurableUpload::partial_folder(const std::filesystem::path& dir) {
  return dir / ".partial";
}

std::filesystem::path DurableUpload::partial_path(const std::filesystem::path& dir,
                                                  const std::string& name) {
  return partial_folder(dir) / name;
}

sdk::Status DurableUpload::back_to_partial(const std::filesystem::path& dir,
                                           const std::string& name,
                                           const std::filesystem::path& finished) {
  if (!plain_name(name)) {
    return {StatusCode::invalid_argument, "upload name '" + name + "' is not a plain file name"};
  }
  const auto partial = partial_path(dir, name);
  std::error_code made;  // there unless someone tidied the folder by hand
  std::filesystem::create_directories(partial.parent_path(), made);
  if (made) {
    return {StatusCode::unavailable,
            partial.parent_path().string() + ": cannot create: " + made.message()};
  }
  if (::renameat2(AT_FDCWD, finished.c_str(), AT_FDCWD, partial.c_str(), RENAME_NOREPLACE) != 0) {
    return io_error(finished, ("move back to " + partial.string()).c_str());
  }
  if (auto synced = sync_folder(partial_folder(dir)); !synced.ok()) return synced;
  return sync_folder(dir);
}

sdk::Result<DurableUpload> DurableUpload::open(const std::filesystem::path& dir,
                                               const std::string& name,
                                               std::uint64_t resume_offset) {
  if (!plain_name(name)) {
    return Status{StatusCode::invalid_argument,
                  "upload name '" + name + "' is not a plain file name"};
  }
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->name = name;
  impl->partial = partial_path(dir, name);
  std::error_code ec;
  std::filesystem::create_directories(impl->partial.parent_path(), ec);
  if (ec) {
    return Status{StatusCode::unavailable,
                  impl->partial.parent_path().string() + ": cannot create: " + ec.message()};
  }
  int flags = O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (resume_offset == 0 ? O_TRUNC : 0);
  impl->fd = ::open(impl->partial.c_str(), flags, 0640);
  if (impl->fd < 0) return io_error(impl->partial, "open partial");
  impl->sha = EVP_MD_CTX_new();
  if (impl->sha == nullptr || EVP_DigestInit_ex(impl->sha, EVP_sha256(), nullptr) != 1) {
    return Status{StatusCode::internal, "SHA-256 init failed"};
  }
  if (resume_offset > 0) {
    struct stat info {};
    if (::fstat(impl->fd, &info) != 0) return io_error(impl->partial, "stat partial");
    auto have = static_cast<std::uint64_t>(info.st_size);
    if (resume_offset > have) {
      return Status{StatusCode::invalid_argument,
                    impl->partial.string() + ": resume offset " + std::to_string(resume_offset) +
                        " beyond the " + std::to_string(have) + " bytes received"};
    }
    std::vector<char> buffer(kBufferSize);
    std::uint64_t left = resume_offset;
    while (left > 0) {
      auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer.size()));
      ssize_t got = ::read(impl->fd, buffer.data(), want);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return io_error(impl->partial, "re-read partial");
      EVP_DigestUpdate(impl->sha, buffer.data(), static_cast<std::size_t>(got));
      left -= static_cast<std::uint64_t>(got);
    }
    if (::ftruncate(impl->fd, static_cast<off_t>(resume_offset)) != 0) {
      return io_error(impl->partial, "truncate partial");
    }
    impl->accepted = resume_offset;
  }
  impl->file_end = impl->window_start = impl->accepted;
  impl->direct_capable = set_direct(impl->fd, true);
  impl->direct = impl->direct_capable;
  impl->start_worker();
  return DurableUpload(std::move(impl));
}

DurableUpload::DurableUpload(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DurableUpload::DurableUpload(DurableUpload&&) noexcept = default;
DurableUpload& DurableUpload::operator=(DurableUpload&&) noexcept = default;

DurableUpload::~DurableUpload() {
  if (impl_) abandon();
}

sdk::Status DurableUpload::write(const char* data, std::size_t n) {
  while (n > 0) {
    if (!impl_ || impl_->stopped) return {StatusCode::internal, "upload already finished"};
    if (impl_->filling_is_full()) impl_->hand_over();  // this caller may wait
    const std::span<char> into = room();
    const std::size_t take = std::min(n, into.size());
    std::memcpy(into.data(), data, take);
    if (auto accepted = commit(take); !accepted.ok()) return accepted;
    data += take;
    n -= take;
  }
  return {};
}

std::span<char> DurableUpload::room() {
  if (!impl_ || impl_->stopped) return {};
  Impl& up = *impl_;
  if (up.filling_is_full() && !up.try_hand_over()) return {};
  if (!up.filling) up.start_filling(up.take_spare());
  return up.filling->room(up.filling_limit);
}

void DurableUpload::when_room(std::function<void()> ready) {
  if (impl_ && !impl_->stopped && impl_->filling_is_full()) {
    std::lock_guard lock(impl_->mutex);
    if (impl_->queue.size() >= kMaxQueued) {
      impl_->room_waiter = std::move(ready);  // a worker calls it when a chunk leaves
      return;
    }
  }
  ready();
}

sdk::Status DurableUpload::commit(std::size_t n) {
  if (!impl_ || impl_->stopped) return {StatusCode::internal, "upload already finished"};
  Impl& up = *impl_;
  if (auto failure = up.current_failure(); !failure.ok()) return failure;
  if (n == 0) return {};
  if (!up.filling || n > up.filling->room(up.filling_limit).size()) {
    return {StatusCode::internal, up.partial.string() + ": committed more than room() gave"};
  }
  up.filling->grow(n);
  up.accepted += n;
  if (up.filling_is_full()) (void)up.try_hand_over();  // else room() tries again
  return {};
}

std::uint64_t DurableUpload::size() const { return impl_ ? impl_->accepted : 0; }

sdk::Result<FinishedUpload> DurableUpload::finish() {
  if (!impl_ || impl_->stopped) return Status{StatusCode::internal, "upload already finished"};
  if (auto failure = impl_->drain(); !failure.ok()) return failure;
  Impl& up = *impl_;
  if (::fsync(up.fd) != 0) return io_error(up.partial, "fsync partial");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  if (EVP_DigestFinal_ex(up.sha, digest, &length) != 1) {
    return Status{StatusCode::internal, up.partial.string() + ": SHA-256 final failed"};
  }
  // RENAME_NOREPLACE: a file of the same name (another upload) is never overwritten.
  std::string final_name = up.name;
  for (int n = 2;; ++n) {
    auto target = up.dir / final_name;
    if (::renameat2(AT_FDCWD, up.partial.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) ==
        0) {
      break;
    }
    if (errno != EEXIST || n > 10000) return io_error(target, "rename partial");
    final_name = numbered(up.name, n);
  }
  if (auto synced = sync_folder(up.dir); !synced.ok()) return synced;
  FinishedUpload done{up.dir / final_name, final_name, up.accepted, hex_of(digest, length)};
  impl_.reset();
  return done;
}

void DurableUpload::abandon() {
  if (!impl_) return;
  (void)impl_->drain();
  if (impl_->fd >= 0) (void)::fsync(impl_->fd);
  impl_.reset();
}

}  // namespace supportgw::ftp
