#include "core/desk/opening_rules.hpp"

#include "core/desk/billing.hpp"
#include "core/sla/recipients.hpp"

namespace supportgw {

const policy::AfterHoursRule* apply_opening_rules(const policy::Policy& policy,
                                                  const sla::CalendarSet& calendars,
                                                  NewTicket& ticket, Timestamp now) {
  // After hours: the severity's rule decides (routine waits, emergencies page).
  const policy::AfterHoursRule* rule = nullptr;
  if (!calendars.get(policy.after_hours.calendar).is_open(now)) {
    rule = &policy.after_hours.rule_for(ticket.severity);
    for (const auto& [flag, value] : rule->set_flags) {
      ticket.flags[flag] = value;
    }
  }
  if (ticket.billing_group.empty()) {
    ticket.billing_group =
        choose_billing_group(policy.billing, ticket, rule != nullptr).value_or("");
  }
  return rule;
}

void page_after_hours(WriteTransaction& tx, const policy::Policy& policy,
                      const policy::AfterHoursRule* rule, const Ticket& ticket, Timestamp now) {
  if (rule == nullptr || rule->action != policy::AfterHoursAction::page || !rule->page) {
    return;
  }
  Event paged = system_event(ticket.id, EventKind::escalated, "after-hours", now);
  paged.text = "after hours:";
  for (const policy::Contact* contact : sla::resolve(policy, *rule->page, now)) {
    if (!sla::enqueue_page(tx, ticket, *contact,
                           "[" + ticket.reference + "] After hours: " + ticket.subject,
                           "Severity " + std::to_string(ticket.severity) +
                               " ticket opened after hours: " + ticket.subject,
                           now)) {
      continue;
    }
    paged.text += " paged " + contact->name;
  }
  tx.append_event(paged);
}

}  // namespace supportgw
