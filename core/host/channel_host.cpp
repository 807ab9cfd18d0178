#include "core/host/channel_host.hpp"

#include <spdlog/logger.h>

#include <set>
#include <system_error>

#include "core/host/plugin_error.hpp"
#include "core/util/error.hpp"

namespace supportgw::host {

namespace {

std::string where_of(const ChannelHost::Spec& spec) {
  return spec.where.file.empty() ? std::string() : spec.where.to_string() + ": ";
}

}  // namespace

ChannelHost::ChannelHost(Options options, GatewayServices& services)
    : options_(std::move(options)), services_(services), logger_(options_.make_logger("host")) {}

ChannelHost::~ChannelHost() { stop(); }

void ChannelHost::start(const std::vector<Spec>& channels) {
  std::set<std::string> names;
  for (const Spec& spec : channels) {
    if (!names.insert(spec.name).second) {
      throw InvalidArgument(where_of(spec) + "two channels are named '" + spec.name + "'");
    }
  }
  for (const Spec& spec : channels) {
    try {
      running_.push_back(start_one(spec));
    } catch (const std::exception& error) {
      if (!spec.optional) {
        logger_->error("{}", error.what());
        stop();
        throw;
      }
      logger_->warn("{} — channel '{}' is optional, so the gateway starts without it", error.what(),
                    spec.name);
      skipped_.push_back(Skipped{spec.name, error.what()});
    }
  }
}

std::unique_ptr<ChannelHost::Instance> ChannelHost::start_one(const Spec& spec) {
  auto instance = std::make_unique<Instance>();
  instance->name = spec.name;
  const auto file = PluginLibrary::file_for(options_.plugin_dir, spec.plugin);
  try {
    instance->library = PluginLibrary::load(file, spec.plugin);
  } catch (const PluginError& error) {
    throw PluginError(where_of(spec) + "channel '" + spec.name + "': " + error.what());
  }
  const std::string who = "channel '" + spec.name + "' (plugin '" + spec.plugin + "' " +
                          instance->library->description() + ")";

  const auto storage = options_.storage_root / spec.name;
  std::error_code error;
  std::filesystem::create_directories(storage, error);
  if (error) {
    throw PluginError(who + ": cannot create its storage folder " + storage.string() + ": " +
                      error.message());
  }
  std::filesystem::permissions(storage, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, error);

  instance->context = std::make_unique<ChannelContextImpl>(
      spec.name, spec.settings, storage, options_.make_logger("channel." + spec.name),
      options_.executor, options_.suggested_threads, services_);
  instance->channel = instance->library->create_channel();

  const sdk::Status started =
      sdk::guard("start", [&] { return instance->channel->start(*instance->context); });
  if (!started.ok()) {
    // start() may have bound a socket before it failed; let it release what it holds.
    stop_one(*instance);
    throw PluginError(where_of(spec) + who + " failed to start: " + started.message());
  }
  try {
    instance->endpoints = instance->channel->endpoints();
    for (sdk::SenderOffer& offer : instance->channel->senders()) {
      if (offer.sender) {
        offer.sender = instance->library->pin(std::move(offer.sender));
        instance->senders.push_back(std::move(offer));
      }
    }
  } catch (const std::exception& thrown) {
    stop_one(*instance);
    throw PluginError(where_of(spec) + who + " failed after start: " + thrown.what());
  }
  std::string where;
  for (const auto& [protocol, address] : instance->endpoints) {
    where += (where.empty() ? " on " : ", ") + protocol + " " + address;
  }
  logger_->info("started {}{}", who, where);
  return instance;
}

void ChannelHost::stop_one(Instance& instance) {
  instance.context->close();
  try {
    instance.channel->stop();
  } catch (const std::exception& error) {
    logger_->error("channel '{}' threw in stop: {}", instance.name, error.what());
  } catch (...) {
    logger_->error("channel '{}' threw in stop", instance.name);
  }
  // Completions are plugin code: none may be left when the library goes.
  instance.context->wait_for_completions();
}

void ChannelHost::stop() {
  while (!running_.empty()) {
    std::unique_ptr<Instance> instance = std::move(running_.back());
    running_.pop_back();
    stop_one(*instance);
    logger_->info("stopped channel '{}'", instance->name);
    // Destroyed here, in this order: senders and channel (plugin code), then the
    // context, then — when nothing else pins it — the library.
    instance->senders.clear();
    instance->channel.reset();
  }
}

std::vector<ChannelHost::Running> ChannelHost::running() const {
  std::vector<Running> result;
  for (const auto& instance : running_) {
    Running entry{instance->name, instance->library->description(), instance->endpoints, {}};
    for (const auto& offer : instance->senders) {
      entry.sender_kinds.push_back(offer.kind);
    }
    result.push_back(std::move(entry));
  }
  return result;
}

std::vector<ChannelHost::OfferedSender> ChannelHost::senders() const {
  std::vector<OfferedSender> result;
  for (const auto& instance : running_) {
    for (const auto& offer : instance->senders) {
      result.push_back(OfferedSender{instance->name, offer.kind, offer.sender, options_.executor});
    }
  }
  return result;
}

}  // namespace supportgw::host
