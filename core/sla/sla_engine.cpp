#include "core/sla/sla_engine.hpp"

#include <algorithm>
#include <cmath>

#include "core/sla/due_time.hpp"
#include "core/sla/recipients.hpp"
#include "core/util/error.hpp"

namespace supportgw::sla {
namespace {

using std::chrono::milliseconds;

constexpr policy::SlaKind kKinds[] = {
    policy::SlaKind::first_response, policy::SlaKind::update_interval, policy::SlaKind::resolution};

std::optional<policy::SlaKind> kind_named(std::string_view name) {
  for (policy::SlaKind kind : kKinds) {
    if (policy::to_string(kind) == name) {
      return kind;
    }
  }
  return std::nullopt;
}

SlaClock* find_clock(std::vector<SlaClock>& clocks, std::string_view kind) {
  for (SlaClock& clock : clocks) {
    if (clock.kind == kind) {
      return &clock;
    }
  }
  return nullptr;
}

bool is_finished(TicketStatus status) {
  return status == TicketStatus::solved || status == TicketStatus::closed;
}

std::string describe_duration(milliseconds duration) {
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(duration).count();
  if (minutes < 60) {
    return std::to_string(minutes) + "m";
  }
  const auto hours = minutes / 60;
  return hours < 48 ? std::to_string(hours) + "h" +
                          (minutes % 60 ? std::to_string(minutes % 60) + "m" : "")
                    : std::to_string(hours / 24) + "d" +
                          (hours % 24 ? std::to_string(hours % 24) + "h" : "");
}

std::string recipient_text(const policy::Recipient& recipient) {
  switch (recipient.kind) {
    case policy::Recipient::Kind::contact:
      return "contact " + recipient.name;
    case policy::Recipient::Kind::role:
      return "role " + recipient.name;
    case policy::Recipient::Kind::rotation:
      return "on-call " + recipient.name;
  }
  return recipient.name;
}

// When a clock running since `from` with `remaining` open time left runs out. A
// business-days target ends at an opening ("within 2 business days" of a Saturday is
// Wednesday 08:00, as add_business_days says), never at the closing before it.
Timestamp clock_due(const calendar::BusinessCalendar& calendar, Timestamp from,
                    std::int64_t remaining_ms, const policy::SlaTarget* target) {
  const Timestamp end = calendar.add(from, milliseconds(std::max<std::int64_t>(0, remaining_ms)));
  if (target != nullptr && target->within.duration.kind == policy::Duration::Kind::business_days) {
    return calendar.next_opening(end);
  }
  return end;
}

// Schedules the breach of a running clock at its due time.
ScheduledAction schedule_breach(WriteTransaction& tx, const SlaClock& clock) {
  ScheduledAction breach;
  breach.ticket_id = clock.ticket_id;
  breach.kind = ScheduleKind::sla_breach;
  breach.sla = clock.kind;
  breach.due_at = clock.due_at.value();
  breach.id = tx.schedule_action(breach);
  return breach;
}

}  // namespace

SlaEngine::SlaEngine(const policy::Policy& policy, const CalendarSet& calendars)
    : policy_(policy), calendars_(calendars) {}

std::string SlaEngine::describe(const ScheduledAction& action, int severity) const {
  switch (action.kind) {
    case ScheduleKind::sla_breach:
      return action.sla + " target runs out";
    case ScheduleKind::step:
    case ScheduleKind::repage: {
      std::string label = "step " + std::to_string(action.step + 1);
      if (severity >= 1 && severity <= static_cast<int>(policy_.severities.size())) {
        const auto& steps = policy_.severity(severity).escalation.steps;
        if (action.step >= 0 && action.step < static_cast<int>(steps.size())) {
          label = steps[static_cast<std::size_t>(action.step)].label;
        }
      }
      return action.kind == ScheduleKind::repage
                 ? "re-page " + std::to_string(action.repage) + " of '" + label + "'"
                 : "escalation '" + label + "'";
    }
  }
  return "action";
}

NewActions SlaEngine::start_clock(WriteTransaction& tx, const Ticket& ticket, policy::SlaKind kind,
                                  Timestamp start) const {
  const policy::SlaTarget* target = policy_.severity(ticket.severity).sla.find(kind);
  if (target == nullptr) {
    return {};
  }
  const auto& calendar = calendars_.get(target->within.calendar);
  SlaClock clock;
  clock.ticket_id = ticket.id;
  clock.kind = std::string(policy::to_string(kind));
  clock.calendar = target->within.calendar;
  clock.budget_ms = open_time_budget(calendar, start, target->within.duration).count();
  clock.pauses_while_pending = target->pauses_while_pending_customer;
  clock.started_at = start;
  if (ticket.status == TicketStatus::pending_customer && clock.pauses_while_pending) {
    tx.put_sla_clock(clock);
    return {};
  }
  clock.running_since = start;
  clock.due_at = clock_due(calendar, start, clock.budget_ms, target);
  tx.put_sla_clock(clock);
  return {schedule_breach(tx, clock)};
}

NewActions SlaEngine::start_clocks(WriteTransaction& tx, const Ticket& ticket, Timestamp start,
                                   bool first_response, bool resolution) const {
  NewActions added;
  if (first_response) {
    auto more = start_clock(tx, ticket, policy::SlaKind::first_response, start);
    added.insert(added.end(), more.begin(), more.end());
  }
  if (resolution) {
    auto more = start_clock(tx, ticket, policy::SlaKind::resolution, start);
    added.insert(added.end(), more.begin(), more.end());
  }
  return added;
}

NewActions SlaEngine::arm(WriteTransaction& tx, const Ticket& ticket, int generation,
                          Timestamp armed_at, Timestamp now) const {
  const EscalationArm arm{ticket.id, generation, armed_at, ticket.severity};
  tx.put_escalation_arm(arm);
  NewActions added;
  const auto& steps = policy_.severity(ticket.severity).escalation.steps;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& trigger = steps[i].trigger;
    if (trigger.kind != policy::EscalationTrigger::Kind::elapsed) {
      continue;  // share-of-target steps follow their clock, below
    }
    ScheduledAction step;
    step.ticket_id = ticket.id;
    step.kind = ScheduleKind::step;
    step.step = static_cast<int>(i);
    step.generation = generation;
    step.due_at =
        due_after(calendars_.get(trigger.after.calendar), armed_at, trigger.after.duration);
    step.id = tx.schedule_action(step);
    added.push_back(step);
  }
  for (policy::SlaKind kind : kKinds) {
    auto more = schedule_share_steps(tx, ticket, arm, std::string(policy::to_string(kind)));
    added.insert(added.end(), more.begin(), more.end());
  }
  (void)now;
  return added;
}

