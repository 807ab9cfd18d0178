#pragma once
// The interface a channel plugin implements. One object per `[[channel]]` entry of
// gateway.toml, made by the plugin's factory (plugin.hpp), so one plugin can serve
// several instances with different settings.
//
// Lifecycle, all called by the host on one of its own threads (never on the plugin's):
//   1. constructed by the factory;
//   2. start(context): read settings, bind listeners, start timers. Return an error
//      Status to refuse (a bad setting, a port in use); the daemon then stops unless
//      the channel is marked optional. stop() is called after a failed start() too,
//      so release there whatever start() acquired before it failed;
//   3. endpoints(): asked once after start, for the ready file and the log;
//   4. senders(): asked once after start; the dispatcher uses them until stop;
//   5. stop(): stop accepting, finish or abandon safely what is in flight (the gateway
//      still completes submits while stop() waits), stop the channel's IoPool, and
//      return: nothing of the plugin may run afterwards. Channels stop in the reverse order
//      of their start;
//   6. destroyed, before the library is unloaded.
// A member that throws is reported as a failure of that member, naming the plugin;
// prefer returning a Status.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "supportgw/sdk/channel_context.hpp"
#include "supportgw/sdk/sender.hpp"
#include "supportgw/sdk/status.hpp"

namespace supportgw::sdk {

struct SenderOffer {
  std::string kind;  // "mail", "page", "webhook"
  std::shared_ptr<Sender> sender;
};

class Channel {
 public:
  virtual ~Channel() = default;

  virtual Status start(ChannelContext& context) = 0;
  virtual void stop() = 0;

  // Where the channel listens, by protocol: {"http": "127.0.0.1:41234"}. Addresses bound
  // to port 0 must report the port actually taken.
  virtual std::map<std::string, std::string> endpoints() const { return {}; }
  virtual std::vector<SenderOffer> senders() { return {}; }
};

// Runs `body` (returning Status) and turns any exception into a Status, so nothing thrown
// inside the plugin — a SettingsError, a bad_alloc — crosses into the host.
template <class Body>
Status guard(const char* what, Body&& body) noexcept {
  try {
    return body();
  } catch (const SettingsError& error) {
    return Status(StatusCode::invalid_argument, error.what());
  } catch (const std::exception& error) {
    return Status(StatusCode::internal, std::string(what) + ": " + error.what());
  } catch (...) {
    return Status(StatusCode::internal, std::string(what) + ": unknown exception");
  }
}

}  // namespace supportgw::sdk
