#pragma once
// Random ids for what the channel serves many times a second (the submission id of each
// form page, the origin of each API ticket without an Idempotency-Key), taken from
// OpenSSL's CSPRNG a block at a time. RAND_bytes costs nearly as much for 16 bytes as
// for 512 (its locks, and a getpid to notice a fork), and a ticket page needs one id: per
// page it cost as much as rendering the HTML.

#include <array>
#include <cstddef>
#include <mutex>
#include <string>

namespace web {

class RandomPool {
 public:
  RandomPool() = default;
  RandomPool(const RandomPool&) = delete;
  RandomPool& operator=(const RandomPool&) = delete;
  ~RandomPool();

  // `bytes` (at most kBlock) random bytes as lowercase hex; each byte is handed out once.
  // Throws std::runtime_error when the CSPRNG fails. Any thread.
  std::string hex(std::size_t bytes);

  static constexpr std::size_t kBlock = 512;

 private:
  std::mutex mutex_;
  std::array<unsigned char, kBlock> block_{};
  std::size_t used_ = kBlock;  // all used: the first call fills the block
};

}  // namespace web
