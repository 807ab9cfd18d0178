#include "core/intake/follow_up_matcher.hpp"

#include <algorithm>

#include "core/intake/text_match.hpp"
#include "core/tickets/ticket_operations.hpp"
#include "core/util/error.hpp"

namespace supportgw::intake {
namespace {

// libstdc++'s regex matcher recurses per character matched, so the customer pattern
// only sees the subject and the start of the text: enough for a ticket number, and
// bounded whatever the message carries.
constexpr std::size_t kPatternTextWindow = 4'000;
constexpr std::size_t kMaxCustomerNumbers = 20;
constexpr std::size_t kMinPhoneDigits = 6;

std::string digits_of(std::string_view phone) {
  std::string digits;
  std::copy_if(phone.begin(), phone.end(), std::back_inserter(digits),
               [](char c) { return c >= '0' && c <= '9'; });
  return digits;
}

std::string sender_relation(const Ticket& ticket, const sdk::SenderIdentity& sender) {
  return is_requester(ticket, sender) ? "sender is the requester" : "sender is not the requester";
}

}  // namespace

bool is_requester(const Ticket& ticket, const sdk::SenderIdentity& sender) {
  if (!sender.email.empty() && !ticket.customer.email.empty() &&
      ascii_lower(sender.email) == ascii_lower(ticket.customer.email)) {
    return true;
  }
  const std::string phone = digits_of(sender.phone);
  return phone.size() >= kMinPhoneDigits && phone == digits_of(ticket.customer.phone);
}

FollowUpMatcher::FollowUpMatcher(const policy::Policy& policy)
    : rules_(policy.follow_up), format_(policy.vendor.reference_format) {
  if (rules_.customer_ticket_pattern) {
    try {
      customer_pattern_.emplace(*rules_.customer_ticket_pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& error) {
      throw InvalidArgument(policy.source + ": follow_up.customer_ticket_pattern '" +
                            *rules_.customer_ticket_pattern +
                            "' is no regular expression: " + error.what());
    }
  }
}

std::vector<std::string> FollowUpMatcher::customer_ticket_numbers(
    const sdk::InboundMessage& message) const {
  std::vector<std::string> numbers;
  if (!customer_pattern_) {
    return numbers;
  }
  const std::string haystack =
      message.subject + "\n" +
      std::string(std::string_view(message.text).substr(0, kPatternTextWindow));
  for (auto it = std::sregex_iterator(haystack.begin(), haystack.end(), *customer_pattern_);
       it != std::sregex_iterator() && numbers.size() < kMaxCustomerNumbers; ++it) {
    const std::string number = it->str();
    if (!number.empty() && std::find(numbers.begin(), numbers.end(), number) == numbers.end()) {
      numbers.push_back(number);
    }
  }
  return numbers;
}

std::optional<FollowUpMatch> FollowUpMatcher::match(ReadTransaction& tx,
                                                    const sdk::InboundMessage& message,
                                                    std::string& notes) const {
  const auto body_references =
      rules_.reference_in_body ? format_.find_all(message.text) : std::vector<std::string>{};
  auto in_body = [&](const std::string& reference) {
    return std::find(body_references.begin(), body_references.end(), reference) !=
           body_references.end();
  };
  auto found = [&](const std::string& reference) {
    auto ticket = tx.ticket_by_reference(reference);
    if (!ticket) {
      notes += "reference " + reference + " names no ticket; ";
    }
    return ticket;
  };

  if (rules_.reference_in_subject) {
    for (const std::string& reference : format_.find_all(message.subject)) {
      if (auto ticket = found(reference)) {
        // Anyone can type a reference into a subject; the body quoting the same one
        // is what a real reply carries, so only a subject-only match asks who sent it.
        if (in_body(reference)) {
          return FollowUpMatch{std::move(*ticket), "matched by reference in subject and body",
                               true};
        }
        const bool requester = is_requester(*ticket, message.sender);
        const std::string relation = sender_relation(*ticket, message.sender);
        return FollowUpMatch{std::move(*ticket), "matched by reference in subject; " + relation,
                             requester};
      }
    }
  }
  for (const std::string& reference : body_references) {
    if (auto ticket = found(reference)) {
      return FollowUpMatch{std::move(*ticket), "matched by reference in body", true};
    }
  }
  if (!message.claimed_reference.empty() && format_.matches(message.claimed_reference)) {
    const std::string reference = format_.find_all(message.claimed_reference).front();
    if (!message.claimed_token.empty()) {
      if (tickets::verify_token(tx, reference, message.claimed_token)) {
        if (auto ticket = found(reference)) {
          return FollowUpMatch{std::move(*ticket), "matched by claimed reference and token", true};
        }
      } else {
        notes += "claimed reference " + reference + " with a wrong token; ";
      }
    } else if (auto ticket = found(reference)) {
      const bool requester = is_requester(*ticket, message.sender);
      const std::string relation = sender_relation(*ticket, message.sender);
      return FollowUpMatch{std::move(*ticket),
                           "matched by claimed reference without token; " + relation, requester};
    }
  }
  for (const std::string& thread_id : message.thread_ids) {
    if (const auto id = tx.ticket_by_key(kThreadKey, thread_id)) {
      if (auto ticket = tx.ticket_by_id(*id)) {
        return FollowUpMatch{std::move(*ticket), "matched by thread id " + thread_id, true};
      }
    }
  }
  for (const std::string& number : customer_ticket_numbers(message)) {
    if (const auto id = tx.ticket_by_key(kCustomerTicketKey, number)) {
      if (auto ticket = tx.ticket_by_id(*id)) {
        // Customer numbers are not unique across customers: only the requester's counts.
        if (is_requester(*ticket, message.sender)) {
          return FollowUpMatch{
              std::move(*ticket),
              "matched by customer ticket number " + number + "; sender is the requester", true};
        }
        notes += "customer ticket number " + number + " belongs to another customer; ";
      }
    }
  }
  return std::nullopt;
}

}  // namespace supportgw::intake
