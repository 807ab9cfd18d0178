#pragma once
// Since SDK 1.3. What a channel acting for the vendor's staff (the JSON API, after it
// checked an API key) may do to a ticket, and what it may ask of the escalation schedule.

#include <chrono>
#include <string>

namespace supportgw::sdk {

// Changes applied together, in this order, in one transaction: severity and owner, the
// response, then the status. Empty / zero members leave things as they are.
struct TicketChange {
  std::string reference;
  std::string actor;            // who, as the history shows it ("api:crm-sync")
  int severity = 0;             // 1..N of the policy; 0 = unchanged
  std::string owner;            // the staff member who takes the ticket; "" = unchanged
  std::string response;         // an answer to the customer (mailed); "" = none
  bool await_customer = false;  // with a response: the ticket waits for the customer
  // "open" (from "solved": a reopen), "pending-customer", "solved", "closed"; "" = unchanged.
  std::string status;
  std::string note;  // why; kept in the history
};

// One escalation action the gateway will fire (ChannelContext::escalations_due()).
struct EscalationDue {
  std::string reference;
  int severity = 0;
  std::string kind;  // "step", "repage", "sla-breach"
  // The step's label from the policy ("Director of Customer Services"), or for an SLA
  // breach the target ("first_response", "update_interval", "resolution").
  std::string what;
  std::chrono::system_clock::time_point due_at{};
};

}  // namespace supportgw::sdk
