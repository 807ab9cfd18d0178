// gateway.toml: the examples parse, paths resolve against the file's folder, every
// mistake names file:line:column, and channel settings reach plugins as sdk::Settings
// whose errors point into gateway.toml.
#include "core/gateway/gateway_config.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "core/policy/policy_error.hpp"
#include "core/policy/policy_parser.hpp"
#include "tests/support/temp_dir.hpp"

namespace supportgw::gateway {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const fs::path kExamples = SUPPORTGW_EXAMPLES_DIR;

// `text` as /some/deployment/gateway.toml (not read from disk).
GatewayConfig parse(std::string_view text) {
  return parse_gateway_config(text, "/srv/acme/gateway.toml");
}

// The error `text` gets, as "line:column: message" with the file name checked and cut.
std::string error_of(std::string_view text) {
  try {
    (void)parse(text);
  } catch (const policy::PolicyError& error) {
    EXPECT_EQ(error.file(), "/srv/acme/gateway.toml");
    return std::to_string(error.line()) + ":" + std::to_string(error.column()) + ": " +
           error.message();
  }
  ADD_FAILURE() << "accepted:\n" << text;
  return {};
}

std::string settings_error(const std::function<void()>& call) {
  try {
    call();
  } catch (const sdk::SettingsError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected a SettingsError";
  return {};
}

TEST(GatewayConfig, EveryExampleParsesAndNamesItsPolicy) {
  for (const char* vendor : {"jetnet", "ne-t", "netcor", "netex", "onenet"}) {
    SCOPED_TRACE(vendor);
    const GatewayConfig config = load_gateway_config(kExamples / vendor / "gateway.toml");
    EXPECT_TRUE(config.file.is_absolute());
    EXPECT_EQ(config.policy_file, (kExamples / vendor / "policy.toml").lexically_normal());
    EXPECT_NO_THROW(policy::load_policy(config.policy_file));
    EXPECT_TRUE(config.plugin_dir.empty());
    EXPECT_TRUE(config.state_dir.empty());
    EXPECT_EQ(config.log_level, "info");
    EXPECT_EQ(config.threads, 2);
    ASSERT_GE(config.channels.size(), 2u);
    for (const ChannelConfig& channel : config.channels) {
      EXPECT_FALSE(channel.plugin.empty());
      EXPECT_EQ(channel.settings.owner(), "channel '" + channel.name + "'");
      EXPECT_GT(channel.where.line, 0);
    }
  }
}

TEST(GatewayConfig, ExampleSettingsAreThePluginsToRead) {
  const GatewayConfig netex = load_gateway_config(kExamples / "netex" / "gateway.toml");
  ASSERT_EQ(netex.channels.size(), 4u);
  EXPECT_EQ(netex.channels[2].name, "ftp");
  EXPECT_EQ(netex.channels[2].settings.size("max_upload"), 16ULL << 30);
  EXPECT_TRUE(netex.channels[3].optional);
  EXPECT_EQ(netex.channels[3].settings.strings("numbers"),
            (std::vector<std::string>{"+1 763 694 4350", "+44 3300 271862"}));
  const GatewayConfig jetnet = load_gateway_config(kExamples / "jetnet" / "gateway.toml");
  const sdk::Settings menu = jetnet.channels[2].settings.table("menu");
  EXPECT_EQ(menu.string("3"), "option-3");
}

TEST(GatewayConfig, EveryKeyAndItsDefault) {
  const GatewayConfig minimal = parse("policy = \"policy.toml\"\n");
  EXPECT_EQ(minimal.file, fs::path("/srv/acme/gateway.toml"));
  EXPECT_EQ(minimal.policy_file, fs::path("/srv/acme/policy.toml"));
  EXPECT_TRUE(minimal.plugin_dir.empty());
  EXPECT_TRUE(minimal.state_dir.empty());
  EXPECT_EQ(minimal.log_level, "info");
  EXPECT_EQ(minimal.log_format, "text");
  EXPECT_EQ(minimal.threads, 2);
  EXPECT_EQ(minimal.drain_timeout, 10s);
  EXPECT_TRUE(minimal.channels.empty());

  const GatewayConfig full = parse(R"(
policy = "policy.toml"
plugins = "../../build/default/plugins"
state_dir = "var"
[log]
level = "debug"
format = "json"
[daemon]
threads = 8
drain_timeout = "1m30s"
[[channel]]
name = "web"
plugin = "web"
[[channel]]
name = "phone-hotline"
plugin = "phone"
optional = true
)");
  EXPECT_EQ(full.plugin_dir, fs::path("/build/default/plugins"));
  EXPECT_EQ(full.state_dir, fs::path("/srv/acme/var"));
  EXPECT_EQ(full.log_level, "debug");
  EXPECT_EQ(full.log_format, "json");
  EXPECT_EQ(full.threads, 8);
  EXPECT_EQ(full.drain_timeout, 90s);
  ASSERT_EQ(full.channels.size(), 2u);
  EXPECT_EQ(full.channels[0].name, "web");
  EXPECT_FALSE(full.channels[0].optional);
  EXPECT_EQ(full.channels[0].where.line, 11);
  EXPECT_EQ(full.channels[1].name, "phone-hotline");
  EXPECT_EQ(full.channels[1].plugin, "phone");
  EXPECT_TRUE(full.channels[1].optional);
  EXPECT_TRUE(full.channels[1].settings.keys().empty());
  EXPECT_EQ(parse("policy = \"p.toml\"\n[daemon]\ndrain_timeout = 5\n").drain_timeout, 5s);
}

TEST(GatewayConfig, RelativePathsResolveAgainstTheFilesFolder) {
  testing::TempDir dir;
  fs::create_directories(dir / "deploy");
  {
    std::ofstream out(dir / "deploy" / "gateway.toml");
    out << "policy = \"rules/policy.toml\"\n"
           "plugins = \"../plugins\"\n"
           "state_dir = \"/var/lib/acme\"\n";
  }
  // From another working directory, and through a relative path to the file.
  const fs::path before = fs::current_path();
  fs::current_path(dir.path());
  GatewayConfig config;
  try {
    config = load_gateway_config("deploy/gateway.toml");
  } catch (...) {
    fs::current_path(before);
    throw;
  }
  fs::current_path(before);
  EXPECT_EQ(config.file, (dir / "deploy" / "gateway.toml").lexically_normal());
  EXPECT_EQ(config.policy_file, (dir / "deploy" / "rules" / "policy.toml").lexically_normal());
  EXPECT_EQ(config.plugin_dir, (dir / "plugins").lexically_normal());
  EXPECT_EQ(config.state_dir, fs::path("/var/lib/acme"));
}

TEST(GatewayConfigErrors, UnreadableFileNamesThePath) {
  try {
    (void)load_gateway_config("/nonexistent/gateway.toml");
    ADD_FAILURE() << "accepted";
  } catch (const InvalidArgument& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent/gateway.toml: cannot read"),
              std::string::npos)
        << error.what();
  }
}

TEST(GatewayConfigErrors, UnknownKeysWithLineAndColumn) {
  EXPECT_EQ(error_of("policy = \"p.toml\"\nstore = \"/var/lib/x.db\"\n"),
            "2:1: unknown key 'store' at the top level; expected one of: policy, plugins, "
            "state_dir, log, daemon, outbox, channel");
  EXPECT_EQ(error_of("policy = \"p.toml\"\n[log]\n  levle = \"info\"\n"),
            "3:3: unknown key 'levle' in [log]; did you mean 'level'? Expected one of: level, "
            "format");
  EXPECT_EQ(error_of("policy = \"p.toml\"\n[[channel]]\nname = \"web\"\nplugin = \"web\"\n"
                     "listen = \"127.0.0.1:0\"\n"),
            "5:1: unknown key 'listen' in [channel[0]]; expected one of: name, plugin, "
            "optional, settings");
}

TEST(GatewayConfigErrors, MissingAndMistypedValues) {
  EXPECT_EQ(error_of("plugins = \"p\"\n"),
            "1:1: missing key 'policy' at the top level; expected the policy file, such as "
            "policy = \"policy.toml\"");
  EXPECT_EQ(error_of("policy = 3\n"), "1:10: policy: expected a string, found an integer");
  EXPECT_EQ(error_of("policy = \"\"\n"), "1:10: policy: expected a non-empty string");
  EXPECT_EQ(error_of("policy = \"p\"\n[daemon]\nthreads = 65\n"),
            "3:11: daemon.threads: expected an integer from 1 to 64, found 65");
  EXPECT_EQ(error_of("policy = \"p\"\n[daemon]\ndrain_timeout = \"10 s\"\n"),
            "3:17: daemon.drain_timeout: expected a duration such as \"10s\" or \"1m30s\" "
            "(units ms, s, m, h, d) or an integer of seconds, found \"10 s\"");
  EXPECT_EQ(error_of("policy = \"p\"\n[daemon]\ndrain_timeout = -1\n"),
            "3:17: daemon.drain_timeout: expected a duration such as \"10s\" or \"1m30s\" "
            "(units ms, s, m, h, d) or an integer of seconds, found an integer");
  EXPECT_EQ(error_of("policy = \"p\"\n[log]\nlevel = \"verbose\"\n"),
            "3:9: log.level: expected one of trace, debug, info, warn, error, found \"verbose\"");
  EXPECT_EQ(error_of("policy = \"p\"\n[log]\nformat = \"xml\"\n"),
            "3:10: log.format: expected one of text, json, found \"xml\"");
  EXPECT_EQ(error_of("policy = \"p\"\n[[channel]]\nname = \"web\"\n"),
            "2:1: missing key 'plugin' in [channel[0]]");
  EXPECT_EQ(error_of("policy = \"p\"\n[[channel]]\nname = \"web\"\nplugin = \"web\"\n"
                     "optional = \"no\"\n"),
            "5:12: channel[0].optional: expected true or false, found a string");
  EXPECT_EQ(error_of("policy = \"p\"\nchannel = \"web\"\n"),
            "2:11: channel: expected an array of tables ([[channel]]), found a string");
  EXPECT_EQ(error_of("policy = \"p\"\n[[channel]]\nname = \"web\"\nplugin = \"web\"\n"
                     "settings = 3\n"),
            "5:12: channel[0].settings: expected a table, found an integer");
}

TEST(GatewayConfigErrors, TomlSyntax) {
  const std::string error = error_of("policy = \"p\"\n[log\n");
  EXPECT_EQ(error.rfind("2:", 0), 0u) << error;
}

TEST(GatewayConfigErrors, BadChannelNames) {
  const std::string channel = "policy = \"p\"\n[[channel]]\nname = ";
  EXPECT_EQ(error_of(channel + "\"Web\"\nplugin = \"web\"\n"),
            "3:8: channel[0].name: 'Web' is not a name; expected 1 to 63 of a-z, 0-9, '_' and "
            "'-', starting with a letter or digit, such as \"web\" or \"phone-hotline\"");
  for (const std::string& bad : std::vector<std::string>{"-web", "_web", "web mail", "web/../x",
                                                         "wéb", std::string(64, 'a')}) {
    SCOPED_TRACE(bad);
    EXPECT_NE(error_of(channel + "\"" + bad + "\"\nplugin = \"web\"\n").find("is not a name"),
              std::string::npos);
  }
  EXPECT_NE(error_of(channel + "\"web\"\nplugin = \"../evil\"\n")
                .find("4:10: channel[0].plugin: '../evil' is not a name"),
            std::string::npos);
  EXPECT_EQ(
      parse(channel + "\"" + std::string(63, 'a') + "\"\nplugin = \"0_9-z\"\n").channels[0].plugin,
      "0_9-z");
}

TEST(GatewayConfigErrors, DuplicateChannelName) {
  EXPECT_EQ(error_of("policy = \"p\"\n"
                     "[[channel]]\nname = \"web\"\nplugin = \"web\"\n"
                     "[[channel]]\nname = \"mail\"\nplugin = \"email\"\n"
                     "[[channel]]\nname = \"web\"\nplugin = \"web\"\n"),
            "9:8: channel[2].name: channel 'web' is already defined at "
            "/srv/acme/gateway.toml:2:1; each channel needs a name of its own (run a plugin "
            "twice under two names)");
}

// Lines of this text count from 1 at "policy".
constexpr const char* kSettings = R"(policy = "p"
[[channel]]
name = "web"
plugin = "web"
[channel.settings]
listen = "127.0.0.1:0"
workers = 4
ratio = 0.25
secure = true
timeout = "abc"
aliases = ["a", "b", 3]
since = 2026-01-02
at = 10:30:00
stamp = 2026-01-02T10:30:00Z
tls = { cert = "/etc/c.pem", port = "x" }
[channel.settings.limits]
body = "16MiB"
deep.er = 1
)";

