#include "core/sla/timeline.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "core/sla/due_time.hpp"

namespace supportgw::sla {
namespace {

using policy::Condition;
using policy::EscalationStep;
using policy::EscalationTrigger;
using policy::Recipient;
using policy::SlaKind;
using policy::SlaTarget;

// Re-pages listed for a step without a limit: enough to show the rhythm.
constexpr int shown_unlimited_repages = 3;

std::string describe(const policy::Policy& policy, const Recipient& recipient) {
  // The id is what the file says, the title what a person reads; show both.
  switch (recipient.kind) {
    case Recipient::Kind::contact: {
      const auto found = policy.contacts.find(recipient.name);
      return "contact " + recipient.name +
             (found != policy.contacts.end() ? " (" + found->second.name + ")" : "");
    }
    case Recipient::Kind::role: {
      const auto found = policy.roles.find(recipient.name);
      return "role " + recipient.name +
             (found != policy.roles.end() ? " (" + found->second.title + ")" : "");
    }
    case Recipient::Kind::rotation: {
      const auto found = policy.rotations.find(recipient.name);
      return "rotation " + recipient.name +
             (found != policy.rotations.end() ? " (" + found->second.title + ")" : "");
    }
  }
  return recipient.name;
}

std::string describe(const std::vector<Condition>& conditions) {
  std::string text;
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == conditions.size() ? " or " : ", ");
    text += policy::to_string(conditions[i]);
  }
  return text;
}

std::string describe(std::string_view calendar, const policy::Duration& duration) {
  return policy::to_string(duration) + " on " + std::string(calendar);
}

std::string percent(double share) {
  char text[32];
  std::snprintf(text, sizeof text, "%g%%", share * 100.0);
  return text;
}

std::string target_name(SlaKind kind) {
  switch (kind) {
    case SlaKind::first_response:
      return "first response";
    case SlaKind::update_interval:
      return "update interval";
    case SlaKind::resolution:
      return "resolution";
  }
  return std::string(policy::to_string(kind));
}

// The parser fills "step N" when the file gives no label; don't say it twice.
std::string step_label(const EscalationStep& step, std::size_t index) {
  const std::string number = "step " + std::to_string(index + 1);
  return step.label == number ? number : number + ": " + step.label;
}

// Both lists stop a re-page: the step's own `unless` and the ladder's `stop_when`.
std::vector<Condition> repage_stops(const EscalationStep& step,
                                    const policy::EscalationLadder& ladder) {
  std::vector<Condition> stops = step.unless;
  for (Condition condition : ladder.stop_when) {
    if (std::find(stops.begin(), stops.end(), condition) == stops.end()) {
      stops.push_back(condition);
    }
  }
  return stops;
}

class Planner {
 public:
  Planner(const policy::Policy& policy, const CalendarSet& calendars,
          const policy::Severity& severity, Timestamp opened)
      : policy_(policy), calendars_(calendars), severity_(severity), opened_(opened) {}