NewActions SlaEngine::schedule_share_steps(WriteTransaction& tx, const Ticket& ticket,
                                           const EscalationArm& arm,
                                           const std::string& clock_kind) const {
  auto clocks = tx.sla_clocks(ticket.id);
  const SlaClock* clock = find_clock(clocks, clock_kind);
  if (clock == nullptr || !clock->running_since || clock->met_at) {
    return {};
  }
  // Steps of this arm that already ran are not scheduled again after a resume.
  std::vector<int> done;
  for (const ScheduledAction& action : tx.ticket_actions(ticket.id)) {
    if (action.kind == ScheduleKind::step && action.generation == arm.generation &&
        (action.status == ScheduleStatus::fired || action.status == ScheduleStatus::skipped ||
         action.status == ScheduleStatus::pending)) {
      done.push_back(action.step);
    }
  }
  NewActions added;
  const auto& calendar = calendars_.get(clock->calendar);
  const auto& steps = policy_.severity(arm.severity).escalation.steps;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& trigger = steps[i].trigger;
    if (trigger.kind != policy::EscalationTrigger::Kind::share_of_target ||
        policy::to_string(trigger.target) != clock_kind ||
        std::find(done.begin(), done.end(), static_cast<int>(i)) != done.end()) {
      continue;
    }
    const auto wanted = static_cast<std::int64_t>(
        std::llround(trigger.share * static_cast<double>(clock->budget_ms)));
    const auto remaining = std::max<std::int64_t>(0, wanted - clock->consumed_ms);
    ScheduledAction step;
    step.ticket_id = ticket.id;
    step.kind = ScheduleKind::step;
    step.step = static_cast<int>(i);
    step.generation = arm.generation;
    // At the whole target the warning falls on the breach itself, never before it.
    step.due_at = trigger.share >= 1.0 && clock->due_at
                      ? *clock->due_at
                      : calendar.add(*clock->running_since, milliseconds(remaining));
    step.id = tx.schedule_action(step);
    added.push_back(step);
  }
  return added;
}

