#pragma once
// What can be done to a ticket, as steps inside one write transaction. Each step loads
// the ticket, applies the lifecycle rules, writes the change and the event that
// records it (and outbox rows where someone must hear of it), all in the caller's
// transaction — so an intake can chain several steps and still commit atomically.
//
// Every step throws NotFound for an unknown reference and IllegalTransition for a move
// the lifecycle refuses; both messages name the ticket.

#include <optional>
#include <string>
#include <string_view>

#include "core/domain/customer_token.hpp"
#include "core/domain/event.hpp"
#include "core/domain/reference_format.hpp"
#include "core/domain/ticket.hpp"
#include "core/store/store.hpp"

namespace supportgw::tickets {

struct CreatedTicket {
  Ticket ticket;
  // The customer's token in clear, present only when this call made the ticket: it is
  // shown once and never stored. Empty when `duplicate` is set.
  std::string token;
  // True when the origin (channel, id) had been taken in before: `ticket` is the one
  // that intake made, and nothing new was written.
  bool duplicate = false;
  // The ticket's "created" event; 0 when `duplicate` is set.
  EventId created_event = 0;
};

// Who keeps the intake key of new_ticket.origin: create() itself (it looks the key up
// first and records it), or a caller that looked it up earlier in the same unit of work
// and records a fuller record of its own afterwards (intake's pipeline), so the key is
// read and written once per ticket, not three times and twice.
enum class OriginKey { kept_here, kept_by_caller };

// Opens a ticket numbered by `format` on `reference_date`. When new_ticket.origin.id is
// set (and `origin_key` is kept_here), a second call with the same origin returns the
// first ticket (duplicate = true). Throws InvalidArgument when a required field is
// missing.
CreatedTicket create(WriteTransaction& tx, const NewTicket& new_ticket,
                     const ReferenceFormat& format, CivilDate reference_date,
                     const CustomerToken& token, const Actor& actor, Timestamp now,
                     OriginKey origin_key = OriginKey::kept_here);

// The ticket with `reference`, or NotFound.
Ticket require(ReadTransaction& tx, std::string_view reference);

struct Response {
  std::string message;
  // Hand the ticket to the customer (pending-customer) rather than keep it open.
  bool await_customer = false;
};

// Support answers the customer: records the response, moves new/pending tickets to
// open (or to pending-customer when asked), and queues a mail to the customer when
// the ticket has an address. Refused on solved and closed tickets.
Ticket respond(WriteTransaction& tx, std::string_view reference, const Response& response,
               const Actor& actor, Timestamp now);

Ticket resolve(WriteTransaction& tx, std::string_view reference, std::string_view note,
               const Actor& actor, Timestamp now);
Ticket close(WriteTransaction& tx, std::string_view reference, std::string_view note,
             const Actor& actor, Timestamp now);
// Solved -> open, recorded as a "reopened" event; clears the flag "acknowledged" (an
// acknowledgement belongs to the round before), recording that in the same event.
Ticket reopen(WriteTransaction& tx, std::string_view reference, std::string_view note,
              const Actor& actor, Timestamp now);

// Field changes; unset members stay as they are.
struct TicketUpdate {
  std::optional<std::string> subject;
  std::optional<std::string> description;
  std::optional<int> severity;
  std::optional<TicketStatus> status;
  std::optional<std::string> product;
  std::optional<std::string> product_version;
  std::optional<std::string> billing_group;
  std::optional<Customer> customer;
  std::map<std::string, std::string> set_flags;
  std::vector<std::string> clear_flags;
  std::string note;
};

// Applies `update`, recording every changed field (old and new value) in one event;
// a status change goes through the lifecycle rules. An update that changes nothing
// writes nothing.
Ticket update(WriteTransaction& tx, std::string_view reference, const TicketUpdate& update,
              const Actor& actor, Timestamp now);

// True when `presented` is the customer token of `reference`; compared in constant
// time, and false (not NotFound) for an unknown reference so callers cannot probe.
bool verify_token(ReadTransaction& tx, std::string_view reference, std::string_view presented);
// The same for a ticket the caller has read already (nullptr: none by that reference).
bool verify_token(ReadTransaction& tx, const Ticket* ticket, std::string_view presented);

}  // namespace supportgw::tickets
