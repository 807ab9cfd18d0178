#include "core/tickets/ticket_operations.hpp"

#include "core/domain/lifecycle.hpp"
#include "core/util/error.hpp"

namespace supportgw::tickets {
namespace {

// Outside input is bounded before it reaches the store (a form or a mail can carry
// anything); a description is the largest text a person types.
constexpr std::size_t kMaxSubjectBytes = 1'000;
constexpr std::size_t kMaxDescriptionBytes = 1'000'000;
constexpr std::size_t kMaxFieldBytes = 1'000;

void check_length(std::string_view field, std::string_view value, std::size_t max) {
  if (value.size() > max) {
    throw InvalidArgument(std::string(field) + " is " + std::to_string(value.size()) +
                          " bytes long; the limit is " + std::to_string(max));
  }
}

void check_severity(int severity) {
  if (severity < 1) {
    throw InvalidArgument("severity must be a level from 1 (most severe) upwards, not " +
                          std::to_string(severity));
  }
}

Ticket move_status(WriteTransaction& tx, std::string_view reference, std::string_view verb,
                   TicketStatus to, TransitionKind kind, EventKind event_kind,
                   std::string_view note, const Actor& actor, Timestamp now) {
  Ticket ticket = require(tx, reference);
  check_transition(ticket.reference, verb, ticket.status, to, kind);
  Event event = actor_event(ticket.id, event_kind, actor, now, note);
  event.changes.push_back(
      FieldChange{"status", std::string(to_string(ticket.status)), std::string(to_string(to))});
  ticket.status = to;
  // A reopen starts a new round: an acknowledgement of the last round's escalation no
  // longer holds (ladders that stop on "acknowledged" must be able to fire again).
  if (kind == TransitionKind::reopen) {
    if (auto acknowledged = ticket.flags.find("acknowledged"); acknowledged != ticket.flags.end()) {
      event.changes.push_back(FieldChange{"flag:acknowledged", acknowledged->second, ""});
      ticket.flags.erase(acknowledged);
    }
  }
  ticket.updated_at = now;
  tx.update_ticket(ticket);
  tx.append_event(event);
  return ticket;
}

void record_change(std::vector<FieldChange>& changes, std::string_view field, std::string& current,
                   const std::optional<std::string>& wanted) {
  if (wanted && *wanted != current) {
    changes.push_back(FieldChange{std::string(field), current, *wanted});
    current = *wanted;
  }
}

}  // namespace

Ticket require(ReadTransaction& tx, std::string_view reference) {
  auto ticket = tx.ticket_by_reference(reference);
  if (!ticket) {
    throw NotFound("ticket " + std::string(reference) + ": no such ticket");
  }
  return std::move(*ticket);
}

CreatedTicket create(WriteTransaction& tx, const NewTicket& new_ticket,
                     const ReferenceFormat& format, CivilDate reference_date,
                     const CustomerToken& token, const Actor& actor, Timestamp now,
                     OriginKey origin_key) {
  // A contact with no channel named came through the acting one (the CLI, an API).
  Origin origin = new_ticket.origin;
  if (origin.channel.empty()) {
    origin.channel = actor.channel;
  }
  const bool keeps_key = !origin.id.empty() && origin_key == OriginKey::kept_here;
  if (keeps_key) {
    if (auto seen = tx.intake_record(origin)) {
      auto ticket = tx.ticket_by_id(seen->ticket_id);
      if (!ticket) {
        throw StoreError("intake key " + origin.channel + "/" + origin.id + " names ticket id " +
                         std::to_string(seen->ticket_id) + ", which does not exist");
      }
      return CreatedTicket{std::move(*ticket), {}, true};
    }
  }
  if (new_ticket.subject.empty()) {
    throw InvalidArgument("a new ticket needs a subject");
  }
  check_length("subject", new_ticket.subject, kMaxSubjectBytes);
  check_length("description", new_ticket.description, kMaxDescriptionBytes);
  for (const std::string* field :
       {&new_ticket.customer.name, &new_ticket.customer.company, &new_ticket.customer.email,
        &new_ticket.customer.phone, &new_ticket.product, &new_ticket.product_version,
        &new_ticket.billing_group, &new_ticket.origin.id}) {
    check_length("a ticket field", *field, kMaxFieldBytes);
  }
  check_severity(new_ticket.severity);

  Ticket ticket;
  const std::uint64_t sequence = tx.next_sequence(format.sequence_scope(reference_date));
  ticket.reference = format.render(reference_date, sequence);
  ticket.subject = new_ticket.subject;
  ticket.description = new_ticket.description;
  ticket.severity = new_ticket.severity;
  ticket.status = TicketStatus::fresh;
  ticket.customer = new_ticket.customer;
  ticket.product = new_ticket.product;
  ticket.product_version = new_ticket.product_version;
  ticket.origin = origin;
  ticket.flags = new_ticket.flags;
  ticket.billing_group = new_ticket.billing_group;
  ticket.created_at = now;
  ticket.updated_at = now;
  ticket.id = tx.insert_ticket(ticket, token.hash());

  Event created = actor_event(ticket.id, EventKind::created, actor, now, ticket.subject);
  created.changes.push_back(FieldChange{"status", "", "new"});
  created.changes.push_back(FieldChange{"severity", "", std::to_string(ticket.severity)});
  const EventId event_id = tx.append_event(created);
  if (keeps_key) {
    tx.record_intake(
        IntakeRecord{ticket.origin, ticket.id, event_id, "created", now, ticket.severity, {}, {}});
  }
  return CreatedTicket{std::move(ticket), token.text(), false, event_id};
}

Ticket respond(WriteTransaction& tx, std::string_view reference, const Response& response,
               const Actor& actor, Timestamp now) {
  if (response.message.empty()) {
    throw InvalidArgument("ticket " + std::string(reference) + ": a response needs a message");
  }
  check_length("response", response.message, kMaxDescriptionBytes);
  Ticket ticket = require(tx, reference);
  if (ticket.status == TicketStatus::solved || ticket.status == TicketStatus::closed) {
    throw IllegalTransition("ticket " + ticket.reference + ": cannot respond: the ticket is '" +
                            std::string(to_string(ticket.status)) + "'; reopen it first");
  }
  Event event = actor_event(ticket.id, EventKind::responded, actor, now, response.message);
  const TicketStatus to =
      response.await_customer ? TicketStatus::pending_customer : TicketStatus::open;
  if (to != ticket.status) {
    check_transition(ticket.reference, "respond", ticket.status, to);
    event.changes.push_back(
        FieldChange{"status", std::string(to_string(ticket.status)), std::string(to_string(to))});
    ticket.status = to;
  }
  ticket.updated_at = now;
  tx.update_ticket(ticket);
  tx.append_event(event);
  if (!ticket.customer.email.empty()) {
    tx.enqueue_outbox(NewOutboxMessage{ticket.id, "mail", ticket.customer.email,
                                       "[" + ticket.reference + "] " + ticket.subject,
                                       response.message, std::nullopt},
                      now);
  }
  return ticket;
}

Ticket resolve(WriteTransaction& tx, std::string_view reference, std::string_view note,
               const Actor& actor, Timestamp now) {
  return move_status(tx, reference, "resolve", TicketStatus::solved, TransitionKind::ordinary,
                     EventKind::status_changed, note, actor, now);
}

Ticket close(WriteTransaction& tx, std::string_view reference, std::string_view note,
             const Actor& actor, Timestamp now) {
  return move_status(tx, reference, "close", TicketStatus::closed, TransitionKind::ordinary,
                     EventKind::status_changed, note, actor, now);
}

Ticket reopen(WriteTransaction& tx, std::string_view reference, std::string_view note,
              const Actor& actor, Timestamp now) {
  return move_status(tx, reference, "reopen", TicketStatus::open, TransitionKind::reopen,
                     EventKind::reopened, note, actor, now);
}

Ticket update(WriteTransaction& tx, std::string_view reference, const TicketUpdate& update,
              const Actor& actor, Timestamp now) {
  Ticket ticket = require(tx, reference);
  std::vector<FieldChange> changes;
  if (update.subject && update.subject->empty()) {
    throw InvalidArgument("ticket " + ticket.reference + ": the subject cannot be empty");
  }
  if (update.subject) {
    check_length("subject", *update.subject, kMaxSubjectBytes);
  }
  if (update.description) {
    check_length("description", *update.description, kMaxDescriptionBytes);
  }
  record_change(changes, "subject", ticket.subject, update.subject);
  record_change(changes, "description", ticket.description, update.description);
  if (update.severity && *update.severity != ticket.severity) {
    check_severity(*update.severity);
    changes.push_back(
        FieldChange{"severity", std::to_string(ticket.severity), std::to_string(*update.severity)});
    ticket.severity = *update.severity;
  }
  if (update.status && *update.status != ticket.status) {
    check_transition(ticket.reference, "update", ticket.status, *update.status);
    changes.push_back(FieldChange{"status", std::string(to_string(ticket.status)),
                                  std::string(to_string(*update.status))});
    ticket.status = *update.status;
  }
  record_change(changes, "product", ticket.product, update.product);
  record_change(changes, "product_version", ticket.product_version, update.product_version);
  record_change(changes, "billing_group", ticket.billing_group, update.billing_group);
  if (update.customer) {
    record_change(changes, "customer.name", ticket.customer.name, update.customer->name);
    record_change(changes, "customer.company", ticket.customer.company, update.customer->company);
    record_change(changes, "customer.email", ticket.customer.email, update.customer->email);
    record_change(changes, "customer.phone", ticket.customer.phone, update.customer->phone);
  }
  for (const std::string& flag : update.clear_flags) {
    auto found = ticket.flags.find(flag);
    if (found != ticket.flags.end()) {
      changes.push_back(FieldChange{"flag:" + flag, found->second, ""});
      ticket.flags.erase(found);
    }
  }
  for (const auto& [flag, value] : update.set_flags) {
    if (flag.empty()) {
      throw InvalidArgument("ticket " + ticket.reference + ": a flag needs a name");
    }
    auto found = ticket.flags.find(flag);
    if (found == ticket.flags.end() || found->second != value) {
      changes.push_back(
          FieldChange{"flag:" + flag, found == ticket.flags.end() ? "" : found->second, value});
      ticket.flags[flag] = value;
    }
  }
  if (changes.empty() && update.note.empty()) {
    return ticket;
  }
  Event event =
      actor_event(ticket.id, changes.empty() ? EventKind::comment : EventKind::fields_changed,
                  actor, now, update.note);
  event.changes = std::move(changes);
  ticket.updated_at = now;
  tx.update_ticket(ticket);
  tx.append_event(event);
  return ticket;
}

bool verify_token(ReadTransaction& tx, std::string_view reference, std::string_view presented) {
  const auto ticket = tx.ticket_by_reference(reference);
  return verify_token(tx, ticket ? &*ticket : nullptr, presented);
}

bool verify_token(ReadTransaction& tx, const Ticket* ticket, std::string_view presented) {
  const TokenHash presented_hash = hash_presented_token(presented);
  const auto stored = ticket != nullptr ? tx.token_hash(ticket->id) : std::nullopt;
  // Compare against something either way so an unknown reference takes as long.
  const TokenHash expected = stored.value_or(TokenHash{});
  return token_hash_equal(presented_hash, expected) && stored.has_value();
}

}  // namespace supportgw::tickets