TEST(GatewayChannelSettings, ValuesCarryTheirPositionsInFileOrder) {
  const GatewayConfig config = parse(kSettings);
  const sdk::Settings& settings = config.channels.at(0).settings;
  EXPECT_EQ(settings.where().to_string(), "/srv/acme/gateway.toml:5:1");
  EXPECT_EQ(settings.keys(),
            (std::vector<std::string>{"listen", "workers", "ratio", "secure", "timeout", "aliases",
                                      "since", "at", "stamp", "tls", "limits"}));
  EXPECT_EQ(settings.string("listen"), "127.0.0.1:0");
  EXPECT_EQ(settings.find("listen")->where.to_string(), "/srv/acme/gateway.toml:6:10");
  EXPECT_EQ(settings.integer("workers"), 4);
  EXPECT_DOUBLE_EQ(settings.floating_or("ratio", 0), 0.25);
  EXPECT_TRUE(settings.boolean_or("secure", false));
  EXPECT_EQ(settings.string("since"), "2026-01-02");
  EXPECT_EQ(settings.string("at"), "10:30:00");
  EXPECT_EQ(settings.string("stamp").rfind("2026-01-02T10:30:00", 0), 0u);
  const sdk::SettingValue* aliases = settings.find("aliases");
  ASSERT_NE(aliases, nullptr);
  ASSERT_EQ(aliases->items.size(), 3u);
  EXPECT_EQ(aliases->items[2].where.line, 11);
  EXPECT_EQ(aliases->items[2].where.column, 22);
  EXPECT_EQ(settings.table("tls").string("cert"), "/etc/c.pem");
  const sdk::Settings limits = settings.table("limits");
  EXPECT_EQ(limits.where().line, 16);
  EXPECT_EQ(limits.size("body"), 16u << 20);
  EXPECT_EQ(limits.table("deep").integer("er"), 1);
}

