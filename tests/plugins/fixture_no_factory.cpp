// A plugin that declares itself but exports no factory.
#include <supportgw/sdk/plugin.hpp>

SUPPORTGW_PLUGIN_EXPORT const supportgw::sdk::PluginInfo supportgw_plugin_info = {
    SUPPORTGW_SDK_ABI_MAJOR, SUPPORTGW_SDK_ABI_MINOR, "fixture_no_factory", "0.1.0"};
