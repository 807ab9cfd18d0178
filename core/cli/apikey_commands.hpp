#pragma once
// `supportgw apikey create|list|revoke`: keys for the vendor's JSON API (/api/v1/). A key
// is printed once, at creation; the database keeps only its SHA-256 (domain/api_key.hpp).
// Safe beside a running daemon: the web channel looks keys up per request, so a new key
// works and a revoked one stops working at once, without a restart.

#include <CLI/App.hpp>

#include <functional>

#include "core/cli/ticket_commands.hpp"

namespace supportgw::cli {

void add_apikey_commands(CLI::App& app, GlobalOptions& options, std::function<int()>& action);

}  // namespace supportgw::cli
