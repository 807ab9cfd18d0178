#include "core/tickets/upload_refusal.hpp"

#include <string>

#include "core/domain/event.hpp"
#include "core/policy/language.hpp"

namespace supportgw::tickets {

std::string refused_upload_subject(std::string_view language, std::string_view reference,
                                   std::string_view file_name) {
  if (policy::speaks_german(language)) {
    return "[" + std::string(reference) + "] Datei nicht angenommen: " + std::string(file_name);
  }
  return "[" + std::string(reference) + "] File not attached: " + std::string(file_name);
}

std::string refused_upload_text(std::string_view language, std::string_view reference,
                                std::string_view file_name, std::uint64_t size) {
  const std::string ref(reference);
  const std::string name(file_name);
  const std::string bytes = std::to_string(size);
  if (policy::speaks_german(language)) {
    return "Ihre Datei " + name + " (" + bytes + " Bytes) kam über unseren Upload-Server an, " +
           "nachdem das Ticket " + ref + " geschlossen worden war. Sie wurde deshalb nicht " +
           "an das Ticket angehängt.\n\nFalls das Problem weiter besteht oder wieder auftritt, " +
           "eröffnen Sie bitte ein neues Ticket (gern mit Verweis auf " + ref +
           ") und laden Sie die Datei dort hoch.\n";
  }
  return "Your file " + name + " (" + bytes + " bytes) reached our upload server after ticket " +
         ref + " was closed, so it was not attached to the ticket.\n\nIf the problem " +
         "persists or is back, please open a new ticket (you may mention " + ref +
         ") and upload the file there.\n";
}

bool record_refused_upload(WriteTransaction& tx, const Ticket& ticket, const RefusedUpload& file,
                           std::string_view language, Timestamp now) {
  const Origin refusal{file.origin.channel, file.origin.id + "#refused"};
  if (tx.intake_record(refusal)) return false;
  const EventId event = tx.append_event(
      actor_event(ticket.id, EventKind::comment, Actor{"system", file.origin.channel}, now,
                  std::string(file.file_name) + " (" + std::to_string(file.size) +
                      " bytes) arrived after the ticket was closed: not attached" +
                      (ticket.customer.email.empty() ? "; the customer has no address to tell"
                                                     : "; the customer was told by mail")));
  if (!ticket.customer.email.empty()) {
    tx.enqueue_outbox(
        NewOutboxMessage{ticket.id, "mail", ticket.customer.email,
                         refused_upload_subject(language, ticket.reference, file.file_name),
                         refused_upload_text(language, ticket.reference, file.file_name, file.size),
                         std::nullopt},
        now);
  }
  IntakeRecord record;
  record.origin = refusal;
  record.ticket_id = ticket.id;
  record.event_id = event;
  record.outcome = "refused";
  record.at = now;
  tx.record_intake(record);
  return true;
}

}  // namespace supportgw::tickets
