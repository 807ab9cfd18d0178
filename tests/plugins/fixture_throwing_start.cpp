// A plugin whose start() throws: the host must report it naming the plugin, and the
// exception must not escape into the daemon.
#include <supportgw/sdk/plugin.hpp>

#include <stdexcept>

namespace {

class ThrowingChannel final : public supportgw::sdk::Channel {
 public:
  supportgw::sdk::Status start(supportgw::sdk::ChannelContext&) override {
    throw std::runtime_error("fixture: cannot open /dev/fixture-modem");
  }
  void stop() override {}
};

}  // namespace

SUPPORTGW_PLUGIN("fixture_throwing_start", "0.1.0", ThrowingChannel)
