#pragma once
// `supportgw policy explain` and `supportgw policy holidays`: what a policy will do, so a
// vendor can check it before going live. They join the `policy` group that
// add_policy_commands (policy_commands.hpp) creates.
//
//   supportgw policy explain --policy FILE --severity N --opened ISO8601 [--json]
//       the timeline of a ticket of that severity opened then, if nobody acted on it
//       (sla/timeline.hpp): each SLA due instant, each escalation step and re-page, in
//       the vendor's local time with offset and in UTC.
//   supportgw policy holidays --policy FILE --year YYYY [--json]
//       the holidays each business calendar of the policy observes in that year
//       (ISO date, weekday, name), so a vendor can check a region's rules.
//
// Errors: a bad policy file, an --opened that is not ISO 8601 or a severity the policy
// does not define exit 4 (main.cpp); a malformed command line exits 2.

#include <CLI/App.hpp>

#include <functional>

#include "core/cli/ticket_commands.hpp"

namespace supportgw::cli {

// Adds `explain` and `holidays` to the `policy` subcommand of `app`; call it after
// add_policy_commands (CLI11 throws CLI::OptionNotFound when `app` has no `policy`).
void add_policy_explain_commands(CLI::App& app, GlobalOptions& options,
                                 std::function<int()>& action);

}  // namespace supportgw::cli
