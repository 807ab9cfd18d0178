#pragma once
// Which severity a new contact gets, and why, in this order:
//   1. the severity the sender chose, when the policy defines that level;
//   2. a route the policy maps to a level (channel name, and the route inside it
//      when the policy names one: JetNet's hotline "phone:option-3" is level 1);
//   3. keywords: the most severe level with a keyword in the subject or text (any
//      letter case, as a whole word or phrase);
//   4. the policy's default severity.
// Stateless and thread-safe; the policy must outlive the call.

#include <string>

#include "core/policy/policy.hpp"
#include "supportgw/sdk/inbound_message.hpp"

namespace supportgw::intake {

struct SeverityChoice {
  int level = 0;
  // For the ticket's history: "severity 1 (Urgent): route phone:option-3".
  std::string reason;
};

SeverityChoice classify_severity(const policy::Policy& policy, const sdk::InboundMessage& message);

}  // namespace supportgw::intake
