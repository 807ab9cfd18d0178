// supportgw: the command line of the support gateway.
//
// Exit codes: 0 done; 1 the store or the system failed; 2 the command line is wrong;
// 3 a ticket (or the database) does not exist; 4 the request breaks a rule (an illegal
// status change, a bad value).

#include <CLI/CLI.hpp>

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "core/cli/apikey_commands.hpp"
#include "core/cli/escalation_commands.hpp"
#include "core/cli/policy_commands.hpp"
#include "core/cli/policy_explain_commands.hpp"
#include "core/cli/serve_command.hpp"
#include "core/cli/ticket_commands.hpp"
#include "core/daemon/daemon.hpp"
#include "core/store/sqlite/schema.hpp"
#include "core/util/error.hpp"

namespace {

std::string environment_or(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : std::move(fallback);
}

// The login name for the history: $USER, else the password database, else the uid.
std::string login_name() {
  if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0') {
    return user;
  }
  if (const passwd* entry = getpwuid(getuid()); entry != nullptr && entry->pw_name != nullptr) {
    return entry->pw_name;
  }
  return "uid" + std::to_string(getuid());
}

}  // namespace

int main(int argc, char** argv) {
  using namespace supportgw;
  cli::GlobalOptions options;
  options.database = environment_or("SUPPORTGW_DB", "./supportgw.db");
  options.actor = "cli:" + login_name();
  options.reference_format = environment_or("SUPPORTGW_REFERENCE_FORMAT", "SR-{yyyy}-{seq:6}");
  options.policy_file = environment_or("SUPPORTGW_POLICY", "");
  options.state_dir = environment_or("SUPPORTGW_STATE_DIR", "");

  CLI::App app{"supportgw: the support gateway's command line", "supportgw"};
  app.set_version_flag("--version", std::string("supportgw ") + SUPPORTGW_VERSION +
                                        " (store schema " +
                                        std::to_string(sqlite::latest_schema_version()) + ")");
  app.add_option("--db", options.database,
                 "SQLite database (default: $SUPPORTGW_DB or ./supportgw.db)");
  app.add_flag("--json", options.json, "Print one JSON document instead of text");
  app.add_option("--actor", options.actor, "Who is acting, for the history (default: cli:$USER)");
  app.add_option(
      "--reference-format", options.reference_format,
      "Format of new references (default: $SUPPORTGW_REFERENCE_FORMAT or SR-{yyyy}-{seq:6})");
  app.add_option("--policy", options.policy_file,
                 "The vendor's policy.toml: reference format, severities, SLA clocks and "
                 "escalation (default: $SUPPORTGW_POLICY; without one, tickets follow only the "
                 "lifecycle)");
  app.add_option("--state-dir", options.state_dir,
                 "The daemon's state directory (default: $SUPPORTGW_STATE_DIR); the database is "
                 "DIR/supportgw.db");
  app.require_subcommand(1);
  // Options may come before or after the subcommand: `supportgw ticket list --json`.
  app.fallthrough();

  std::function<int()> action;
  cli::add_ticket_commands(app, options, action);
  cli::add_policy_commands(app, options, action);
  cli::add_policy_explain_commands(app, options, action);
  cli::add_escalation_commands(app, options, action);
  cli::add_apikey_commands(app, options, action);
  cli::add_serve_command(app, options, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& done) {
    return app.exit(done);
  } catch (const CLI::ParseError& error) {
    app.exit(error);
    return 2;
  }
  if (!options.state_dir.empty()) {
    options.database = daemon::database_in(options.state_dir).string();
  }
  try {
    return action ? action() : 2;
  } catch (const NotFound& error) {
    std::cerr << "supportgw: " << error.what() << '\n';
    return 3;
  } catch (const IllegalTransition& error) {
    std::cerr << "supportgw: " << error.what() << '\n';
    return 4;
  } catch (const InvalidArgument& error) {
    std::cerr << "supportgw: " << error.what() << '\n';
    return 4;
  } catch (const std::exception& error) {
    std::cerr << "supportgw: " << error.what() << '\n';
    return 1;
  }
}
