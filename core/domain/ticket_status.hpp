#pragma once
// The statuses a ticket moves through (DESIGN.md, "Status").

#include <array>
#include <optional>
#include <string_view>

namespace supportgw {

enum class TicketStatus {
  fresh,             // "new": received, nobody has answered yet
  open,              // support is working on it
  pending_customer,  // waiting for the customer; SLA clocks pause here
  solved,            // support considers it answered; a reply may reopen it
  closed,            // final; a later contact makes a new ticket linked to this one
};

inline constexpr std::array<TicketStatus, 5> kAllTicketStatuses = {
    TicketStatus::fresh, TicketStatus::open, TicketStatus::pending_customer, TicketStatus::solved,
    TicketStatus::closed};

// The wire name: "new", "open", "pending-customer", "solved", "closed".
std::string_view to_string(TicketStatus status);

// Accepts the wire names; nullopt for anything else.
std::optional<TicketStatus> parse_ticket_status(std::string_view text);

}  // namespace supportgw
