// A plugin that claims to be built against a future SDK ABI: the host must refuse it
// before calling anything, naming both versions.
#include <supportgw/sdk/plugin.hpp>

SUPPORTGW_PLUGIN_EXPORT const supportgw::sdk::PluginInfo supportgw_plugin_info = {
    SUPPORTGW_SDK_ABI_MAJOR + 1, 0, "fixture_wrong_abi", "0.1.0"};

SUPPORTGW_PLUGIN_EXPORT supportgw::sdk::Channel* supportgw_create_channel(char*, std::size_t) {
  // Never called: the ABI check comes first.
  __builtin_trap();
}
