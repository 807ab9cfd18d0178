#pragma once
// Everything that depends on the policy in force, built together and replaced together
// when SIGHUP reloads the policy: the policy, its calendars, the SLA engine, intake and
// the staff's ticket desk and the escalation scheduler. Shared: work in flight (an intake waiting
// for its commit) keeps the bundle it started with alive, so a reload never pulls a policy from
// under it.

#include <filesystem>
#include <memory>

#include "core/desk/ticket_desk.hpp"
#include "core/intake/intake.hpp"
#include "core/policy/policy.hpp"
#include "core/sla/calendar_set.hpp"
#include "core/sla/escalation_scheduler.hpp"
#include "core/sla/sla_engine.hpp"
#include "core/store/store.hpp"
#include "core/util/time.hpp"

namespace supportgw::daemon {

struct PolicyBundle {
  PolicyBundle(policy::Policy loaded, Store& store, const Clock& clock);
  PolicyBundle(const PolicyBundle&) = delete;
  PolicyBundle& operator=(const PolicyBundle&) = delete;

  const policy::Policy policy;
  const sla::CalendarSet calendars;
  const sla::SlaEngine engine;
  Intake intake;
  TicketDesk desk;  // staff changes through a channel (the vendor's API)
  sla::EscalationScheduler scheduler;
};

// Reads and checks `file` and builds a bundle on it; throws PolicyError (file:line:col)
// or InvalidArgument when the policy is unusable.
std::shared_ptr<PolicyBundle> load_policy_bundle(const std::filesystem::path& file, Store& store,
                                                 const Clock& clock);

}  // namespace supportgw::daemon
