#pragma once
// The channel's cryptography, all on OpenSSL: SHA-256 as bytes arrive (uploads), of a
// string (API keys), HMAC-SHA-256 (CSRF tokens), constant-time comparison and random ids.

#include <memory>
#include <string>
#include <string_view>

namespace web {

// SHA-256 fed in pieces. Throws std::runtime_error when OpenSSL fails.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void add(const void* data, std::size_t size);
  // 64 lowercase hex digits. Call once.
  std::string hex();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

std::string sha256_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// Equal contents, in time that depends only on the lengths (CRYPTO_memcmp); different
// lengths are unequal at once, which is fine for values of a fixed public length.
bool constant_time_equal(std::string_view a, std::string_view b);

// `bytes` random bytes from OpenSSL's CSPRNG as lowercase hex. Throws when it fails.
// For ids made many times a second, RandomPool (random_pool.hpp) is cheaper.
std::string random_hex(std::size_t bytes);

// `size` bytes as lowercase hex.
std::string hex_encode(const unsigned char* data, std::size_t size);

}  // namespace web
