#pragma once
// Declaring a plugin. In exactly one source file of the plugin:
//
//   #include <supportgw/sdk/plugin.hpp>
//   SUPPORTGW_PLUGIN("alertmanager", "1.2.0", AlertmanagerChannel)
//
// where AlertmanagerChannel derives from supportgw::sdk::Channel and has a default
// constructor. The macro exports two C symbols, the only ones a plugin exports (build
// with hidden visibility):
//   supportgw_plugin_info     a PluginInfo: the SDK ABI the plugin was built against,
//                             its name and version. The host reads it before calling
//                             anything, and refuses a plugin of another ABI major or a
//                             newer minor, naming both versions.
//   supportgw_create_channel  the factory; it never throws: an exception in the
//                             constructor comes back as a message in `error`.

#include <cstddef>
#include <cstdio>
#include <exception>

#include "supportgw/sdk/channel.hpp"
#include "supportgw/sdk/version.hpp"

namespace supportgw::sdk {

// Layout fixed for every ABI version: the host reads abi_major and abi_minor of any
// plugin, whatever it was built against, before trusting the rest.
struct PluginInfo {
  int abi_major;
  int abi_minor;
  const char* name;     // what gateway.toml's `plugin = "..."` names
  const char* version;  // the plugin's own version
};

using CreateChannelFunction = Channel*(char* error, std::size_t error_size);

}  // namespace supportgw::sdk

#define SUPPORTGW_PLUGIN_EXPORT extern "C" __attribute__((visibility("default")))

#define SUPPORTGW_PLUGIN(plugin_name, plugin_version, ChannelClass)                    \
  SUPPORTGW_PLUGIN_EXPORT const ::supportgw::sdk::PluginInfo supportgw_plugin_info = { \
      SUPPORTGW_SDK_ABI_MAJOR, SUPPORTGW_SDK_ABI_MINOR, plugin_name, plugin_version};  \
  SUPPORTGW_PLUGIN_EXPORT ::supportgw::sdk::Channel* supportgw_create_channel(         \
      char* error, std::size_t error_size) noexcept {                                  \
    try {                                                                              \
      return new ChannelClass();                                                       \
    } catch (const std::exception& exception) {                                        \
      std::snprintf(error, error_size, "%s", exception.what());                        \
    } catch (...) {                                                                    \
      std::snprintf(error, error_size, "unknown exception");                           \
    }                                                                                  \
    return nullptr;                                                                    \
  }
