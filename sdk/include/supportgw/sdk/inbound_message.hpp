#pragma once
// What a channel hands the gateway for every contact it takes in, and what it gets
// back. Plain data with standard types only, so a plugin built against this header
// depends on nothing of the host's build.
//
// Ownership: the host copies what it needs during submit(); nothing here is kept by
// reference. Attachments are files the channel has already written durably to its
// storage folder (temporary file, fsync, rename); the host references them in place and
// never reads them into memory whole.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace supportgw::sdk {

// Who sent it, as far as the channel knows. Any field may be empty.
struct SenderIdentity {
  std::string name;
  std::string email;
  std::string phone;
  std::string company;
};

// A file that came with the contact.
struct InboundAttachment {
  std::string file_name;     // as the customer named it; the host sanitises it again
  std::string stored_path;   // where the channel put the bytes (its storage folder)
  std::uint64_t size = 0;    // bytes
  std::string sha256;        // 64 lowercase hex digits, computed while receiving
  std::string content_type;  // as declared by the sender, if any
};

struct InboundMessage {
  // The channel instance's name in gateway.toml ("email", "phone-hotline").
  std::string channel;
  // The channel's own id of this contact (Message-ID, voicemail msg_id, upload id):
  // the same contact delivered twice has the same id and makes one ticket.
  std::string origin_id;
  SenderIdentity sender;
  // Where it was sent to: a mailbox, an IVR option ("option-3"), a form. Policies map
  // routes to severities (an emergency hotline).
  std::string route;
  std::string subject;
  std::string text;
  // A reference the sender gave explicitly (a form field, an FTP user name).
  std::string claimed_reference;
  // A customer token presented with the claimed reference (web ticket page, FTP).
  std::string claimed_token;
  // Thread ids: for mail, Message-IDs from In-Reply-To and References.
  std::vector<std::string> thread_ids;
  // A severity the sender chose, when the channel lets them (a web form).
  std::optional<int> requested_severity;
  // Channel-specific hints, and structured fields the channel collected (a form's
  // product, version, system details). Hints intake understands:
  //   "emergency-line" = "true"  the contact came through an emergency line: severity 1
  //   "severity" = "2"           the channel's own classification of the urgency
  //   "bypass" = "jo@vendor"     sent to a person, not a support route: flagged "bypass"
  // Severity is chosen in this order: requested (when a level), the policy's routes,
  // these hints, the policy's keywords, the policy's default.
  std::map<std::string, std::string> hints;
  std::map<std::string, std::string> fields;
  std::vector<InboundAttachment> attachments;
  std::chrono::system_clock::time_point received_at{};
  // The contact says the problem is over (a monitoring system's "resolved"): intake adds
  // it to the ticket it follows up and marks that ticket solved. Without a ticket to
  // follow up, the new ticket is opened and solved at once, so the history shows it.
  bool marks_solved = false;
};

// What the gateway made of a message.
struct IntakeResult {
  enum class Outcome {
    created,    // a new ticket
    updated,    // a follow-up added to an existing ticket
    reopened,   // a reply reopened a solved ticket
    duplicate,  // this (channel, origin id) was taken in before: the first result
  };
  Outcome outcome = Outcome::created;
  std::string reference;
  // The customer's token, only when this message created the ticket (shown once).
  std::string token;
  int severity = 0;
  // The acknowledgement text for the customer, in the policy's language (what the
  // channel says back: a web page, an SMTP reply is not it — mail goes via the outbox).
  std::string acknowledgement;
  // Why intake decided as it did ("matched by reference in subject; sender is the
  // requester"), for logs.
  std::string trace;
};

}  // namespace supportgw::sdk