void SlaEngine::cancel_pending(WriteTransaction& tx, TicketId id, Timestamp now,
                               const std::string& why, const std::string& only_clock) const {
  std::optional<EscalationArm> arm;
  for (const ScheduledAction& action : tx.pending_actions(id)) {
    if (!only_clock.empty()) {
      // Only what follows this clock: its breach and share-of-target steps on it.
      bool follows = action.kind == ScheduleKind::sla_breach && action.sla == only_clock;
      if (action.kind == ScheduleKind::step) {
        if (!arm) {
          arm = tx.escalation_arm(id);
        }
        if (arm && arm->generation == action.generation) {
          const auto& steps = policy_.severity(arm->severity).escalation.steps;
          const auto& trigger = steps.at(static_cast<std::size_t>(action.step)).trigger;
          follows = trigger.kind == policy::EscalationTrigger::Kind::share_of_target &&
                    policy::to_string(trigger.target) == only_clock;
        }
      }
      if (!follows) {
        continue;
      }
    }
    tx.finish_action(action.id, ScheduleStatus::cancelled, now, false, why);
  }
}

NewActions SlaEngine::ticket_opened(WriteTransaction& tx, const Ticket& ticket,
                                    Timestamp now) const {
  NewActions added = start_clocks(tx, ticket, ticket.created_at, true, true);
  auto steps = arm(tx, ticket, 1, ticket.created_at, now);
  added.insert(added.end(), steps.begin(), steps.end());
  return added;
}

NewActions SlaEngine::staff_responded(WriteTransaction& tx, const Ticket& ticket,
                                      Timestamp now) const {
  auto clocks = tx.sla_clocks(ticket.id);
  const std::string first(policy::to_string(policy::SlaKind::first_response));
  const std::string update(policy::to_string(policy::SlaKind::update_interval));
  if (SlaClock* clock = find_clock(clocks, first); clock != nullptr && !clock->met_at) {
    if (clock->running_since) {
      clock->consumed_ms +=
          calendars_.get(clock->calendar).between(*clock->running_since, now).count();
    }
    clock->met_at = now;
    clock->running_since.reset();
    clock->due_at.reset();
    tx.put_sla_clock(*clock);
    cancel_pending(tx, ticket.id, now, "first response given", first);
  }
  // "Tracked daily": every response restarts the update clock.
  cancel_pending(tx, ticket.id, now, "updated", update);
  return start_clock(tx, ticket, policy::SlaKind::update_interval, now);
}

