#include "random_pool.hpp"

#include <algorithm>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "sha256.hpp"

namespace web {

RandomPool::~RandomPool() { OPENSSL_cleanse(block_.data(), block_.size()); }

std::string RandomPool::hex(std::size_t bytes) {
  if (bytes > kBlock) {
    throw std::invalid_argument("RandomPool: at most " + std::to_string(kBlock) +
                                " bytes at a time");
  }
  std::array<unsigned char, kBlock> taken{};
  {
    std::lock_guard lock(mutex_);
    if (kBlock - used_ < bytes) {
      if (RAND_bytes(block_.data(), static_cast<int>(block_.size())) != 1) {
        throw std::runtime_error("OpenSSL: RAND_bytes failed");
      }
      used_ = 0;
    }
    std::copy_n(block_.begin() + static_cast<std::ptrdiff_t>(used_), bytes, taken.begin());
    // Wiped as it is handed out: what is left in memory is only what nobody has yet.
    OPENSSL_cleanse(block_.data() + used_, bytes);
    used_ += bytes;
  }
  std::string text = hex_encode(taken.data(), bytes);
  OPENSSL_cleanse(taken.data(), bytes);
  return text;
}

}  // namespace web
