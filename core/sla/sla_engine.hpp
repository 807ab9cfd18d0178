#pragma once
// SLA clocks and escalation ladders, applied to tickets inside the caller's write
// transaction. The engine holds no state of its own: everything it decides is written
// to the store (clocks, the ladder's arm, scheduled actions, events, outbox rows) in
// the same transaction as the change that caused it, so a crash can neither lose nor
// repeat a notification.
//
// Rules (docs/policy.md, "SLA clocks and escalation"):
// - Clocks start when the ticket is opened (first response, resolution) or at the
//   first staff response (update interval, restarted by every response). Each spends
//   an open-time budget on its calendar (business days become the open time they span
//   from the start), pauses while the ticket is pending the customer when its target
//   says so, and is met by the response or the resolve it waits for.
// - A ladder is armed at opening and re-armed at a reopen (when rearm_on_reopen) and
//   at a severity change (the new level's ladder, timed from the same arm instant).
//   Re-arming makes every pending action of the old arm stale.
// - Actions are checked again when they fire: a step whose `unless` or the ladder's
//   `stop_when` holds then is skipped, a breach of a met clock is skipped, an action of
//   an older arm is cancelled. Conditions: responded = the first response was given;
//   resolved = solved or closed; acknowledged = flag "acknowledged"; owned = flag "owner".
// - An action firing more than a minute after its due time is marked late (catch-up
//   after downtime); it still fires, once, in due order.
//
// Thread-safety: const and stateless; the policy and calendars must outlive it.

#include <chrono>
#include <string>
#include <vector>

#include "core/domain/escalation.hpp"
#include "core/policy/policy.hpp"
#include "core/sla/calendar_set.hpp"
#include "core/store/store.hpp"

namespace supportgw::sla {

using NewActions = std::vector<ScheduledAction>;

struct FireResult {
  ScheduleStatus status = ScheduleStatus::fired;
  std::string note;      // why skipped or cancelled; what was done when fired
  NewActions scheduled;  // re-pages and re-armed steps this firing added
};

class SlaEngine {
 public:
  static constexpr std::chrono::minutes kLateAfter{1};

  SlaEngine(const policy::Policy& policy, const CalendarSet& calendars);

  // Each hook gets the ticket as it is after the change, and returns the actions it
  // scheduled (for an in-memory scheduler to queue once the transaction commits).
  NewActions ticket_opened(WriteTransaction& tx, const Ticket& ticket, Timestamp now) const;
  NewActions staff_responded(WriteTransaction& tx, const Ticket& ticket, Timestamp now) const;
  NewActions status_changed(WriteTransaction& tx, const Ticket& ticket, TicketStatus from,
                            Timestamp now) const;
  NewActions severity_changed(WriteTransaction& tx, const Ticket& ticket, Timestamp now) const;

  // Carries out a pending action that is due: writes its events and outbox rows and
  // ends the action (fired, skipped or cancelled) in `tx`.
  FireResult fire(WriteTransaction& tx, const ScheduledAction& action, Timestamp now) const;

  const policy::Policy& policy() const { return policy_; }
  const CalendarSet& calendars() const { return calendars_; }
  // A human description of a pending action: "step 1 (Director) of severity 1".
  std::string describe(const ScheduledAction& action, int severity) const;

 private:
  NewActions start_clocks(WriteTransaction& tx, const Ticket& ticket, Timestamp start,
                          bool first_response, bool resolution) const;
  NewActions start_clock(WriteTransaction& tx, const Ticket& ticket, policy::SlaKind kind,
                         Timestamp start) const;
  NewActions arm(WriteTransaction& tx, const Ticket& ticket, int generation, Timestamp armed_at,
                 Timestamp now) const;
  NewActions schedule_share_steps(WriteTransaction& tx, const Ticket& ticket,
                                  const EscalationArm& arm, const std::string& clock_kind) const;
  void cancel_pending(WriteTransaction& tx, TicketId id, Timestamp now, const std::string& why,
                      const std::string& only_clock = {}) const;
  FireResult fire_breach(WriteTransaction& tx, const Ticket& ticket, const ScheduledAction& action,
                         Timestamp now, bool late) const;
  FireResult fire_step(WriteTransaction& tx, const Ticket& ticket, const ScheduledAction& action,
                       Timestamp now, bool late) const;
  bool holds(WriteTransaction& tx, const Ticket& ticket, policy::Condition condition) const;
  const policy::SlaTarget* target_of(const Ticket& ticket, std::string_view clock_kind) const;

  const policy::Policy& policy_;
  const CalendarSet& calendars_;
};

}  // namespace supportgw::sla
