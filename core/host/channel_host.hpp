#pragma once
// Loads the channels gateway.toml names, starts them in file order and stops them in
// reverse. A channel that cannot be loaded or started — missing file, no factory,
// another SDK ABI, an error or exception from start() — stops the gateway from starting
// (everything started so far is stopped again) unless the channel is marked optional:
// then it is left out and the reason is logged and kept for the ready file.
//
// Ownership: each running channel keeps its plugin library loaded (PluginLibrary::pin),
// and its context outlives it. Senders handed out are pinned too, so the dispatcher may
// hold them past stop() without calling unloaded code — but must not call them after it.
//
// Threading: start() and stop() are called from one thread that does not run the
// host's executor (the daemon's main thread), while that executor runs.

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "core/host/channel_context_impl.hpp"
#include "core/host/gateway_services.hpp"
#include "core/host/plugin_library.hpp"
#include "supportgw/sdk/channel.hpp"

namespace supportgw::host {

class ChannelHost {
 public:
  struct Spec {
    std::string name;    // unique per gateway
    std::string plugin;  // the plugin's name: <plugin_dir>/<plugin>.so
    bool optional = false;
    sdk::Settings settings;
    sdk::SourcePosition where;  // of the [[channel]] entry, for messages
  };

  struct Options {
    std::filesystem::path plugin_dir;
    // Each channel's storage folder is <storage_root>/<channel name>.
    std::filesystem::path storage_root;
    // The host's io_context: where plugin completions and senders are called.
    boost::asio::any_io_executor executor;
    // What ChannelContext::suggested_threads() tells each channel.
    int suggested_threads = 2;
    // A logger for a name ("host", "channel.web").
    std::function<std::shared_ptr<spdlog::logger>(const std::string&)> make_logger;
  };

  struct Running {
    std::string name;
    std::string plugin;  // PluginLibrary::description()
    std::map<std::string, std::string> endpoints;
    std::vector<std::string> sender_kinds;
  };

  struct Skipped {
    std::string name;
    std::string reason;
  };

  struct OfferedSender {
    std::string channel;
    std::string kind;
    std::shared_ptr<sdk::Sender> sender;  // pinned to its library
    boost::asio::any_io_executor executor;
  };

  ChannelHost(Options options, GatewayServices& services);
  ~ChannelHost();  // stop()
  ChannelHost(const ChannelHost&) = delete;
  ChannelHost& operator=(const ChannelHost&) = delete;

  // Throws PluginError (or InvalidArgument for two channels of one name) for a required
  // channel that fails; nothing is left running then.
  void start(const std::vector<Spec>& channels);
  // Stops the running channels, last started first. Idempotent.
  void stop();

  std::vector<Running> running() const;
  const std::vector<Skipped>& skipped() const { return skipped_; }
  std::vector<OfferedSender> senders() const;

 private:
  struct Instance {
    std::string name;
    std::shared_ptr<PluginLibrary> library;
    std::unique_ptr<ChannelContextImpl> context;  // outlives the channel
    std::shared_ptr<sdk::Channel> channel;        // pinned to `library`
    std::map<std::string, std::string> endpoints;
    std::vector<sdk::SenderOffer> senders;  // pinned
  };

  std::unique_ptr<Instance> start_one(const Spec& spec);
  void stop_one(Instance& instance);

  Options options_;
  GatewayServices& services_;
  std::shared_ptr<spdlog::logger> logger_;
  std::vector<std::unique_ptr<Instance>> running_;
  std::vector<Skipped> skipped_;
};

}  // namespace supportgw::host