NewActions SlaEngine::status_changed(WriteTransaction& tx, const Ticket& ticket, TicketStatus from,
                                     Timestamp now) const {
  const TicketStatus to = ticket.status;
  NewActions added;
  auto clocks = tx.sla_clocks(ticket.id);
  if (is_finished(to)) {
    for (SlaClock& clock : clocks) {
      if (clock.running_since) {
        clock.consumed_ms +=
            calendars_.get(clock.calendar).between(*clock.running_since, now).count();
      }
      if (clock.kind == policy::to_string(policy::SlaKind::resolution) && !clock.met_at) {
        clock.met_at = now;
      }
      clock.running_since.reset();
      clock.due_at.reset();
      tx.put_sla_clock(clock);
    }
    cancel_pending(tx, ticket.id, now, std::string("ticket ") + std::string(to_string(to)));
    return added;
  }
  if (to == TicketStatus::pending_customer) {
    for (SlaClock& clock : clocks) {
      if (clock.pauses_while_pending && clock.running_since && !clock.met_at) {
        clock.consumed_ms +=
            calendars_.get(clock.calendar).between(*clock.running_since, now).count();
        clock.running_since.reset();
        clock.due_at.reset();
        tx.put_sla_clock(clock);
        cancel_pending(tx, ticket.id, now, "paused: pending the customer", clock.kind);
      }
    }
    return added;
  }
  if (from == TicketStatus::solved && to == TicketStatus::open) {
    // A reopen: the resolution and update clocks start afresh, an unanswered first
    // response resumes, and the ladder is armed again from now.
    const auto& ladder = policy_.severity(ticket.severity).escalation;
    for (SlaClock& clock : clocks) {
      if (clock.kind == policy::to_string(policy::SlaKind::first_response) && !clock.met_at) {
        const auto& calendar = calendars_.get(clock.calendar);
        clock.running_since = now;
        clock.due_at = clock_due(calendar, now, clock.budget_ms - clock.consumed_ms,
                                 target_of(ticket, clock.kind));
        tx.put_sla_clock(clock);
        added.push_back(schedule_breach(tx, clock));
      }
    }
    auto more = start_clock(tx, ticket, policy::SlaKind::resolution, now);
    added.insert(added.end(), more.begin(), more.end());
    const bool answered = std::any_of(clocks.begin(), clocks.end(), [](const SlaClock& c) {
      return c.kind == policy::to_string(policy::SlaKind::first_response) && c.met_at;
    });
    if (answered) {
      more = start_clock(tx, ticket, policy::SlaKind::update_interval, now);
      added.insert(added.end(), more.begin(), more.end());
    }
    if (ladder.rearm_on_reopen) {
      const auto old = tx.escalation_arm(ticket.id);
      more = arm(tx, ticket, old ? old->generation + 1 : 1, now, now);
      added.insert(added.end(), more.begin(), more.end());
    }
    return added;
  }
  if (from == TicketStatus::pending_customer) {
    // Resume: spend what is left of each paused budget from now.
    const auto arm_now = tx.escalation_arm(ticket.id);
    for (SlaClock& clock : clocks) {
      if (clock.running_since || clock.met_at) {
        continue;
      }
      const auto& calendar = calendars_.get(clock.calendar);
      clock.running_since = now;
      clock.due_at = clock_due(calendar, now, clock.budget_ms - clock.consumed_ms,
                               target_of(ticket, clock.kind));
      tx.put_sla_clock(clock);
      if (!clock.breached_at) {
        added.push_back(schedule_breach(tx, clock));
      }
      if (arm_now) {
        auto more = schedule_share_steps(tx, ticket, *arm_now, clock.kind);
        added.insert(added.end(), more.begin(), more.end());
      }
    }
  }
  return added;
}

NewActions SlaEngine::severity_changed(WriteTransaction& tx, const Ticket& ticket,
                                       Timestamp now) const {
  cancel_pending(tx, ticket.id, now, "severity changed to " + std::to_string(ticket.severity));
  const auto& targets = policy_.severity(ticket.severity).sla;
  auto clocks = tx.sla_clocks(ticket.id);
  NewActions added;
  for (SlaClock& clock : clocks) {
    const auto kind = kind_named(clock.kind);
    const policy::SlaTarget* target = kind ? targets.find(*kind) : nullptr;
    if (target == nullptr || clock.met_at) {
      continue;
    }
    const auto& calendar = calendars_.get(target->within.calendar);
    if (clock.running_since) {
      clock.consumed_ms +=
          calendars_.get(clock.calendar).between(*clock.running_since, now).count();
    }
    if (clock.calendar != target->within.calendar) {
      // Another calendar: what was spent is measured again on it (pauses are not
      // recorded one by one, so this counts from the clock's start).
      clock.consumed_ms =
          std::max<milliseconds>(milliseconds(0), calendar.between(clock.started_at, now)).count();
    }
    clock.calendar = target->within.calendar;
    clock.budget_ms = open_time_budget(calendar, clock.started_at, target->within.duration).count();
    clock.pauses_while_pending = target->pauses_while_pending_customer;
    const bool paused =
        ticket.status == TicketStatus::pending_customer && clock.pauses_while_pending;
    clock.running_since = paused ? std::nullopt : std::optional<Timestamp>(now);
    clock.due_at = paused ? std::nullopt
                          : std::optional<Timestamp>(clock_due(
                                calendar, now, clock.budget_ms - clock.consumed_ms, target));
    tx.put_sla_clock(clock);
    if (clock.due_at && !clock.breached_at) {
      added.push_back(schedule_breach(tx, clock));
    }
  }
  const auto old = tx.escalation_arm(ticket.id);
  auto steps =
      arm(tx, ticket, old ? old->generation + 1 : 1, old ? old->armed_at : ticket.created_at, now);
  added.insert(added.end(), steps.begin(), steps.end());
  return added;
}

