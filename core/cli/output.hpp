#pragma once
// How the CLI shows tickets: aligned text for people, one JSON document for scripts.
// Kept apart from the commands so the daemon's API can reuse the JSON shapes later.

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "core/domain/attachment.hpp"
#include "core/domain/event.hpp"
#include "core/domain/ticket.hpp"

namespace supportgw::cli {

std::string ticket_json(const Ticket& ticket);
std::string ticket_detail_json(const Ticket& ticket, const std::vector<Event>& events,
                               const std::vector<Attachment>& attachments);
std::string ticket_list_json(const std::vector<Ticket>& tickets);
std::string created_json(const Ticket& ticket, const std::string& token, bool duplicate);
// `ticket renew-token`: when, the new token if one was issued, and until when uploads are
// open (null: the policy sets no token lifetime, or none was named).
std::string renewed_token_json(const Ticket& ticket, Timestamp issued_at,
                               const std::string& new_token,
                               std::optional<Timestamp> uploads_until);

void print_ticket_line(std::ostream& out, const Ticket& ticket);
void print_ticket_detail(std::ostream& out, const Ticket& ticket, const std::vector<Event>& events,
                         const std::vector<Attachment>& attachments);

}  // namespace supportgw::cli
