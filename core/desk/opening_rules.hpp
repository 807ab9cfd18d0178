#pragma once
// What a vendor's policy adds to a ticket at the moment it is opened, shared by every
// way a ticket is opened (TicketDesk::create, the intake pipeline) so the rules live
// in one place:
// - arriving while the after-hours calendar is closed applies that severity's
//   after-hours rule: its flags now, and a page to on-call once the ticket exists;
// - a ticket without a billing group gets the one the policy's billing rules choose.
//
// Stateless functions; the policy and calendars must outlive the calls.

#include "core/domain/ticket.hpp"
#include "core/policy/policy.hpp"
#include "core/sla/calendar_set.hpp"
#include "core/store/store.hpp"
#include "core/util/time.hpp"

namespace supportgw {

// Sets the after-hours flags and the billing group on `ticket` (whose severity must be
// a level of the policy). Returns the after-hours rule that applied, or nullptr when the
// after-hours calendar is open at `now`.
const policy::AfterHoursRule* apply_opening_rules(const policy::Policy& policy,
                                                  const sla::CalendarSet& calendars,
                                                  NewTicket& ticket, Timestamp now);

// Pages whom `rule` names (when its action is to page), as outbox rows and an
// "escalated" event of `ticket`, inside `tx`. Does nothing for a null rule.
void page_after_hours(WriteTransaction& tx, const policy::Policy& policy,
                      const policy::AfterHoursRule* rule, const Ticket& ticket, Timestamp now);

}  // namespace supportgw
