#pragma once
// Reading gateway.toml: what one deployment runs — its policy file, plugin folder, state
// folder, logging, daemon settings and channels. The shape (docs in examples/*/gateway.toml):
//
//   policy    = "policy.toml"    # required
//   plugins   = "plugins"        # optional plugin folder
//   state_dir = "var"            # optional; --state-dir on the command line overrides it
//   [log]     level = "info"     # trace|debug|info|warn|error;  format = "text" (text|json)
//   [daemon]  threads = 2        # io threads, 1..64;  drain_timeout = "10s"
//   [outbox]  first_retry = "5s" # backoff of failed deliveries, doubling up to max_retry
//             max_retry = "15m";  max_attempts = 12
//   [[channel]]
//   name = "web"                 # required, unique, [a-z0-9][a-z0-9_-]{0,62}
//   plugin = "web"               # required, same charset
//   optional = false             # a channel that fails to start does not stop the daemon
//   [channel.settings]           # any content: the plugin's own (sdk::Settings)
//
// Relative paths are relative to the folder holding the file, never to the working
// directory, so a deployment folder can be run from anywhere; every path in the result
// is absolute.
//
// Failure: the first problem found is thrown as policy::PolicyError ("file:line:column:
// what was expected") — the type policy files use, so the CLI prints both alike; unknown
// keys are refused, not ignored. An unreadable file throws InvalidArgument naming it.
// Plugin settings are only converted here, not checked: each plugin checks its own when
// it starts (sdk::Settings), and those errors point into this file too.
//
// Thread safety: pure apart from reading the file; may run concurrently.

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "supportgw/sdk/settings.hpp"

namespace supportgw::gateway {

struct ChannelConfig {
  std::string name;    // the instance's name, unique in the file ("email", "phone-hotline")
  std::string plugin;  // which plugin runs it
  // When set, a channel that cannot be loaded or started is logged and skipped rather
  // than stopping the daemon.
  bool optional = false;
  // Its [channel.settings], owner "channel '<name>'"; empty when the table is absent.
  sdk::Settings settings;
  // Where its [[channel]] header is, for messages about the channel as a whole.
  sdk::SourcePosition where;
};

struct GatewayConfig {
  std::filesystem::path file;         // the file read, absolute
  std::filesystem::path policy_file;  // absolute
  // Empty when the file names none: the caller applies its built-in default.
  std::filesystem::path plugin_dir;
  // Empty when the file names none: the caller applies --state-dir or its default.
  std::filesystem::path state_dir;
  std::string log_level = "info";   // trace, debug, info, warn or error
  std::string log_format = "text";  // text or json
  int threads = 2;                  // io threads, 1..64
  // How long a stop waits for channels to finish what they are doing.
  std::chrono::milliseconds drain_timeout{std::chrono::seconds(10)};
  // Outbox delivery retries (core/outbox/outbox_dispatcher.hpp).
  std::chrono::milliseconds outbox_first_retry{std::chrono::seconds(5)};
  std::chrono::milliseconds outbox_max_retry{std::chrono::minutes(15)};
  int outbox_max_attempts = 12;
  std::vector<ChannelConfig> channels;  // in file order
};

// Reads and checks `file`; messages name the path as given.
GatewayConfig load_gateway_config(const std::filesystem::path& file);

// Checks `text` as if it were the contents of `file` (messages name `file` as given;
// relative paths resolve against its folder). The file itself is not read.
GatewayConfig parse_gateway_config(std::string_view text, const std::filesystem::path& file);

}  // namespace supportgw::gateway
