#pragma once
// What one CLI command works on: the store, and — when a policy is named with --policy
// or SUPPORTGW_POLICY — the vendor's policy with its SLA engine, so ticket commands
// apply SLA clocks and escalation ladders exactly as the daemon will. Without a
// policy, tickets follow only the lifecycle rules (and --reference-format).

#include <memory>
#include <optional>
#include <string_view>

#include "core/cli/ticket_commands.hpp"
#include "core/desk/ticket_desk.hpp"
#include "core/policy/policy.hpp"
#include "core/sla/calendar_set.hpp"
#include "core/sla/sla_engine.hpp"
#include "core/store/store.hpp"
#include "core/tickets/ticket_operations.hpp"

namespace supportgw::cli {

class Workspace {
 public:
  // Opens the database (creating it only when `create_database`; otherwise a missing
  // file is NotFound) and loads the policy if one is named.
  Workspace(const GlobalOptions& options, bool create_database);
  ~Workspace();
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  Store& store() { return *store_; }
  bool has_policy() const { return policy_.has_value(); }
  // The policy's [uploads] token_lifetime; zero without a policy or a limit.
  std::chrono::minutes upload_token_lifetime() const {
    return policy_ ? policy_->uploads.token_lifetime : std::chrono::minutes::zero();
  }
  // Throws InvalidArgument saying how to name a policy when there is none.
  const sla::SlaEngine& engine() const;

  tickets::CreatedTicket create(const NewTicket& ticket);
  Ticket respond(std::string_view reference, const tickets::Response& response);
  Ticket resolve(std::string_view reference, std::string_view note);
  Ticket close(std::string_view reference, std::string_view note);
  Ticket reopen(std::string_view reference, std::string_view note);
  Ticket update(std::string_view reference, const tickets::TicketUpdate& update);
  Ticket acknowledge(std::string_view reference);
  Ticket assign(std::string_view reference, std::string_view owner);

 private:
  Actor actor() const { return Actor{options_.actor, "cli"}; }

  const GlobalOptions& options_;
  SystemClock clock_;
  std::unique_ptr<Store> store_;
  std::optional<policy::Policy> policy_;
  std::unique_ptr<sla::CalendarSet> calendars_;
  std::unique_ptr<sla::SlaEngine> engine_;
  std::unique_ptr<TicketDesk> desk_;
};

}  // namespace supportgw::cli
