#include "core/domain/customer_token.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "core/util/error.hpp"
#include "core/util/sha256.hpp"

namespace supportgw {
namespace {

constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz234567";
constexpr std::size_t kTokenChars = 26;  // ceil(128 / 5)

std::string encode_base32(const std::array<std::uint8_t, 16>& bytes) {
  std::string out;
  out.reserve(kTokenChars);
  unsigned buffer = 0;
  int bits = 0;
  for (std::uint8_t byte : bytes) {
    buffer = (buffer << 8U) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(kAlphabet[(buffer >> static_cast<unsigned>(bits)) & 0x1FU]);
    }
  }
  if (bits > 0) {
    out.push_back(kAlphabet[(buffer << static_cast<unsigned>(5 - bits)) & 0x1FU]);
  }
  return out;
}

int decode_char(char c) {
  if (c >= 'A' && c <= 'Z') {
    c = static_cast<char>(c - 'A' + 'a');
  }
  const auto at = kAlphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

bool decode_base32(std::string_view text, std::array<std::uint8_t, 16>& bytes) {
  std::string compact;
  for (char c : text) {
    if (c != '-') {
      compact.push_back(c);
    }
  }
  if (compact.size() != kTokenChars) {
    return false;
  }
  unsigned buffer = 0;
  int bits = 0;
  std::size_t out = 0;
  for (char c : compact) {
    const int value = decode_char(c);
    if (value < 0) {
      return false;
    }
    buffer = (buffer << 5U) | static_cast<unsigned>(value);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      if (out < bytes.size()) {
        bytes[out++] = static_cast<std::uint8_t>((buffer >> static_cast<unsigned>(bits)) & 0xFFU);
      }
    }
  }
  // 26 * 5 = 130 bits: the last two must be zero, or two texts would name one token.
  return out == bytes.size() && (buffer & ((1U << static_cast<unsigned>(bits)) - 1U)) == 0;
}

}  // namespace

CustomerToken::CustomerToken(std::array<std::uint8_t, 16> bytes)
    : bytes_(bytes), text_(encode_base32(bytes)) {}

CustomerToken CustomerToken::generate() {
  std::array<std::uint8_t, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw Error("cannot make a customer token: OpenSSL's random generator failed");
  }
  return CustomerToken(bytes);
}

CustomerToken CustomerToken::parse(std::string_view text) {
  std::array<std::uint8_t, 16> bytes{};
  if (!decode_base32(text, bytes)) {
    throw InvalidArgument("not a customer token: expected 26 characters of a-z and 2-7");
  }
  return CustomerToken(bytes);
}

TokenHash CustomerToken::hash() const { return sha256(bytes_.data(), bytes_.size()); }

TokenHash hash_presented_token(std::string_view presented) {
  std::array<std::uint8_t, 16> bytes{};
  if (decode_base32(presented, bytes)) {
    return sha256(bytes.data(), bytes.size());
  }
  // Hash the raw text with a prefix no 16-byte input can produce, so a non-token
  // never equals a stored hash yet costs the same work as a real one.
  std::string salted = "not-a-token:";
  salted.append(presented);
  return sha256(salted.data(), salted.size());
}

bool token_hash_equal(const TokenHash& a, const TokenHash& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace supportgw
