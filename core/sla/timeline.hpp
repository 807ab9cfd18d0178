#pragma once
// The timeline a ticket would follow if nobody acted on it: each SLA due instant and
// each escalation step (with re-pages) of its severity, from the moment it is opened.
// What `supportgw policy explain` prints, so a vendor can check a policy before going
// live. The escalation engine computes the same instants (due_time.hpp).

#include <optional>
#include <string>
#include <vector>

#include "core/policy/policy.hpp"
#include "core/sla/calendar_set.hpp"
#include "core/util/time.hpp"

namespace supportgw::sla {

struct TimelineEntry {
  enum class Kind { sla_due, escalation_step, repage };
  Kind kind = Kind::sla_due;
  Timestamp at{};
  std::string label;     // "first response due", "step 1: Director of Customer Services"
  std::string calendar;  // the calendar the instant was measured on ("wall clock": re-pages)
  std::string detail;    // what happens: "notify role director", "page rotation on-call"
  // For staff notifications held by a notify calendar: when they are actually sent.
  std::optional<Timestamp> delivered_at;
};

// Entries sorted by instant (ties in policy order: SLA targets, then steps in file order,
// each followed by its re-pages). Re-pages are listed up to their limit, or the first 3
// when unlimited. Throws NotFound for an unknown severity.
//
// The rules, shared with the escalation engine through due_time.hpp:
//   - first response and resolution are due `within` after `opened` (due_after);
//   - the update interval runs from the last staff update, the first being the first
//     response. Nobody acts in this plan, so "first update due" assumes the first
//     response at its due instant (the latest on time): due_after(interval calendar,
//     first response due, interval). Later updates are not listed;
//   - an elapsed step is due_after(step calendar, opened, after); a share_of_target step
//     is share_due(target calendar, the target's start as above, within, share), so at
//     share 1 it coincides with the target's due entry (listed after it);
//   - re-pages are wall-clock: step instant + k x repage_every, k = 1..limit; their
//     `calendar` is "wall clock";
//   - a step with `notify` and a notify calendar (the step's, else the ladder's) gets
//     `delivered_at` = that calendar's next_opening(step instant) when that differs;
//     raises and pages of the same step are never held.
std::vector<TimelineEntry> plan_timeline(const policy::Policy& policy, const CalendarSet& calendars,
                                         int severity, Timestamp opened);

}  // namespace supportgw::sla
