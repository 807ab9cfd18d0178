#pragma once
// One loaded plugin library (Boost.DLL). Whatever the host keeps that a plugin made —
// a Channel, a Sender — holds a shared_ptr to its PluginLibrary, so the code of an
// object can never be unloaded while the object lives (OBS and Boost.DLL's rule).
//
// Loading checks, in order, before any plugin code runs but its static initialisers:
// the file exists and is a loadable library; it exports supportgw_plugin_info; the ABI
// major equals the host's and its minor is not newer; its declared name is the one
// gateway.toml asked for; it exports supportgw_create_channel.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "supportgw/sdk/plugin.hpp"

namespace supportgw::host {

class PluginLibrary : public std::enable_shared_from_this<PluginLibrary> {
 public:
  // The file a plugin name stands for: `<dir>/<name>.so`.
  static std::filesystem::path file_for(const std::filesystem::path& dir, std::string_view name);

  // Throws PluginError naming `expected_name` and `file`.
  static std::shared_ptr<PluginLibrary> load(const std::filesystem::path& file,
                                             std::string_view expected_name);
  ~PluginLibrary();
  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }
  const std::filesystem::path& file() const { return file_; }
  // "alertmanager 1.2.0 (SDK ABI 1.0, /usr/lib/supportgw/plugins/alertmanager.so)"
  std::string description() const;

  // A new channel from the factory; the pointer keeps this library loaded. Throws
  // PluginError when the factory fails.
  std::shared_ptr<sdk::Channel> create_channel();
  // `object` (made by this plugin) with this library's lifetime attached.
  template <class T>
  std::shared_ptr<T> pin(std::shared_ptr<T> object) {
    struct Holder {
      std::shared_ptr<const PluginLibrary> library;  // destroyed last
      std::shared_ptr<T> object;
    };
    auto holder = std::make_shared<Holder>(Holder{shared_from_this(), std::move(object)});
    return std::shared_ptr<T>(holder, holder->object.get());
  }

 private:
  struct Handle;
  PluginLibrary() = default;

  std::unique_ptr<Handle> handle_;
  std::filesystem::path file_;
  std::string name_;
  std::string version_;
  int abi_major_ = 0;
  int abi_minor_ = 0;
  sdk::CreateChannelFunction* create_ = nullptr;
};

}  // namespace supportgw::host
