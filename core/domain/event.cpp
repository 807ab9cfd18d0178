#include "core/domain/event.hpp"

#include <array>
#include <utility>

namespace supportgw {
namespace {

constexpr std::array<std::pair<EventKind, std::string_view>, 11> kNames = {{
    {EventKind::created, "created"},
    {EventKind::status_changed, "status-changed"},
    {EventKind::reopened, "reopened"},
    {EventKind::responded, "responded"},
    {EventKind::customer_replied, "customer-replied"},
    {EventKind::fields_changed, "fields-changed"},
    {EventKind::comment, "comment"},
    {EventKind::attachment_added, "attachment-added"},
    {EventKind::escalated, "escalated"},
    {EventKind::sla_breached, "sla-breached"},
    {EventKind::incident, "incident"},
}};

}  // namespace

std::string_view to_string(EventKind kind) {
  for (const auto& [k, name] : kNames) {
    if (k == kind) {
      return name;
    }
  }
  return "invalid";
}

std::optional<EventKind> parse_event_kind(std::string_view text) {
  for (const auto& [k, name] : kNames) {
    if (name == text) {
      return k;
    }
  }
  return std::nullopt;
}

Event actor_event(TicketId ticket, EventKind kind, const Actor& actor, Timestamp at,
                  std::string_view text) {
  Event event;
  event.ticket_id = ticket;
  event.at = at;
  event.kind = kind;
  event.actor = actor.name;
  event.channel = actor.channel;
  event.text = text;
  return event;
}

Event system_event(TicketId ticket, EventKind kind, std::string_view what, Timestamp at) {
  Event event;
  event.ticket_id = ticket;
  event.at = at;
  event.kind = kind;
  event.actor = "system:" + std::string(what);
  event.channel = "system";
  return event;
}

}  // namespace supportgw
