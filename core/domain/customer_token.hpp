#pragma once
// The secret a customer gets with a new ticket: it proves, together with the
// reference, that they may see the ticket, add to it and upload dumps to it.
//
// 128 bits from OpenSSL's CSPRNG, shown as 26 lowercase base32 characters (RFC 4648
// alphabet, no padding) so it survives being read over the phone and typed as an FTP
// password. Only its SHA-256 is stored: with 128 bits of entropy a fast hash is safe
// (nothing to brute-force), and it keeps a leaked database from revealing tokens.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace supportgw {

using TokenHash = std::array<std::uint8_t, 32>;

class CustomerToken {
 public:
  // A fresh token. Throws Error if the CSPRNG fails (it is never silently weaker).
  static CustomerToken generate();

  // Accepts the shown form in either letter case, with or without '-' groupings.
  // Throws InvalidArgument when the text is not a token.
  static CustomerToken parse(std::string_view text);

  // The 26-character form shown to the customer once.
  const std::string& text() const { return text_; }
  TokenHash hash() const;

 private:
  explicit CustomerToken(std::array<std::uint8_t, 16> bytes);
  std::array<std::uint8_t, 16> bytes_;
  std::string text_;
};

// SHA-256 of whatever the customer typed, normalised as parse() does; text that is no
// token hashes to a value no stored hash has, so callers need not special-case it.
TokenHash hash_presented_token(std::string_view presented);

// Constant-time comparison: the time taken does not depend on where the hashes differ.
bool token_hash_equal(const TokenHash& a, const TokenHash& b);

}  // namespace supportgw
