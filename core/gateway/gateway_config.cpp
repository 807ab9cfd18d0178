#include "core/gateway/gateway_config.hpp"

#include <algorithm>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <tuple>

#include "core/policy/policy_error.hpp"
#include "core/policy/toml_reader.hpp"

namespace supportgw::gateway {
namespace {

using policy::detail::Source;
using policy::detail::TableReader;

// A gateway file is a screen or two of text; anything near this size is not one, and
// refusing it early keeps a mistaken path (a log, a dump) from costing memory.
constexpr std::uintmax_t kMaxGatewayBytes = 4 * 1024 * 1024;
constexpr std::size_t kMaxNameBytes = 63;

constexpr std::string_view kLogLevels[] = {"trace", "debug", "info", "warn", "error"};
constexpr std::string_view kLogFormats[] = {"text", "json"};

// Channel and plugin names end up in file names, log lines and URLs, so they keep to a
// charset that is safe in all three.
bool is_name(std::string_view name) {
  const auto lower_or_digit = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  };
  if (name.empty() || name.size() > kMaxNameBytes || !lower_or_digit(name.front())) {
    return false;
  }
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return lower_or_digit(c) || c == '_' || c == '-'; });
}

std::string expect_name(const TableReader& reader, std::string_view key) {
  std::string name = reader.string(key);
  if (!is_name(name)) {
    reader.fail(key, "'" + name.substr(0, 70) +
                         "' is not a name; expected 1 to 63 of a-z, 0-9, '_' and '-', starting "
                         "with a letter or digit, such as \"web\" or \"phone-hotline\"");
  }
  return name;
}

template <std::size_t N>
std::string one_of(const TableReader& reader, std::string_view key,
                   const std::string_view (&allowed)[N], std::string fallback) {
  const auto value = reader.optional_string(key);
  if (!value) {
    return fallback;
  }
  if (std::find(std::begin(allowed), std::end(allowed), *value) != std::end(allowed)) {
    return *value;
  }
  std::string expected;
  for (std::string_view name : allowed) {
    expected += (expected.empty() ? "" : ", ") + std::string(name);
  }
  reader.fail(key, "expected one of " + expected + ", found \"" + value->substr(0, 60) + "\"");
}

// A duration as channel settings take them (sdk::parse_duration: "10s", "1m30s"), or an
// integer of seconds, so the daemon's and the plugins' durations read alike.
std::chrono::milliseconds duration_or(const TableReader& reader, std::string_view key,
                                      std::chrono::milliseconds fallback) {
  const toml::node* node = reader.find(key);
  if (node == nullptr) {
    return fallback;
  }
  if (const auto* seconds = node->as_integer()) {
    if (seconds->get() >= 0 && seconds->get() <= std::numeric_limits<std::int64_t>::max() / 1000) {
      return std::chrono::seconds(seconds->get());
    }
  } else if (const auto* text = node->as_string()) {
    if (auto parsed = sdk::parse_duration(text->get())) {
      return *parsed;
    }
  }
  reader.fail(key,
              "expected a duration such as \"10s\" or \"1m30s\" (units ms, s, m, h, d) or an "
              "integer of seconds, found " +
                  (node->is_string() ? "\"" + node->as_string()->get().substr(0, 60) + "\""
                                     : std::string(policy::detail::describe(*node))));
}

// Relative to the folder of the file that names it, so a deployment folder works from
// any working directory.
std::filesystem::path resolve(const std::filesystem::path& folder, const std::string& written) {
  const std::filesystem::path path(written);
  return (path.is_absolute() ? path : folder / path).lexically_normal();
}

// --- [channel.settings] as plain SDK data ---------------------------------------------

sdk::SourcePosition position(const std::string& file, const toml::source_region& region,
                             const sdk::SourcePosition& fallback) {
  // Tables implied by a dotted key or header have no position of their own; their
  // parent's is the nearest honest answer.
  if (region.begin.line == 0) {
    return fallback;
  }
  return sdk::SourcePosition{file, static_cast<int>(region.begin.line),
                             static_cast<int>(region.begin.column)};
}

