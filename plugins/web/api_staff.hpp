#pragma once
// The vendor's side of the JSON API, without the network: reading the bodies of ticket
// changes and responses, and writing the escalations due.
//   PATCH /api/v1/tickets/{reference}
//       {"severity": 2, "status": "solved", "owner": "alice", "note": "..."}
//   POST  /api/v1/tickets/{reference}/responses
//       {"message": "...", "await_customer": false, "status": "solved", "note": "..."}
//   GET   /api/v1/escalations?before=<RFC 3339>&limit=N
//       {"escalations": [{"reference", "severity", "kind", "what", "due_at", "overdue"}]}

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <supportgw/sdk/ticket_change.hpp>

#include "api.hpp"

namespace web {

// Fills `change` (severity, status, owner, note) or returns a 400 problem. At least one
// of severity, status and owner is required; unknown members are refused.
std::optional<Problem> read_ticket_change(std::string_view body,
                                          supportgw::sdk::TicketChange& change);

// Fills `change` (response, await_customer, and optionally status and note) or returns
// a 400 problem. `message` is required.
std::optional<Problem> read_ticket_response(std::string_view body,
                                            supportgw::sdk::TicketChange& change);

std::string escalations_json(const std::vector<supportgw::sdk::EscalationDue>& due,
                             std::chrono::system_clock::time_point now);

// "2026-12-02T15:04:05Z" (or with an offset, or fractional seconds) as a time point;
// nullopt when it is not RFC 3339.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

}  // namespace web
