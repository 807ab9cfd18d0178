#pragma once
// The append-only history of a ticket: who or what changed what, when, and through
// which channel. The store refuses to update or delete an event.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/ticket.hpp"
#include "core/util/time.hpp"

namespace supportgw {

using EventId = std::int64_t;

enum class EventKind {
  created,           // the ticket was opened
  status_changed,    // a lifecycle move other than a reopen
  reopened,          // solved -> open
  responded,         // support answered the customer
  customer_replied,  // the customer added to the ticket
  fields_changed,    // severity, product, flags, ... changed
  comment,           // an internal note
  attachment_added,  // a file was attached
  escalated,         // an escalation step or re-page fired
  sla_breached,      // an SLA clock ran out before its target was met
  incident,          // a known incident the ticket is linked to was posted or updated
};

std::string_view to_string(EventKind kind);
std::optional<EventKind> parse_event_kind(std::string_view text);

struct FieldChange {
  std::string field;
  std::string old_value;
  std::string new_value;
  friend bool operator==(const FieldChange&, const FieldChange&) = default;
};

// Who acted, and through which channel ("cli:alice" via "cli", "customer" via "email").
struct Actor {
  std::string name;
  std::string channel;
};

struct Event {
  EventId id = 0;
  TicketId ticket_id = 0;
  Timestamp at{};
  EventKind kind = EventKind::comment;
  std::string actor;
  std::string channel;
  std::string text;
  std::vector<FieldChange> changes;
  friend bool operator==(const Event&, const Event&) = default;
};

// An event `actor` caused, with its text.
Event actor_event(TicketId ticket, EventKind kind, const Actor& actor, Timestamp at,
                  std::string_view text);

// An event the gateway records by itself: actor "system:<what>", channel "system".
Event system_event(TicketId ticket, EventKind kind, std::string_view what, Timestamp at);

}  // namespace supportgw