template <class T>
std::string text_of(const T& value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

sdk::SettingValue to_setting(const toml::node& node, const std::string& file,
                             const sdk::SourcePosition& parent) {
  using Type = sdk::SettingValue::Type;
  sdk::SettingValue value;
  value.where = position(file, node.source(), parent);
  switch (node.type()) {
    case toml::node_type::table: {
      value.type = Type::table;
      // toml++ keeps a table's keys sorted; a plugin's messages ("the first unknown
      // setting") should follow the file, so the members are put back in file order.
      std::vector<std::pair<const toml::key*, const toml::node*>> members;
      for (auto&& [key, member] : *node.as_table()) {
        members.emplace_back(&key, &member);
      }
      std::stable_sort(members.begin(), members.end(), [](const auto& a, const auto& b) {
        const auto& x = a.first->source().begin;
        const auto& y = b.first->source().begin;
        return std::tie(x.line, x.column) < std::tie(y.line, y.column);
      });
      for (const auto& [key, member] : members) {
        value.members.emplace_back(std::string(key->str()), to_setting(*member, file, value.where));
      }
      break;
    }
    case toml::node_type::array:
      value.type = Type::array;
      for (const toml::node& item : *node.as_array()) {
        value.items.push_back(to_setting(item, file, value.where));
      }
      break;
    case toml::node_type::string:
      value.type = Type::string;
      value.string = node.as_string()->get();
      break;
    case toml::node_type::integer:
      value.type = Type::integer;
      value.integer = node.as_integer()->get();
      break;
    case toml::node_type::floating_point:
      value.type = Type::floating;
      value.floating = node.as_floating_point()->get();
      break;
    case toml::node_type::boolean:
      value.type = Type::boolean;
      value.boolean = node.as_boolean()->get();
      break;
    // The SDK has no date types (a plugin should not depend on a parser's); a date in
    // its TOML spelling is what a plugin that wants one would parse anyway.
    case toml::node_type::date:
      value.type = Type::string;
      value.string = text_of(node.as_date()->get());
      break;
    case toml::node_type::time:
      value.type = Type::string;
      value.string = text_of(node.as_time()->get());
      break;
    case toml::node_type::date_time:
      value.type = Type::string;
      value.string = text_of(node.as_date_time()->get());
      break;
    case toml::node_type::none:
      break;
  }
  return value;
}

// --- the file's parts ----------------------------------------------------------------

void parse_log(const TableReader& root, GatewayConfig& config) {
  const toml::table* table = root.optional_subtable("log");
  if (table == nullptr) {
    return;
  }
  const TableReader log(root.source(), *table, "log", {"level", "format"});
  config.log_level = one_of(log, "level", kLogLevels, config.log_level);
  config.log_format = one_of(log, "format", kLogFormats, config.log_format);
}

void parse_daemon(const TableReader& root, GatewayConfig& config) {
  const toml::table* table = root.optional_subtable("daemon");
  if (table == nullptr) {
    return;
  }
  const TableReader daemon(root.source(), *table, "daemon", {"threads", "drain_timeout"});
  config.threads =
      static_cast<int>(daemon.optional_integer("threads", 1, 64).value_or(config.threads));
  config.drain_timeout = duration_or(daemon, "drain_timeout", config.drain_timeout);
}

void parse_outbox(const TableReader& root, GatewayConfig& config) {
  const toml::table* table = root.optional_subtable("outbox");
  if (table == nullptr) {
    return;
  }
  const TableReader outbox(root.source(), *table, "outbox",
                           {"first_retry", "max_retry", "max_attempts"});
  config.outbox_first_retry = duration_or(outbox, "first_retry", config.outbox_first_retry);
  config.outbox_max_retry = duration_or(outbox, "max_retry", config.outbox_max_retry);
  if (config.outbox_first_retry.count() <= 0 ||
      config.outbox_max_retry < config.outbox_first_retry) {
    outbox.fail("max_retry", "expected first_retry > 0 and max_retry >= first_retry");
  }
  config.outbox_max_attempts = static_cast<int>(
      outbox.optional_integer("max_attempts", 1, 1000).value_or(config.outbox_max_attempts));
}

void parse_channels(const TableReader& root, GatewayConfig& config) {
  const toml::array* channels = root.optional_table_array("channel");
  if (channels == nullptr) {
    return;
  }
  const std::string& file = root.source().name();
  std::map<std::string, std::size_t> seen;  // name -> index, for duplicate messages
  for (std::size_t i = 0; i < channels->size(); ++i) {
    const toml::table& table = *channels->get(i)->as_table();
    const TableReader reader(root.source(), table, "channel[" + std::to_string(i) + "]",
                             {"name", "plugin", "optional", "settings"});
    ChannelConfig channel;
    channel.where = position(file, table.source(), sdk::SourcePosition{file, 1, 1});
    channel.name = expect_name(reader, "name");
    if (const auto [earlier, inserted] = seen.emplace(channel.name, i); !inserted) {
      const ChannelConfig& first = config.channels[earlier->second];
      reader.fail("name", "channel '" + channel.name + "' is already defined at " +
                              first.where.to_string() +
                              "; each channel needs a name of its own (run a plugin twice "
                              "under two names)");
    }
    channel.plugin = expect_name(reader, "plugin");
    channel.optional = reader.optional_boolean("optional").value_or(false);
    sdk::SettingValue settings;
    settings.where = channel.where;
    if (const toml::table* given = reader.optional_subtable("settings")) {
      settings = to_setting(*given, file, channel.where);
    }
    channel.settings = sdk::Settings(std::move(settings), "channel '" + channel.name + "'");
    config.channels.push_back(std::move(channel));
  }
}

}  // namespace

