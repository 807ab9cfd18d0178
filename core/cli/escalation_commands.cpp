#include "core/cli/escalation_commands.hpp"

#include <CLI/CLI.hpp>

#include <boost/json.hpp>

#include <iomanip>
#include <iostream>
#include <memory>

#include "core/cli/workspace.hpp"
#include "core/sla/escalation_scheduler.hpp"
#include "core/util/error.hpp"

namespace supportgw::cli {
namespace {

struct EscalationArguments {
  std::string at;  // ISO 8601; empty = now
  std::size_t limit = 1000;
};

Timestamp instant_of(const EscalationArguments& args) {
  return args.at.empty() ? SystemClock().now() : parse_iso8601(args.at);
}

std::string action_kind(const ScheduledAction& action) {
  return std::string(to_string(action.kind));
}

int run_due(const GlobalOptions& options, const EscalationArguments& args) {
  Workspace workspace(options, false);
  const sla::SlaEngine& engine = workspace.engine();
  const Timestamp at = instant_of(args);
  const auto& zone = engine.calendars().vendor_zone();
  boost::json::array listed;
  workspace.store().read([&](ReadTransaction& tx) {
    for (const ScheduledAction& action : tx.due_actions(at, args.limit)) {
      const auto ticket = tx.ticket_by_id(action.ticket_id);
      const auto arm = tx.escalation_arm(action.ticket_id);
      const std::string reference = ticket ? ticket->reference : "?";
      const std::string what = engine.describe(action, arm ? arm->severity : 0);
      const auto overdue = std::chrono::duration_cast<std::chrono::minutes>(at - action.due_at);
      if (options.json) {
        listed.push_back(boost::json::object{{"reference", reference},
                                             {"kind", action_kind(action)},
                                             {"what", what},
                                             {"due", format_utc(action.due_at)},
                                             {"due_local", zone.format_local(action.due_at)},
                                             {"overdue_minutes", overdue.count()}});
      } else {
        std::cout << std::left << std::setw(18) << reference << ' '
                  << zone.format_local(action.due_at) << "  " << what;
        if (overdue.count() > 0) {
          std::cout << "  (overdue " << overdue.count() << " min)";
        }
        std::cout << '\n';
      }
    }
  });
  if (options.json) {
    std::cout << boost::json::serialize(
                     boost::json::object{{"at", format_utc(at)}, {"due", std::move(listed)}})
              << '\n';
  }
  return 0;
}

int run_fire(const GlobalOptions& options, const EscalationArguments& args) {
  Workspace workspace(options, false);
  const sla::SlaEngine& engine = workspace.engine();
  const Timestamp at = instant_of(args);
  sla::EscalationScheduler scheduler(workspace.store(), engine);
  scheduler.load();
  const auto fired = scheduler.run_due(at);
  boost::json::array listed;
  for (const auto& [action, result] : fired) {
    const auto reference = workspace.store().query([&](ReadTransaction& tx) {
      const auto ticket = tx.ticket_by_id(action.ticket_id);
      return ticket ? ticket->reference : std::string("?");
    });
    if (options.json) {
      listed.push_back(boost::json::object{{"reference", reference},
                                           {"kind", action_kind(action)},
                                           {"status", to_string(result.status)},
                                           {"due", format_utc(action.due_at)},
                                           {"note", result.note}});
    } else {
      std::cout << std::left << std::setw(18) << reference << ' ' << std::setw(9)
                << to_string(result.status) << ' ' << result.note << '\n';
    }
  }
  if (options.json) {
    std::cout << boost::json::serialize(
                     boost::json::object{{"at", format_utc(at)}, {"actions", std::move(listed)}})
              << '\n';
  } else if (fired.empty()) {
    std::cout << "nothing due at " << format_utc(at) << '\n';
  }
  return 0;
}

}  // namespace

void add_escalation_commands(CLI::App& app, GlobalOptions& options, std::function<int()>& action) {
  auto args = std::make_shared<EscalationArguments>();
  CLI::App* escalations = app.add_subcommand(
      "escalations", "SLA breaches and escalation steps that are due (needs --policy)");
  escalations->require_subcommand(1);

  CLI::App* due = escalations->add_subcommand("due", "List what is due and why");
  due->add_option("--at", args->at, "Instant to ask about, ISO 8601 (default: now)");
  due->add_option("--limit", args->limit, "At most this many (default 1000)");
  due->callback(
      [&options, &action, args] { action = [&options, args] { return run_due(options, *args); }; });

  CLI::App* run = escalations->add_subcommand(
      "run", "Fire every due action once, in order (safe beside a running daemon)");
  run->add_option("--at", args->at, "Fire what is due at this instant (default: now)");
  run->callback([&options, &action, args] {
    action = [&options, args] { return run_fire(options, *args); };
  });
}

}  // namespace supportgw::cli
