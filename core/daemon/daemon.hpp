#pragma once
// `supportgw serve`: the gateway as a daemon. One Asio io_context on a small thread
// pool runs every channel; a housekeeping thread fires due escalations and hands due
// outbox rows to the channels' senders; the main thread waits for signals:
//   SIGTERM, SIGINT  drain and stop: no new outbox deliveries, wait (bounded by
//                    drain_timeout) for those in flight, stop channels in reverse
//                    order (each finishes its requests in flight), stop the threads;
//   SIGHUP           reload the policy; a policy with errors is refused, logged with
//                    its file:line:col, and the one in force stays.
// The state directory holds the database (supportgw.db) and each channel's files
// (channels/<name>/); once every channel listens, the ready file (if asked for) is
// written atomically: {"channels": {"web": {"http": "127.0.0.1:41234"}}, ...}.

#include <filesystem>
#include <string>

namespace supportgw::daemon {

struct DaemonOptions {
  std::filesystem::path config_file;
  std::filesystem::path state_dir;   // empty: gateway.toml's state_dir
  std::filesystem::path ready_file;  // empty: none
  std::string log_format;            // empty: gateway.toml's [log] format
  std::string log_level;             // empty: gateway.toml's [log] level
};

// Runs until SIGTERM or SIGINT and returns 0 after a clean stop. Throws for what stops
// it from starting: a bad gateway.toml or policy (PolicyError / InvalidArgument), a
// required channel that fails (host::PluginError), a store that cannot open.
int serve(const DaemonOptions& options);

// The database file in a state directory.
std::filesystem::path database_in(const std::filesystem::path& state_dir);

}  // namespace supportgw::daemon
