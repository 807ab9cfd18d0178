#include "core/host/plugin_library.hpp"

// std::filesystem paths in Boost.DLL's interface, so no Boost.Filesystem is linked.
#define BOOST_DLL_USE_STD_FS 1
#include <boost/dll/shared_library.hpp>

#include <array>
#include <cstring>

#include "core/host/plugin_error.hpp"
#include "supportgw/sdk/plugin.hpp"

namespace supportgw::host {

struct PluginLibrary::Handle {
  boost::dll::shared_library library;
};

namespace {

constexpr const char* kInfoSymbol = "supportgw_plugin_info";
constexpr const char* kFactorySymbol = "supportgw_create_channel";

std::string quoted_plugin(std::string_view name, const std::filesystem::path& file) {
  return "plugin '" + std::string(name) + "' (" + file.string() + ")";
}

// The declared name must be printable and short before it goes into a message.
bool plausible_name(const char* text) {
  if (text == nullptr) {
    return false;
  }
  const std::size_t length = strnlen(text, 129);
  if (length == 0 || length > 128) {
    return false;
  }
  for (std::size_t i = 0; i < length; ++i) {
    if (text[i] < 0x20 || text[i] == 0x7f) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::filesystem::path PluginLibrary::file_for(const std::filesystem::path& dir,
                                              std::string_view name) {
  return dir / (std::string(name) + ".so");
}

std::shared_ptr<PluginLibrary> PluginLibrary::load(const std::filesystem::path& file,
                                                   std::string_view expected_name) {
  const std::string who = quoted_plugin(expected_name, file);
  std::error_code exists_error;
  if (!std::filesystem::is_regular_file(file, exists_error)) {
    throw PluginError(who + ": no such file (is the plugin folder in gateway.toml right?)");
  }
  std::shared_ptr<PluginLibrary> plugin(new PluginLibrary());
  plugin->file_ = file;
  plugin->handle_ = std::make_unique<Handle>();
  try {
    // Resolve every symbol now: a plugin built against another host fails here, with
    // the missing symbol named, instead of later in the middle of a request.
    plugin->handle_->library.load(
        file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& error) {
    throw PluginError(who + ": cannot be loaded: " + error.what());
  }
  boost::dll::shared_library& library = plugin->handle_->library;
  if (!library.has(kInfoSymbol)) {
    throw PluginError(who + ": not a supportgw plugin (it exports no " + kInfoSymbol +
                      "; declare it with SUPPORTGW_PLUGIN)");
  }
  const auto& info = library.get<const sdk::PluginInfo>(kInfoSymbol);
  plugin->abi_major_ = info.abi_major;
  plugin->abi_minor_ = info.abi_minor;
  const std::string built_against =
      std::to_string(info.abi_major) + "." + std::to_string(info.abi_minor);
  const std::string provided =
      std::to_string(sdk::kAbiMajor) + "." + std::to_string(sdk::kAbiMinor);
  if (info.abi_major != sdk::kAbiMajor || info.abi_minor > sdk::kAbiMinor) {
    throw PluginError(who + ": built against SDK ABI " + built_against +
                      ", but this gateway provides SDK ABI " + provided +
                      " (rebuild the plugin against this gateway's SDK)");
  }
  if (!plausible_name(info.name) || !plausible_name(info.version)) {
    throw PluginError(who + ": its plugin info has no readable name or version");
  }
  plugin->name_ = info.name;
  plugin->version_ = info.version;
  if (plugin->name_ != expected_name) {
    throw PluginError(who + ": the library declares itself as plugin '" + plugin->name_ +
                      "', not '" + std::string(expected_name) + "'");
  }
  if (!library.has(kFactorySymbol)) {
    throw PluginError(who + ": exports no factory " + kFactorySymbol +
                      " (declare the plugin with SUPPORTGW_PLUGIN)");
  }
  plugin->create_ = &library.get<sdk::CreateChannelFunction>(kFactorySymbol);
  return plugin;
}

PluginLibrary::~PluginLibrary() = default;

std::string PluginLibrary::description() const {
  return name_ + " " + version_ + " (SDK ABI " + std::to_string(abi_major_) + "." +
         std::to_string(abi_minor_) + ", " + file_.string() + ")";
}

std::shared_ptr<sdk::Channel> PluginLibrary::create_channel() {
  std::array<char, 512> error{};
  sdk::Channel* channel = nullptr;
  try {
    channel = create_(error.data(), error.size());
  } catch (...) {
    // The factory is noexcept by contract; a hand-written one may not be.
    std::strncpy(error.data(), "the factory threw", error.size() - 1);
  }
  if (channel == nullptr) {
    throw PluginError(quoted_plugin(name_, file_) + ": the factory made no channel: " +
                      (error[0] != '\0' ? error.data() : "no reason given"));
  }
  // The channel's destructor is plugin code: run it while the library is loaded.
  return pin(std::shared_ptr<sdk::Channel>(channel));
}

}  // namespace supportgw::host