TEST(GatewayChannelSettings, AccessorErrorsNameGatewayTomlLineAndColumn) {
  const GatewayConfig config = parse(kSettings);
  const sdk::Settings& settings = config.channels.at(0).settings;
  EXPECT_EQ(settings_error([&] { settings.duration("timeout"); }),
            "/srv/acme/gateway.toml:10:11: channel 'web': setting 'timeout': expected a "
            "duration such as \"30s\" or \"15m\" (units ms, s, m, h, d; an integer counts "
            "seconds), got \"abc\"");
  EXPECT_EQ(settings_error([&] { settings.string("address"); }),
            "/srv/acme/gateway.toml:5:1: channel 'web': missing setting 'address'");
  EXPECT_EQ(settings_error([&] { settings.strings("aliases"); }),
            "/srv/acme/gateway.toml:11:22: channel 'web': setting 'aliases': item 3: expected "
            "a string, got 3");
  EXPECT_EQ(settings_error([&] { settings.table("tls").integer("port"); }),
            "/srv/acme/gateway.toml:15:37: channel 'web': setting 'tls': setting 'port': "
            "expected an integer, got \"x\"");
  EXPECT_EQ(settings_error([&] {
              settings.refuse_unknown({"listen", "workers"});
            }),
            "/srv/acme/gateway.toml:8:9: channel 'web': unknown setting 'ratio'; known "
            "settings: listen, workers");
}