const policy::SlaTarget* SlaEngine::target_of(const Ticket& ticket,
                                              std::string_view clock_kind) const {
  const auto kind = kind_named(clock_kind);
  return kind ? policy_.severity(ticket.severity).sla.find(*kind) : nullptr;
}

bool SlaEngine::holds(WriteTransaction& tx, const Ticket& ticket,
                      policy::Condition condition) const {
  switch (condition) {
    case policy::Condition::responded: {
      auto clocks = tx.sla_clocks(ticket.id);
      const SlaClock* first =
          find_clock(clocks, policy::to_string(policy::SlaKind::first_response));
      return first != nullptr && first->met_at.has_value();
    }
    case policy::Condition::resolved:
      return is_finished(ticket.status);
    case policy::Condition::acknowledged:
      return ticket.flags.contains("acknowledged");
    case policy::Condition::owned:
      return ticket.flags.contains("owner");
  }
  return false;
}

FireResult SlaEngine::fire(WriteTransaction& tx, const ScheduledAction& action,
                           Timestamp now) const {
  const bool late = now - action.due_at > kLateAfter;
  const auto ticket = tx.ticket_by_id(action.ticket_id);
  FireResult result;
  if (!ticket) {
    result = {ScheduleStatus::cancelled, "the ticket is gone", {}};
  } else if (action.kind == ScheduleKind::sla_breach) {
    result = fire_breach(tx, *ticket, action, now, late);
  } else {
    result = fire_step(tx, *ticket, action, now, late);
  }
  tx.finish_action(action.id, result.status, now, late && result.status == ScheduleStatus::fired,
                   result.note);
  return result;
}

FireResult SlaEngine::fire_breach(WriteTransaction& tx, const Ticket& ticket,
                                  const ScheduledAction& action, Timestamp now, bool late) const {
  auto clocks = tx.sla_clocks(ticket.id);
  SlaClock* clock = find_clock(clocks, action.sla);
  if (clock == nullptr || clock->met_at || !clock->due_at || *clock->due_at != action.due_at ||
      clock->breached_at) {
    return {ScheduleStatus::skipped, "the clock changed since this was scheduled", {}};
  }
  clock->breached_at = now;
  tx.put_sla_clock(*clock);
  Event event = system_event(ticket.id, EventKind::sla_breached, "sla", now);
  const policy::SlaTarget* target = target_of(ticket, action.sla);
  event.text = action.sla + " target of " +
               (target != nullptr ? policy::to_string(target->within.duration)
                                  : describe_duration(milliseconds(clock->budget_ms))) +
               " on calendar '" + clock->calendar + "' missed; it was due " +
               format_utc(action.due_at) +
               (late ? " (noticed late: the gateway was not running)" : "");
  tx.append_event(event);
  return {ScheduleStatus::fired, event.text, {}};
}

