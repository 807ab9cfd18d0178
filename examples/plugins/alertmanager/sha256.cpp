#include "sha256.hpp"

#include <array>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace alertmanager {
namespace {

using Digest = std::array<unsigned char, 32>;

void check(int result, const char* what) {
  if (result != 1) {
    throw std::runtime_error(std::string("OpenSSL SHA-256: ") + what + " failed");
  }
}

std::string to_hex(const Digest& digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(digest.size() * 2);
  for (unsigned char byte : digest) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0x0f]);
  }
  return hex;
}

Digest digest_of(std::string_view data) {
  Digest digest{};
  unsigned int size = 0;
  check(EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr),
        "EVP_Digest");
  return digest;
}

}  // namespace

struct FieldHash::Context {
  EVP_MD_CTX* md = nullptr;
  ~Context() { EVP_MD_CTX_free(md); }
};

FieldHash::FieldHash() : context_(std::make_unique<Context>()) {
  context_->md = EVP_MD_CTX_new();
  if (context_->md == nullptr) {
    throw std::runtime_error("OpenSSL SHA-256: EVP_MD_CTX_new failed");
  }
  check(EVP_DigestInit_ex(context_->md, EVP_sha256(), nullptr), "EVP_DigestInit_ex");
}

FieldHash::~FieldHash() = default;

FieldHash& FieldHash::add(std::string_view field) {
  const std::string frame = std::to_string(field.size()) + ":";
  check(EVP_DigestUpdate(context_->md, frame.data(), frame.size()), "EVP_DigestUpdate");
  check(EVP_DigestUpdate(context_->md, field.data(), field.size()), "EVP_DigestUpdate");
  return *this;
}

std::string FieldHash::hex() {
  Digest digest{};
  unsigned int size = 0;
  check(EVP_DigestFinal_ex(context_->md, digest.data(), &size), "EVP_DigestFinal_ex");
  return to_hex(digest);
}

std::string sha256_hex(std::string_view data) { return to_hex(digest_of(data)); }

bool constant_time_equal(std::string_view a, std::string_view b) {
  const Digest left = digest_of(a);
  const Digest right = digest_of(b);
  return CRYPTO_memcmp(left.data(), right.data(), left.size()) == 0;
}

}  // namespace alertmanager
