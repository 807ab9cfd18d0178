#include "core/domain/ticket_status.hpp"

namespace supportgw {

std::string_view to_string(TicketStatus status) {
  switch (status) {
    case TicketStatus::fresh:
      return "new";
    case TicketStatus::open:
      return "open";
    case TicketStatus::pending_customer:
      return "pending-customer";
    case TicketStatus::solved:
      return "solved";
    case TicketStatus::closed:
      return "closed";
  }
  return "invalid";
}

std::optional<TicketStatus> parse_ticket_status(std::string_view text) {
  for (TicketStatus status : kAllTicketStatuses) {
    if (to_string(status) == text) {
      return status;
    }
  }
  return std::nullopt;
}

}  // namespace supportgw
