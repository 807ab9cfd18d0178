#include "sha256.hpp"

#include <array>
#include <stdexcept>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace web {
namespace {

void check(int result, const char* what) {
  if (result != 1) {
    throw std::runtime_error(std::string("OpenSSL: ") + what + " failed");
  }
}

}  // namespace

std::string hex_encode(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    hex.push_back(kDigits[data[i] >> 4]);
    hex.push_back(kDigits[data[i] & 0x0f]);
  }
  return hex;
}

struct Sha256::Context {
  EVP_MD_CTX* md = nullptr;
  ~Context() { EVP_MD_CTX_free(md); }
};

Sha256::Sha256() : context_(std::make_unique<Context>()) {
  context_->md = EVP_MD_CTX_new();
  if (context_->md == nullptr) {
    throw std::runtime_error("OpenSSL: EVP_MD_CTX_new failed");
  }
  check(EVP_DigestInit_ex(context_->md, EVP_sha256(), nullptr), "EVP_DigestInit_ex");
}

Sha256::~Sha256() = default;

void Sha256::add(const void* data, std::size_t size) {
  check(EVP_DigestUpdate(context_->md, data, size), "EVP_DigestUpdate");
}

std::string Sha256::hex() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  check(EVP_DigestFinal_ex(context_->md, digest.data(), &size), "EVP_DigestFinal_ex");
  return hex_encode(digest.data(), size);
}

// EVP_sha256() looks SHA-256 up by name on every call, a few microseconds: fine for an
// API key once a request. The core keeps a fetched algorithm for the customer token it
// hashes on every page (core/util/sha256.hpp); a plugin cannot keep one in a static, as
// it is unloaded before the process ends and what the static held would leak (and
// LeakSanitizer fails the clean stop of sftp_test's daemon).
std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  check(EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr),
        "EVP_Digest");
  return hex_encode(digest.data(), size);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data(),
           &size) == nullptr) {
    throw std::runtime_error("OpenSSL: HMAC failed");
  }
  return hex_encode(digest.data(), size);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  check(RAND_bytes(buffer.data(), static_cast<int>(buffer.size())), "RAND_bytes");
  return hex_encode(buffer.data(), buffer.size());
}

}  // namespace web
