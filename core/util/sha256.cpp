#include "core/util/sha256.hpp"

#include <openssl/evp.h>

#include "core/util/error.hpp"

namespace supportgw {
namespace {

// Immutable once made; never freed, as OpenSSL may be torn down first at exit.
const EVP_MD* sha256_algorithm() {
  static const EVP_MD* const algorithm = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) {
      throw Error("OpenSSL: cannot fetch SHA-256 from the default provider");
    }
    return fetched;
  }();
  return algorithm;
}

}  // namespace

Sha256Digest sha256(const void* data, std::size_t size) {
  Sha256Digest digest{};
  unsigned int length = 0;
  if (EVP_Digest(data, size, digest.data(), &length, sha256_algorithm(), nullptr) != 1 ||
      length != digest.size()) {
    throw Error("OpenSSL: SHA-256 failed");
  }
  return digest;
}

}  // namespace supportgw
