#pragma once
// What the channel contexts need from the running gateway: intake under the policy in
// force (which SIGHUP may replace), the store, and a few facts of the policy. An
// interface, so the plugin host can be tested with an intake of its own.

#include <chrono>
#include <exception>
#include <functional>
#include <string>

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

  // Something was queued for the outbox: deliver soon rather than at the next poll.
  virtual void outbox_changed() = 0;

  virtual std::string vendor_name() const = 0;
  virtual std::string language() const = 0;
  virtual std::string severity_name(int level) const = 0;
  // A reply this long after "solved" reopens; zero = never.
  virtual std::chrono::minutes reopen_window() const = 0;
  virtual sdk::PolicyView policy_view() const = 0;
  virtual sdk::IntakeForm intake_form() const = 0;
};

}  // namespace supportgw::host
