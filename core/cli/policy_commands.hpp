#pragma once
// `supportgw policy ...`: checking a vendor's policy files before they go live.
//
//   supportgw policy check FILE...   reads each file in turn; prints one summary line per
//                                    good file; stops at the first bad one with its
//                                    "file:line:column: what was expected" (exit code 4).
//
// `policy explain` and `policy holidays` (the calendar and SLA work) join the same group
// here, each as its own run_* function in policy_commands.cpp.

#include <CLI/App.hpp>

#include <functional>

#include "core/cli/ticket_commands.hpp"

namespace supportgw::cli {

// Adds the `policy` command group to `app`; like add_ticket_commands, the chosen
// subcommand stores its action in `action` for main() to run.
void add_policy_commands(CLI::App& app, GlobalOptions& options, std::function<int()>& action);

}  // namespace supportgw::cli
