// A child for the escalation restart test.
//
//   escalation_runner DATABASE POLICY create COUNT OPENED   opens COUNT severity 1 tickets
//   escalation_runner DATABASE POLICY run UNTIL STEP_MINUTES
//       loads the schedule and walks time from the earliest pending action to UNTIL in
//       steps, firing what is due; prints "fired N" after each step that fired some.
//
// The test kills `run` with SIGKILL at random moments and starts it again.

#include <unistd.h>

#include <iostream>
#include <string>

#include "core/desk/ticket_desk.hpp"
#include "core/policy/policy_parser.hpp"
#include "core/sla/escalation_scheduler.hpp"
#include "core/store/sqlite/sqlite_store.hpp"

namespace {

class FixedClock final : public supportgw::Clock {
 public:
  explicit FixedClock(supportgw::Timestamp at) : at_(at) {}
  supportgw::Timestamp now() const override { return at_; }

 private:
  supportgw::Timestamp at_;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace supportgw;
  if (argc != 6) {
    std::cerr << "usage: escalation_runner DATABASE POLICY create COUNT OPENED | run UNTIL STEP\n";
    return 2;
  }
  const policy::Policy policy = policy::load_policy(argv[2]);
  const sla::CalendarSet calendars(policy);
  const sla::SlaEngine engine(policy, calendars);
  sqlite::SqliteStore store{std::filesystem::path(argv[1])};
  const std::string mode = argv[3];
  if (mode == "create") {
    const FixedClock clock(parse_iso8601(argv[5]));
    TicketDesk desk(store, engine, clock);
    const int count = std::stoi(argv[4]);
    for (int i = 0; i < count; ++i) {
      NewTicket ticket;
      ticket.subject = "outage " + std::to_string(i);
      ticket.severity = 1;
      desk.create(ticket, Actor{"runner", "test"});
    }
    return 0;
  }
  sla::EscalationScheduler scheduler(store, engine);
  scheduler.load();
  const Timestamp until = parse_iso8601(argv[4]);
  const auto step = std::chrono::minutes(std::stoi(argv[5]));
  for (auto next = scheduler.next_due(); next && *next <= until; next = scheduler.next_due()) {
    const Timestamp now = *next + step;
    const auto fired = scheduler.run_due(now);
    const std::string line = "fired " + std::to_string(fired.size()) + "\n";
    if (write(STDOUT_FILENO, line.data(), line.size()) < 0) {
      return 1;
    }
  }
  return 0;
}
