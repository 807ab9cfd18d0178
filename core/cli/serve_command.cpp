#include "core/cli/serve_command.hpp"

#include <memory>

#include "core/daemon/daemon.hpp"

namespace supportgw::cli {

void add_serve_command(CLI::App& app, GlobalOptions& options, std::function<int()>& action) {
  auto args = std::make_shared<daemon::DaemonOptions>();
  CLI::App* serve = app.add_subcommand(
      "serve", "Run the gateway: load the channels gateway.toml names and serve until SIGTERM");
  serve->add_option("--config", args->config_file, "The deployment's gateway.toml")->required();
  serve->add_option("--ready-file", args->ready_file,
                    "Write JSON naming each channel's addresses here once all listen");
  serve->add_option("--log-format", args->log_format, "text or json (default: gateway.toml's)")
      ->check(CLI::IsMember({"text", "json"}));
  serve->add_option("--log-level", args->log_level,
                    "trace, debug, info, warn or error (default: gateway.toml's)");
  serve->callback([&options, &action, args] {
    action = [&options, args] {
      // The global --state-dir names where the daemon keeps its state too.
      args->state_dir = options.state_dir;
      return daemon::serve(*args);
    };
  });
}

}  // namespace supportgw::cli
