#include "random_pool.hpp"

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
  std::lock_guard lock(mutex_);
  if (kBlock - used_ < bytes) {
    if (RAND_bytes(block_.data(), static_cast<int>(block_.size())) != 1) {
      throw std::runtime_error("OpenSSL: RAND_bytes failed");
    }
    used_ = 0;
  }
  std::string text = hex_encode(block_.data() + used_, bytes);
  // Wiped as it is handed out: what is left in memory is only what nobody has yet.
  OPENSSL_cleanse(block_.data() + used_, bytes);
  used_ += bytes;
  return text;
}

}  // namespace web
