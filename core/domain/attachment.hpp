#pragma once
// What the core knows of a file attached to a ticket. The bytes live at
// `storage_path`; channels write them there durably before the row is made.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/domain/ticket.hpp"
#include "core/util/time.hpp"

namespace supportgw {

using AttachmentId = std::int64_t;

struct Attachment {
  AttachmentId id = 0;
  TicketId ticket_id = 0;
  std::string file_name;       // sanitised name as the customer sees it
  std::uint64_t size = 0;      // bytes
  std::string sha256;          // 64 lowercase hex digits
  std::string storage_path;    // where the gateway keeps the bytes
  std::string source_channel;  // the channel instance it came through
  Timestamp created_at{};
  // Set once the retention sweep deleted the bytes (the policy's [uploads] retention).
  std::optional<Timestamp> deleted_at;
  friend bool operator==(const Attachment&, const Attachment&) = default;
};

// Whether `text` is a SHA-256 as attachments keep it: 64 lowercase hex digits.
bool is_sha256_hex(std::string_view text);

}  // namespace supportgw
