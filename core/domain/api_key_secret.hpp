#pragma once
// Making and recognising API keys (api_key.hpp says why only the hash is kept).

#include <string>
#include <string_view>

namespace supportgw {

// A fresh key: "sgw_" and 64 hex digits (32 bytes from OpenSSL's CSPRNG). The prefix lets
// secret scanners and people recognise a leaked key. Throws Error if the CSPRNG fails.
std::string generate_api_key();

// SHA-256 of `key` as 64 lowercase hex digits: what the store keeps and looks up.
std::string api_key_hash(std::string_view key);

}  // namespace supportgw