  std::vector<TimelineEntry> plan() {
    add_sla_entries();
    const auto& steps = severity_.escalation.steps;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      add_step(steps[i], i);
    }
    // Stable, so entries at the same instant keep policy order: SLA targets first, then
    // steps in file order, each followed by its re-pages.
    std::stable_sort(entries_.begin(), entries_.end(),
                     [](const TimelineEntry& a, const TimelineEntry& b) { return a.at < b.at; });
    return std::move(entries_);
  }

 private:
  // Where a target's clock starts. The update interval runs from the last staff update,
  // the first of which is the first response; a plan where nobody acts has none, so it
  // assumes the first response at its due instant, the latest still on time. The engine
  // restarts that clock from the real response.
  Timestamp target_start(SlaKind kind) const {
    if (kind != SlaKind::update_interval) {
      return opened_;
    }
    const SlaTarget& first = severity_.sla.first_response;
    return due_after(calendars_.get(first.within.calendar), opened_, first.within.duration);
  }

  void add_sla_entries() {
    const auto& sla = severity_.sla;
    const auto& first = sla.first_response.within;
    add_sla(SlaKind::first_response, "first response due",
            "first response within " + describe(first.calendar, first.duration));
    if (sla.update_interval) {
      const auto& update = sla.update_interval->within;
      add_sla(SlaKind::update_interval, "first update due",
              "updates every " + describe(update.calendar, update.duration) +
                  ", counted from the first response (here assumed at its due time), "
                  "then from each update");
    }
    if (sla.resolution) {
      const auto& resolution = sla.resolution->within;
      add_sla(SlaKind::resolution, "resolution due",
              "solved within " + describe(resolution.calendar, resolution.duration));
    }
  }

  void add_sla(SlaKind kind, std::string label, std::string detail) {
    const SlaTarget& target = *severity_.sla.find(kind);
    TimelineEntry entry;
    entry.kind = TimelineEntry::Kind::sla_due;
    entry.at = due_after(calendars_.get(target.within.calendar), target_start(kind),
                         target.within.duration);
    entry.label = std::move(label);
    entry.calendar = target.within.calendar;
    entry.detail = std::move(detail);
    entries_.push_back(std::move(entry));
  }

  std::string actions(const EscalationStep& step) const {
    std::vector<std::string> parts;
    if (!step.notify.empty()) {
      std::string notify = "notify ";
      for (std::size_t i = 0; i < step.notify.size(); ++i) {
        notify += (i == 0 ? "" : ", ") + describe(policy_, step.notify[i]);
      }
      parts.push_back(std::move(notify));
    }
    if (step.raise_to_level) {
      // Severity levels are 1..N without gaps (the parser checks raise_to_level too).
      const int level = *step.raise_to_level;
      std::string raise = "raise to level " + std::to_string(level);
      if (level >= 1 && static_cast<std::size_t>(level) <= policy_.severities.size()) {
        raise += " (" + policy_.severity(level).name + ")";
      }
      parts.push_back(std::move(raise));
    }
    if (step.page) {
      parts.push_back("page " + describe(policy_, *step.page));
    }
    std::string text;
    for (const std::string& part : parts) {
      text += (text.empty() ? "" : "; ") + part;
    }
    return text;
  }

  void add_step(const EscalationStep& step, std::size_t index) {
    const EscalationTrigger& trigger = step.trigger;
    TimelineEntry entry;
    entry.kind = TimelineEntry::Kind::escalation_step;
    entry.label = step_label(step, index);
    std::string when;
    if (trigger.kind == EscalationTrigger::Kind::elapsed) {
      entry.calendar = trigger.after.calendar;
      entry.at = due_after(calendars_.get(entry.calendar), opened_, trigger.after.duration);
      when = policy::to_string(trigger.after.duration) + " after opening (" + entry.calendar + ")";
    } else {
      const SlaTarget& target = *severity_.sla.find(trigger.target);
      entry.calendar = target.within.calendar;
      entry.at = share_due(calendars_.get(entry.calendar), target_start(trigger.target),
                           target.within.duration, trigger.share);
      when = "at " + percent(trigger.share) + " of the " + target_name(trigger.target) +
             " target (" + describe(entry.calendar, target.within.duration) + ")";
    }
    entry.detail = actions(step) + "; due " + when;
    if (!step.unless.empty()) {
      entry.detail += "; not if " + describe(step.unless);
    }
    const auto& notify_calendar =
        step.notify_calendar ? step.notify_calendar : severity_.escalation.notify_calendar;
    if (!step.notify.empty() && notify_calendar) {
      const Timestamp delivered = calendars_.get(*notify_calendar).next_opening(entry.at);
      if (delivered != entry.at) {
        entry.delivered_at = delivered;
        // Only the mail waits; a raise or a page in the same step happens at once.
        entry.detail += "; notification held until " + *notify_calendar + " opens";
      }
    }
    const Timestamp step_at = entry.at;
    entries_.push_back(std::move(entry));
    if (step.page && step.repage_every) {
      add_repages(step, index, step_at);
    }
  }

  void add_repages(const EscalationStep& step, std::size_t index, Timestamp step_at) {
    const int count = step.repage_limit.value_or(shown_unlimited_repages);
    const std::string every = policy::to_string(policy::Duration{.open_time = *step.repage_every});
    const std::vector<Condition> stops = repage_stops(step, severity_.escalation);
    for (int k = 1; k <= count; ++k) {
      TimelineEntry entry;
      entry.kind = TimelineEntry::Kind::repage;
      // Wall-clock: a page is never held for a calendar, whatever the step's calendar.
      entry.at = step_at + k * *step.repage_every;
      entry.label =
          step_label(step, index) + ", re-page " + std::to_string(k) +
          (step.repage_limit ? " of " + std::to_string(*step.repage_limit)
                             : " (no limit; the first " + std::to_string(shown_unlimited_repages) +
                                   " are listed)");
      entry.calendar = "wall clock";
      entry.detail = "page " + describe(policy_, *step.page) + " again, every " + every;
      if (!stops.empty()) {
        entry.detail += "; not if " + describe(stops);
      }
      entries_.push_back(std::move(entry));
    }
  }

  const policy::Policy& policy_;
  const CalendarSet& calendars_;
  const policy::Severity& severity_;
  Timestamp opened_;
  std::vector<TimelineEntry> entries_;
};

}  // namespace

std::vector<TimelineEntry> plan_timeline(const policy::Policy& policy, const CalendarSet& calendars,
                                         int severity, Timestamp opened) {
  return Planner(policy, calendars, policy.severity(severity), opened).plan();
}

}  // namespace supportgw::sla
