#pragma once
// What the channel contexts need from the running gateway: intake under the policy in
// force (which SIGHUP may replace), the store, and a few facts of the policy. An
// interface, so the plugin host can be tested with an intake of its own.

#include <chrono>
#include <exception>
#include <functional>
#include <string>

#include "core/desk/ticket_desk.hpp"
#include "core/policy/policy.hpp"
#include "core/store/store.hpp"
#include "supportgw/sdk/inbound_message.hpp"
#include "supportgw/sdk/policy_view.hpp"

namespace supportgw::host {

class GatewayServices {
 public:
  using IntakeDone = std::function<void(std::exception_ptr, sdk::IntakeResult)>;

  virtual ~GatewayServices() = default;

  // Intake of one message; `done` runs once the contact is durable (or failed), on
  // any thread. May throw InvalidArgument at once for a malformed message.
  virtual void submit(sdk::InboundMessage message, IntakeDone done) = 0;
  virtual Store& store() = 0;
  // A staff change (the vendor's API) under the policy in force; `done` runs once it is
  // durable or refused, on any thread.
  virtual void change_ticket(std::string reference, StaffChange change, Actor actor,
                             TicketDesk::ChangeDone done) = 0;

  // Something was queued for the outbox: deliver soon rather than at the next poll.
  virtual void outbox_changed() = 0;

  virtual std::string vendor_name() const = 0;
  virtual std::string language() const = 0;
  virtual std::string severity_name(int level) const = 0;
  // A reply this long after "solved" reopens; zero = never.
  virtual std::chrono::minutes reopen_window() const = 0;
  // How long a customer's token opens uploads after issue or renewal; zero = no limit.
  virtual std::chrono::minutes upload_token_lifetime() const = 0;
  // The label of escalation step `step` (0-based) of severity `level` in the policy in
  // force ("Director of Customer Services"); "step N" when the policy has no such step.
  virtual std::string escalation_step_label(int level, int step) const = 0;
  virtual sdk::PolicyView policy_view() const = 0;
  virtual sdk::IntakeForm intake_form() const = 0;
  // The policy's [[status.component]]s in force. Not pure: a host without a policy (a
  // test's) has none, and so no status page.
  virtual std::vector<policy::StatusComponent> status_components() const { return {}; }
};

}  // namespace supportgw::host
