#pragma once
// Finds the existing ticket a contact continues, trying in order (each as the policy
// switches it on):
//   1. our reference in the subject (follow_up.reference_in_subject);
//   2. our reference in the text (follow_up.reference_in_body);
//   3. the reference the sender claimed; with a claimed token it must verify (compared
//      in constant time) or it is no match;
//   4. a thread id (Message-ID) the ticket's conversation used;
//   5. the customer's own ticket number (follow_up.customer_ticket_pattern), remembered
//      per ticket when first seen.
// References of our format that name no ticket are passed over. Matches by subject
// only, by an unverified claimed reference and by the customer's number are trusted
// only when the sender is the ticket's requester; the caller decides what to do with
// an untrusted match (FollowUpMatch::trusted).
//
// Thread-safety: const after construction; match() may run on many threads at once.

#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "core/domain/reference_format.hpp"
#include "core/domain/ticket.hpp"
#include "core/policy/policy.hpp"
#include "core/store/store.hpp"
#include "supportgw/sdk/inbound_message.hpp"

namespace supportgw::intake {

// The kinds under which ticket_keys remembers conversation keys.
inline constexpr std::string_view kThreadKey = "thread";
inline constexpr std::string_view kCustomerTicketKey = "customer-ticket";

struct FollowUpMatch {
  Ticket ticket;
  // "reference in subject; sender is the requester"
  std::string trace;
  // False when the match needs the sender to be the requester and they are not.
  bool trusted = true;
};

// True when the sender's email (any letter case) or phone (digits only, at least six)
// is the ticket customer's.
bool is_requester(const Ticket& ticket, const sdk::SenderIdentity& sender);

class FollowUpMatcher {
 public:
  // Throws InvalidArgument when the policy's customer_ticket_pattern is no ECMAScript
  // regex (the policy parser checks it; this names the policy file again).
  explicit FollowUpMatcher(const policy::Policy& policy);

  // The ticket `message` continues, or none. `notes` gets what was passed over
  // ("claimed reference X: wrong token; ").
  std::optional<FollowUpMatch> match(ReadTransaction& tx, const sdk::InboundMessage& message,
                                     std::string& notes) const;

  // The customer's own ticket numbers in the subject and the start of the text (none
  // when the policy has no pattern).
  std::vector<std::string> customer_ticket_numbers(const sdk::InboundMessage& message) const;

  const ReferenceFormat& format() const { return format_; }

 private:
  const policy::FollowUp& rules_;
  ReferenceFormat format_;
  std::optional<std::regex> customer_pattern_;
};

}  // namespace supportgw::intake
