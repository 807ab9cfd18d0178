#pragma once
// Notifications waiting to be delivered. A row is written in the same transaction as
// the change that causes it, so a crash can neither lose nor invent one; a dispatcher
// delivers pending rows through a channel's sender and marks them sent.

#include <cstdint>
#include <optional>
#include <string>

#include "core/domain/ticket.hpp"
#include "core/util/time.hpp"

namespace supportgw {

using OutboxId = std::int64_t;

enum class OutboxStatus { pending, sent, failed };

struct OutboxMessage {
  OutboxId id = 0;
  std::optional<TicketId> ticket_id;  // none for messages about no single ticket
  std::string kind;                   // the sender kind: "mail", "page", "webhook"
  std::string recipient;
  std::string subject;
  std::string body;
  OutboxStatus status = OutboxStatus::pending;
  int attempts = 0;
  Timestamp created_at{};
  Timestamp next_attempt_at{};
  std::string last_error;
};

}  // namespace supportgw
