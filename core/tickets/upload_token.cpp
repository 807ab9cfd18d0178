#include "core/tickets/upload_token.hpp"

#include "core/tickets/ticket_operations.hpp"
#include "core/util/error.hpp"
#include "core/util/time.hpp"

namespace supportgw::tickets {

std::optional<Timestamp> upload_token_expiry(ReadTransaction& tx, const Ticket& ticket,
                                             std::chrono::minutes lifetime) {
  if (lifetime <= std::chrono::minutes::zero()) {
    return std::nullopt;
  }
  const Timestamp issued = tx.token_issued_at(ticket.id).value_or(ticket.created_at);
  return issued + lifetime;
}

void require_upload_allowed(ReadTransaction& tx, const Ticket& ticket,
                            std::chrono::minutes lifetime, Timestamp now) {
  if (ticket.status == TicketStatus::closed) {
    throw IllegalTransition("Ticket " + ticket.reference +
                            " is closed: it takes no more uploads. Open a new ticket.");
  }
  const auto expiry = upload_token_expiry(tx, ticket, lifetime);
  if (expiry && now >= *expiry) {
    throw IllegalTransition("The token of ticket " + ticket.reference +
                            " stopped opening uploads at " + format_utc(*expiry) +
                            ": ask support to renew it.");
  }
}

RenewedToken renew_token(WriteTransaction& tx, std::string_view reference,
                         const CustomerToken* fresh, const Actor& actor, Timestamp now) {
  Ticket ticket = require(tx, reference);
  if (ticket.status == TicketStatus::closed) {
    throw IllegalTransition("ticket " + ticket.reference +
                            " is closed; its token can no longer be renewed");
  }
  tx.renew_token(ticket.id, fresh ? std::optional(fresh->hash()) : std::nullopt, now);
  tx.append_event(actor_event(ticket.id, EventKind::comment, actor, now,
                              fresh ? "A new customer token was issued (the old one no longer "
                                      "works)."
                                    : "The customer token was renewed for uploads."));
  if (fresh && !ticket.customer.email.empty()) {
    tx.enqueue_outbox(
        NewOutboxMessage{ticket.id, "mail", ticket.customer.email,
                         "[" + ticket.reference + "] Your new ticket token",
                         "Your ticket " + ticket.reference +
                             " has a new token; the one you had before no longer works.\n\n"
                             "Token: " +
                             fresh->text() +
                             "\n\nUse it with the reference to see the ticket and to upload "
                             "files (as the FTP password).\n",
                         std::nullopt},
        now);
  }
  return RenewedToken{std::move(ticket), now, fresh ? fresh->text() : std::string()};
}

}  // namespace supportgw::tickets
