#pragma once
// A ticket and the data that comes with it. Plain structs: the rules live in
// lifecycle.hpp and tickets/ticket_service.hpp, the persistence in store/.

#include <cstdint>
#include <map>
#include <string>

#include "core/domain/ticket_status.hpp"
#include "core/util/time.hpp"

namespace supportgw {

using TicketId = std::int64_t;

// Who asked for support. Every field may be empty: a voicemail has a phone number and
// no address, a web form may have no phone.
struct Customer {
  std::string name;
  std::string company;
  std::string email;
  std::string phone;
  friend bool operator==(const Customer&, const Customer&) = default;
};

// Where a ticket came from: the channel instance and that channel's own id of the
// contact (a Message-ID, a voicemail msg_id). The pair is unique across all intakes.
struct Origin {
  std::string channel;
  std::string id;
  friend bool operator==(const Origin&, const Origin&) = default;
};

// What intake compares a new contact with: a recent ticket of the same customer.
struct TicketSubject {
  TicketId id = 0;
  std::string reference;
  std::string subject;
  Timestamp created_at{};
};

struct Ticket {
  TicketId id = 0;
  std::string reference;  // e.g. "SR-2026-000123"
  std::string subject;
  std::string description;
  // A level 1..N defined by the vendor's policy; 1 is the most severe.
  int severity = 0;
  TicketStatus status = TicketStatus::fresh;
  Customer customer;
  std::string product;
  std::string product_version;
  Origin origin;
  // Named markers with an optional value: "after-hours", "duplicate-of" = "SR-...".
  std::map<std::string, std::string> flags;
  std::string billing_group;
  Timestamp created_at{};
  Timestamp updated_at{};
  friend bool operator==(const Ticket&, const Ticket&) = default;
};

// What a caller supplies to open a ticket; the reference, token, status and times are
// the core's to set.
struct NewTicket {
  std::string subject;
  std::string description;
  int severity = 0;
  Customer customer;
  std::string product;
  std::string product_version;
  Origin origin;
  std::map<std::string, std::string> flags;
  std::string billing_group;
};

}  // namespace supportgw
