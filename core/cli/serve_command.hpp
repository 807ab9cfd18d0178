#pragma once
// `supportgw serve --config gateway.toml [--state-dir DIR] [--ready-file PATH]
//                  [--log-format text|json] [--log-level LEVEL]`
// runs the gateway as a daemon (core/daemon/daemon.hpp) until SIGTERM or SIGINT.

#include <CLI/App.hpp>

#include <functional>

#include "core/cli/ticket_commands.hpp"

namespace supportgw::cli {

void add_serve_command(CLI::App& app, GlobalOptions& options, std::function<int()>& action);

}  // namespace supportgw::cli
