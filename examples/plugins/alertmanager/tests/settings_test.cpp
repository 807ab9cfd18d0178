// The channel's settings as gateway.toml gives them.

#include <gtest/gtest.h>

#include "alertmanager_settings.hpp"

namespace alertmanager {
namespace {

using supportgw::sdk::Settings;
using supportgw::sdk::SettingsError;
using supportgw::sdk::SettingValue;

SettingValue string_value(std::string text) {
  SettingValue value;
  value.type = SettingValue::Type::string;
  value.string = std::move(text);
  value.where = {"gateway.toml", 12, 3};
  return value;
}

SettingValue integer_value(std::int64_t number) {
  SettingValue value;
  value.type = SettingValue::Type::integer;
  value.integer = number;
  value.where = {"gateway.toml", 14, 3};
  return value;
}

Settings settings(std::vector<std::pair<std::string, SettingValue>> members) {
  SettingValue table;
  table.type = SettingValue::Type::table;
  table.members = std::move(members);
  table.where = {"gateway.toml", 10, 1};
  return Settings(std::move(table), "channel 'alerts'");
}

std::string error_of(const Settings& given) {
  try {
    read_settings(given);
  } catch (const SettingsError& error) {
    return error.what();
  }
  return "";
}

TEST(Settings, DefaultsWithNoSettings) {
  const ChannelSettings read = read_settings(Settings());
  EXPECT_EQ(read.listen, "127.0.0.1:0");
  EXPECT_EQ(read.path, "/alertmanager");
  EXPECT_TRUE(read.bearer_token.empty());
  EXPECT_EQ(read.severity_label, "severity");
  EXPECT_TRUE(read.severities.empty());
  EXPECT_EQ(read.max_body, 1024U * 1024U);
  EXPECT_TRUE(read.notify.empty());
}

TEST(Settings, ReadsEverySetting) {
  SettingValue severities;
  severities.type = SettingValue::Type::table;
  severities.members = {{"critical", integer_value(1)}, {"warning", integer_value(3)}};
  const ChannelSettings read = read_settings(settings({
      {"listen", string_value("0.0.0.0:9097")},
      {"path", string_value("/hooks/am")},
      {"bearer_token", string_value("s3cret-token")},
      {"severity_label", string_value("priority")},
      {"severities", severities},
      {"max_body", string_value("256KiB")},
      {"notify", string_value("ops@example.net")},
  }));
  EXPECT_EQ(read.listen, "0.0.0.0:9097");
  EXPECT_EQ(read.path, "/hooks/am");
  EXPECT_EQ(read.bearer_token, "s3cret-token");
  EXPECT_EQ(read.severity_label, "priority");
  EXPECT_EQ(read.severities, (std::map<std::string, int>{{"critical", 1}, {"warning", 3}}));
  EXPECT_EQ(read.max_body, 256U * 1024U);
  EXPECT_EQ(read.notify, "ops@example.net");
}

TEST(Settings, RefusesMistakesWithTheirPlace) {
  EXPECT_NE(error_of(settings({{"bearer_tokn", string_value("x")}}))
                .find("unknown setting 'bearer_tokn'"),
            std::string::npos);
  EXPECT_NE(error_of(settings({{"path", string_value("alertmanager")}})).find("gateway.toml:12:3"),
            std::string::npos);
  EXPECT_NE(error_of(settings({{"bearer_token", string_value("two words")}}))
                .find("setting 'bearer_token'"),
            std::string::npos);
  EXPECT_NE(error_of(settings({{"notify", string_value("nobody")}})).find("e-mail address"),
            std::string::npos);
  EXPECT_NE(error_of(settings({{"max_body", string_value("1GiB")}})).find("64MiB"),
            std::string::npos);
  SettingValue severities;
  severities.type = SettingValue::Type::table;
  severities.members = {{"critical", integer_value(0)}};
  EXPECT_NE(error_of(settings({{"severities", severities}})).find("setting 'critical'"),
            std::string::npos);
  severities.members = {{"critical", string_value("1")}};
  EXPECT_NE(error_of(settings({{"severities", severities}})).find("expected an integer"),
            std::string::npos);
}

}  // namespace
}  // namespace alertmanager
