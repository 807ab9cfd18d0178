#pragma once
// The texts intake sends back to a customer, in the policy's language: German for a
// tag starting "de", English otherwise. Stateless and thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "core/domain/incident.hpp"
#include "core/policy/policy.hpp"

namespace supportgw::intake {

struct NewTicketNotice {
  std::string reference;
  int severity = 0;
  // When to expect the first response, already in the vendor's time zone; none while
  // the clock waits for the customer (missing fields).
  std::optional<std::string> first_response_due;
  std::vector<std::string> missing_fields;  // labels in the policy's language
  std::vector<Incident> known_incidents;    // open incidents the ticket was linked to
};

// Subject of the acknowledgement mail: "[NC-2026-00012] <subject>", so a reply keeps
// the reference where intake looks first.
std::string acknowledgement_subject(const std::string& reference, const std::string& subject);

// The acknowledgement of a new ticket: reference, severity name, when to expect a first
// response, the known incidents it seems to be part of, what is missing, and how to add
// files (reply with the reference in the subject).
std::string new_ticket_text(const policy::Policy& policy, const NewTicketNotice& notice);

// One line for a message added to (or reopening) an existing ticket.
std::string follow_up_text(const policy::Policy& policy, const std::string& reference,
                           bool reopened);

}  // namespace supportgw::intake
