#pragma once
// Which status changes a ticket may make. The rule is a table, not scattered ifs, so
// the tests can walk every pair and the refusal says why in words an operator reads.
//
//   new ──▶ open ◀──▶ pending-customer
//    │       │              │
//    └───────┴──────▶ solved ◀┘ ──▶ closed
//                       │
//                       └──▶ open   (only as a reopen)

#include <optional>
#include <string>
#include <string_view>

#include "core/domain/ticket_status.hpp"

namespace supportgw {

enum class TransitionKind {
  ordinary,  // new -> open, open -> solved, ...
  reopen,    // solved -> open: recorded as a "reopened" event
};

// Nullopt when `from -> to` is allowed as `kind`, else the reason it is refused.
std::optional<std::string> transition_refusal(TicketStatus from, TicketStatus to,
                                              TransitionKind kind = TransitionKind::ordinary);

// Throws IllegalTransition "ticket <reference>: cannot <verb>: <reason>" when refused.
void check_transition(std::string_view reference, std::string_view verb, TicketStatus from,
                      TicketStatus to, TransitionKind kind = TransitionKind::ordinary);

}  // namespace supportgw
