#pragma once
// A seed vendor's deployment in a test: its policy from examples/, a fresh store, the
// SLA engine, a ticket desk and an escalation scheduler, on a manual clock.

#include <memory>
#include <string>

#include "core/desk/ticket_desk.hpp"
#include "core/policy/policy_parser.hpp"
#include "core/sla/escalation_scheduler.hpp"
#include "core/store/sqlite/sqlite_store.hpp"
#include "tests/support/manual_clock.hpp"
#include "tests/support/temp_dir.hpp"

namespace supportgw::testing {

class VendorDeployment {
 public:
  VendorDeployment(const std::string& vendor, Timestamp start)
      : policy_(policy::load_policy(std::string(SUPPORTGW_EXAMPLES_DIR) + "/" + vendor +
                                    "/policy.toml")),
        calendars_(policy_),
        engine_(policy_, calendars_),
        clock_(start) {
    open();
  }
  // The same with the seed policy changed by `adjust` first (a switch a seed leaves
  // at its default, a pattern none of them has).
  template <class Adjust>
  VendorDeployment(const std::string& vendor, Timestamp start, Adjust adjust)
      : policy_(adjusted(vendor, adjust)),
        calendars_(policy_),
        engine_(policy_, calendars_),
        clock_(start) {
    open();
  }

  // Simulates a restart: a new store object and a scheduler loaded from it.
  void open() {
    desk_.reset();
    scheduler_.reset();
    store_.reset();
    store_ = std::make_unique<sqlite::SqliteStore>(dir_ / "tickets.db");
    scheduler_ = std::make_unique<sla::EscalationScheduler>(*store_, engine_);
    scheduler_->load();
    desk_ = std::make_unique<TicketDesk>(*store_, engine_, clock_);
    desk_->set_listener([this](const sla::NewActions& actions) { scheduler_->add(actions); });
  }

  // Moves the clock to `until`, firing each action at its own due instant, as a daemon
  // that never stopped would.
  std::vector<sla::EscalationScheduler::Fired> walk_to(Timestamp until) {
    std::vector<sla::EscalationScheduler::Fired> fired;
    for (auto next = scheduler_->next_due(); next && *next <= until;
         next = scheduler_->next_due()) {
      clock_.set(std::max(clock_.now(), *next));
      auto more = scheduler_->run_due(clock_.now());
      fired.insert(fired.end(), more.begin(), more.end());
    }
    clock_.set(until);
    return fired;
  }

  tickets::CreatedTicket open_ticket(int severity, const std::string& subject = "Problem") {
    NewTicket ticket;
    ticket.subject = subject;
    ticket.severity = severity;
    ticket.customer =
        Customer{"Casey Customer", "Customer Co", "casey@customer.test", "+1 555 0100"};
    return desk_->create(ticket, Actor{"customer", "web"});
  }

  std::vector<Event> events(const std::string& reference, EventKind kind) {
    return store_->query([&](ReadTransaction& tx) {
      std::vector<Event> matching;
      for (Event& event : tx.events(tickets::require(tx, reference).id)) {
        if (event.kind == kind) {
          matching.push_back(std::move(event));
        }
      }
      return matching;
    });
  }
  std::vector<OutboxMessage> outbox(const std::string& reference) {
    return store_->query(
        [&](ReadTransaction& tx) { return tx.ticket_outbox(tickets::require(tx, reference).id); });
  }
  std::vector<SlaClock> clocks(const std::string& reference) {
    return store_->query(
        [&](ReadTransaction& tx) { return tx.sla_clocks(tickets::require(tx, reference).id); });
  }

  const policy::Policy& policy() const { return policy_; }
  const sla::SlaEngine& engine() const { return engine_; }
  TicketDesk& desk() { return *desk_; }
  ManualClock& clock() { return clock_; }
  sla::EscalationScheduler& scheduler() { return *scheduler_; }
  Store& store() { return *store_; }
  const Actor& staff() const { return staff_; }

 private:
  template <class Adjust>
  static policy::Policy adjusted(const std::string& vendor, Adjust adjust) {
    policy::Policy policy =
        policy::load_policy(std::string(SUPPORTGW_EXAMPLES_DIR) + "/" + vendor + "/policy.toml");
    adjust(policy);
    return policy;
  }

  TempDir dir_;
  policy::Policy policy_;
  sla::CalendarSet calendars_;
  sla::SlaEngine engine_;
  ManualClock clock_;
  std::unique_ptr<sqlite::SqliteStore> store_;
  std::unique_ptr<sla::EscalationScheduler> scheduler_;
  std::unique_ptr<TicketDesk> desk_;
  Actor staff_{"cli:engineer", "cli"};
};

}  // namespace supportgw::testing
