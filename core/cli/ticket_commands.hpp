#pragma once
// `supportgw ticket ...`: the staff's way to work tickets from a shell.

#include <CLI/App.hpp>

#include <functional>
#include <string>

namespace supportgw::cli {

// Options every command shares, filled by CLI11 before a command runs.
struct GlobalOptions {
  std::string database;          // --db, else $SUPPORTGW_DB, else ./supportgw.db
  bool json = false;             // --json: one JSON document on stdout
  std::string actor;             // --actor, else "cli:$USER"
  std::string reference_format;  // --reference-format, when no policy is named
  std::string policy_file;       // --policy, else $SUPPORTGW_POLICY: SLA and escalation rules
  // --state-dir, else $SUPPORTGW_STATE_DIR: the daemon's state; the database is then
  // DIR/supportgw.db (it wins over --db), so the CLI works on the daemon's tickets.
  std::string state_dir;
};

// Adds the `ticket` command group to `app`. Each subcommand stores its action in
// `action`, which main() runs after parsing, so errors are reported in one place.
void add_ticket_commands(CLI::App& app, GlobalOptions& options, std::function<int()>& action);

}  // namespace supportgw::cli