FireResult SlaEngine::fire_step(WriteTransaction& tx, const Ticket& ticket,
                                const ScheduledAction& action, Timestamp now, bool late) const {
  const auto arm = tx.escalation_arm(ticket.id);
  if (!arm || arm->generation != action.generation) {
    return {ScheduleStatus::cancelled, "the ladder was re-armed", {}};
  }
  const auto& ladder = policy_.severity(arm->severity).escalation;
  if (action.step < 0 || action.step >= static_cast<int>(ladder.steps.size())) {
    return {ScheduleStatus::cancelled, "the policy has no such step any more", {}};
  }
  const auto& step = ladder.steps[static_cast<std::size_t>(action.step)];
  for (policy::Condition condition : ladder.stop_when) {
    if (holds(tx, ticket, condition)) {
      return {ScheduleStatus::skipped,
              "ladder stopped: " + std::string(policy::to_string(condition)),
              {}};
    }
  }
  for (policy::Condition condition : step.unless) {
    if (holds(tx, ticket, condition)) {
      return {ScheduleStatus::skipped, "skipped: " + std::string(policy::to_string(condition)), {}};
    }
  }
  if (step.trigger.kind == policy::EscalationTrigger::Kind::share_of_target) {
    auto clocks = tx.sla_clocks(ticket.id);
    const SlaClock* clock = find_clock(clocks, policy::to_string(step.trigger.target));
    if (clock == nullptr || clock->met_at) {
      return {ScheduleStatus::skipped, "skipped: the target was met", {}};
    }
  }

  const bool is_repage = action.kind == ScheduleKind::repage;
  std::vector<std::string> done;
  const std::string subject_prefix = "[" + ticket.reference + "] ";
  const std::string about =
      "Ticket " + ticket.reference + " (severity " + std::to_string(ticket.severity) + ", " +
      policy_.severity(ticket.severity).name + "): " + ticket.subject + "\nOpened " +
      format_utc(ticket.created_at) + ", status " + std::string(to_string(ticket.status)) + ".";
  const std::string late_note =
      late ? " (late: due " + format_utc(action.due_at) + ", the gateway was not running)" : "";

  if (!is_repage && !step.notify.empty()) {
    // Staff mail waits for the notification calendar to open, pages never wait.
    const auto& notify_calendar =
        step.notify_calendar ? step.notify_calendar : ladder.notify_calendar;
    std::optional<Timestamp> hold;
    if (notify_calendar) {
      const Timestamp opening = calendars_.get(*notify_calendar).next_opening(now);
      if (opening > now) {
        hold = opening;
      }
    }
    for (const policy::Recipient& recipient : step.notify) {
      for (const policy::Contact* contact : resolve(policy_, recipient, now)) {
        if (!contact->email) {
          continue;
        }
        tx.enqueue_outbox(
            NewOutboxMessage{
                ticket.id, "mail", *contact->email, subject_prefix + "Escalation: " + step.label,
                about + "\nEscalated to " + contact->name + ": " + step.label + late_note, hold},
            now);
      }
      done.push_back("notified " + recipient_text(recipient) +
                     (hold ? " (mail held until " + format_utc(*hold) + ")" : ""));
    }
  }
  NewActions scheduled;
  if (step.page) {
    for (const policy::Contact* contact : resolve(policy_, *step.page, now)) {
      enqueue_page(tx, ticket, *contact, subject_prefix + step.label, about + late_note, now);
      done.push_back(std::string(is_repage ? "re-paged " : "paged ") + contact->name);
    }
    const int pages_so_far = is_repage ? action.repage : 0;
    if (step.repage_every && (!step.repage_limit || pages_so_far < *step.repage_limit)) {
      ScheduledAction repage;
      repage.ticket_id = ticket.id;
      repage.kind = ScheduleKind::repage;
      repage.step = action.step;
      repage.generation = action.generation;
      repage.repage = pages_so_far + 1;
      repage.due_at = now + *step.repage_every;
      repage.id = tx.schedule_action(repage);
      scheduled.push_back(repage);
    }
  }

  Event event = system_event(ticket.id, EventKind::escalated, "escalation", now);

  if (!is_repage && step.raise_to_level && *step.raise_to_level < ticket.severity) {
    Ticket raised = ticket;
    raised.severity = *step.raise_to_level;
    raised.updated_at = now;
    event.changes.push_back(
        FieldChange{"severity", std::to_string(ticket.severity), std::to_string(raised.severity)});
    done.push_back("raised to severity " + std::to_string(raised.severity));
    tx.update_ticket(raised);
    auto more = severity_changed(tx, raised, now);
    scheduled.insert(scheduled.end(), more.begin(), more.end());
  }

  std::string text =
      (is_repage ? "re-page " + std::to_string(action.repage) + " of " : "") + step.label + ":";
  for (std::size_t i = 0; i < done.size(); ++i) {
    text += (i == 0 ? " " : "; ") + done[i];
  }
  event.text = text + late_note;
  tx.append_event(event);
  return {ScheduleStatus::fired, event.text, std::move(scheduled)};
}

}  // namespace supportgw::sla
