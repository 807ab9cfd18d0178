#pragma once
// SHA-256 of a buffer in memory, on OpenSSL with the algorithm fetched once: the
// one-shot SHA256() and EVP_sha256() look the algorithm up by name under locks on every
// call, which was most of the cost of checking a customer token on a cached ticket page.

#include <array>
#include <cstddef>
#include <cstdint>

namespace supportgw {

using Sha256Digest = std::array<std::uint8_t, 32>;

// Throws supportgw::Error when OpenSSL fails.
Sha256Digest sha256(const void* data, std::size_t size);

}  // namespace supportgw
