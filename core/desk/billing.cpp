#include "core/desk/billing.hpp"

#include <algorithm>
#include <cctype>

namespace supportgw {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool rule_matches(const policy::BillingRule& rule, const NewTicket& ticket, bool after_hours,
                  const std::string& text) {
  if (rule.after_hours && *rule.after_hours != after_hours) {
    return false;
  }
  if (!rule.severities.empty() && std::find(rule.severities.begin(), rule.severities.end(),
                                            ticket.severity) == rule.severities.end()) {
    return false;
  }
  if (!rule.channels.empty() && std::find(rule.channels.begin(), rule.channels.end(),
                                          ticket.origin.channel) == rule.channels.end()) {
    return false;
  }
  if (!rule.flags.empty() &&
      std::none_of(rule.flags.begin(), rule.flags.end(),
                   [&](const std::string& flag) { return ticket.flags.contains(flag); })) {
    return false;
  }
  if (!rule.keywords.empty() &&
      std::none_of(rule.keywords.begin(), rule.keywords.end(), [&](const std::string& keyword) {
        return text.find(lower(keyword)) != std::string::npos;
      })) {
    return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> choose_billing_group(const policy::Billing& billing,
                                                const NewTicket& ticket, bool after_hours) {
  const std::string text = lower(ticket.subject + "\n" + ticket.description);
  for (const policy::BillingRule& rule : billing.rules) {
    if (rule_matches(rule, ticket, after_hours, text)) {
      return rule.group;
    }
  }
  return billing.default_group;
}

}  // namespace supportgw
