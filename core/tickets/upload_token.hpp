#pragma once
// The customer's token as an upload credential: it opens uploads (FTP, SFTP, the web) for
// the policy's [uploads] token_lifetime after it was issued, and support can renew it —
// keeping it, or issuing a new one — for as long as the ticket is not closed (Cisco's
// case number + upload token model). Viewing and commenting by token never expire.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/domain/customer_token.hpp"
#include "core/domain/event.hpp"
#include "core/domain/ticket.hpp"
#include "core/store/store.hpp"

namespace supportgw::tickets {

// When `ticket`'s token stops opening uploads; none when `lifetime` is zero (no limit).
std::optional<Timestamp> upload_token_expiry(ReadTransaction& tx, const Ticket& ticket,
                                             std::chrono::minutes lifetime);

// Throws IllegalTransition, naming the ticket and what to do, when `ticket` takes no
// uploads at `now`: it is closed, or its token expired. Does not check the token itself
// (verify_token does, and answers wrong tokens and unknown tickets alike).
void require_upload_allowed(ReadTransaction& tx, const Ticket& ticket,
                            std::chrono::minutes lifetime, Timestamp now);

struct RenewedToken {
  Ticket ticket;
  Timestamp issued_at{};
  // The new token in clear when one was issued (shown once, and mailed to the customer
  // when the ticket has an address); empty when the old token was kept.
  std::string token;
};

// Renews the token of `reference` as of `now`: with `fresh`, the old token stops working
// and `fresh` replaces it (mailed to the customer through the outbox); without, the old
// one is kept and its upload lifetime starts again. Recorded in the history (never the
// token itself). Throws NotFound, or IllegalTransition for a closed ticket.
RenewedToken renew_token(WriteTransaction& tx, std::string_view reference,
                         const CustomerToken* fresh, const Actor& actor, Timestamp now);

}  // namespace supportgw::tickets