TEST(GatewayChannelSettings, AChannelWithoutSettingsPointsAtItsHeader) {
  const GatewayConfig config = parse(
      "policy = \"p\"\n\n[[channel]]\nname = \"web\"\nplugin = "
      "\"web\"\n");
  const sdk::Settings& settings = config.channels.at(0).settings;
  EXPECT_TRUE(settings.keys().empty());
  EXPECT_EQ(settings_error([&] { settings.string("listen"); }),
            "/srv/acme/gateway.toml:3:1: channel 'web': missing setting 'listen'");
}

TEST(GatewayConfig, OutboxRetriesAndTheirLimits) {
  const GatewayConfig defaults = parse("policy = \"p.toml\"\n");
  EXPECT_EQ(defaults.outbox_first_retry, std::chrono::seconds(5));
  EXPECT_EQ(defaults.outbox_max_attempts, 12);
  const GatewayConfig set = parse(
      "policy = \"p.toml\"\n[outbox]\nfirst_retry = \"250ms\"\nmax_retry = \"2m\"\n"
      "max_attempts = 5\n");
  EXPECT_EQ(set.outbox_first_retry, std::chrono::milliseconds(250));
  EXPECT_EQ(set.outbox_max_retry, std::chrono::minutes(2));
  EXPECT_EQ(set.outbox_max_attempts, 5);
  EXPECT_NE(error_of("policy = \"p.toml\"\n[outbox]\nfirst_retry = \"1h\"\nmax_retry = \"1m\"\n")
                .find("max_retry"),
            std::string::npos);
}

}  // namespace
}  // namespace supportgw::gateway
