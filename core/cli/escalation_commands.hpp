#pragma once
// `supportgw escalations ...`: what the SLA clocks and escalation ladders have due, and
// firing it. Until the daemon runs the scheduler, `escalations run` is what a cron job
// or a person calls; it is safe beside a daemon (each action fires exactly once).

#include <CLI/App.hpp>

#include <functional>

#include "core/cli/ticket_commands.hpp"

namespace supportgw::cli {

void add_escalation_commands(CLI::App& app, GlobalOptions& options, std::function<int()>& action);

}  // namespace supportgw::cli
