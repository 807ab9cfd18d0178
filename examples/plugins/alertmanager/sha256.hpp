#pragma once
// SHA-256 over a sequence of fields, with OpenSSL's EVP interface. Each field is framed
// by its length, so ("ab", "c") and ("a", "bc") never hash alike.

#include <memory>
#include <string>
#include <string_view>

namespace alertmanager {

class FieldHash {
 public:
  // Throws std::runtime_error when OpenSSL cannot set up the digest.
  FieldHash();
  ~FieldHash();
  FieldHash(const FieldHash&) = delete;
  FieldHash& operator=(const FieldHash&) = delete;

  FieldHash& add(std::string_view field);
  // 64 lowercase hex digits. Call once; the hash is finished afterwards.
  std::string hex();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

// Lowercase hex SHA-256 of `data` as one unframed block (what `sha256sum` prints).
std::string sha256_hex(std::string_view data);

// Whether `a` and `b` are equal, taking the same time whatever they hold: both are
// hashed and the digests compared with CRYPTO_memcmp, so neither where they differ nor
// how long the secret is shows in the timing.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace alertmanager
