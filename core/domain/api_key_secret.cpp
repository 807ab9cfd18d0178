#include "core/domain/api_key_secret.hpp"

#include <openssl/rand.h>

#include <array>
#include <cstdint>

#include "core/util/error.hpp"
#include "core/util/sha256.hpp"

namespace supportgw {
namespace {

std::string hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    text.push_back(kDigits[bytes[i] >> 4]);
    text.push_back(kDigits[bytes[i] & 0x0f]);
  }
  return text;
}

}  // namespace

std::string generate_api_key() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw Error("cannot make an API key: OpenSSL's random generator failed");
  }
  return "sgw_" + hex(bytes.data(), bytes.size());
}

std::string api_key_hash(std::string_view key) {
  const Sha256Digest digest = sha256(key.data(), key.size());
  return hex(digest.data(), digest.size());
}

}  // namespace supportgw
