#pragma once
// A key for the vendor's JSON API (/api/v1/), made by `supportgw apikey create`.
//
// The key itself (32 random bytes, hex) is printed once and never stored: only its
// SHA-256 is. As with customer tokens, 256 bits of entropy leave nothing to brute-force,
// so a fast hash is safe and a leaked database reveals no key. Revoked keys stay listed
// (who had access, until when) but no longer open the API.

#include <cstdint>
#include <optional>
#include <string>

#include "core/domain/ticket.hpp"

namespace supportgw {

struct ApiKey {
  std::int64_t id = 0;
  std::string name;      // who or what uses it ("crm-sync"), for lists and the log
  std::string key_hash;  // SHA-256 of the key, 64 lowercase hex digits
  Timestamp created_at{};
  std::optional<Timestamp> revoked_at;
};

}  // namespace supportgw