GatewayConfig parse_gateway_config(std::string_view text, const std::filesystem::path& file) {
  const Source source{file.string()};
  toml::table document;
  try {
    document = toml::parse(text, file.string());
  } catch (const toml::parse_error& error) {
    source.fail(error.source(), std::string(error.description()));
  }
  const TableReader root(source, document, "",
                         {"policy", "plugins", "state_dir", "log", "daemon", "outbox", "channel"});

  GatewayConfig config;
  std::error_code error;
  config.file = std::filesystem::absolute(file, error).lexically_normal();
  if (error) {
    throw InvalidArgument(file.string() + ": cannot make the path absolute: " + error.message());
  }
  const std::filesystem::path folder = config.file.parent_path();

  if (!root.has("policy")) {
    source.fail(root.where(),
                "missing key 'policy' at the top level; expected the policy file, such as "
                "policy = \"policy.toml\"");
  }
  config.policy_file = resolve(folder, root.string("policy"));
  if (const auto plugins = root.optional_string("plugins")) {
    config.plugin_dir = resolve(folder, *plugins);
  }
  if (const auto state = root.optional_string("state_dir")) {
    config.state_dir = resolve(folder, *state);
  }
  parse_log(root, config);
  parse_daemon(root, config);
  parse_outbox(root, config);
  parse_channels(root, config);
  return config;
}

GatewayConfig load_gateway_config(const std::filesystem::path& file) {
  std::error_code error;
  const auto size = std::filesystem::file_size(file, error);
  if (error) {
    throw InvalidArgument(file.string() + ": cannot read the gateway file: " + error.message());
  }
  if (size > kMaxGatewayBytes) {
    throw InvalidArgument(file.string() + ": " + std::to_string(size) +
                          " bytes is too large for a gateway file (at most 4 MiB)");
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) {
    throw InvalidArgument(file.string() + ": cannot read the gateway file");
  }
  return parse_gateway_config(text.str(), file);
}

}  // namespace supportgw::gateway
