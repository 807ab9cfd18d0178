// The SDK's settings accessors: each value form, each error in the house style
// ("file:line:col: owner: setting 'key': ..."), and the duration and size parsers.
#include "supportgw/sdk/settings.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace supportgw::sdk {
namespace {

using namespace std::chrono_literals;
using Type = SettingValue::Type;

SourcePosition at(int line, int column) { return SourcePosition{"gateway.toml", line, column}; }

SettingValue value_of(std::string text, int line, int column = 10) {
  SettingValue value;
  value.type = Type::string;
  value.string = std::move(text);
  value.where = at(line, column);
  return value;
}

SettingValue value_of(std::int64_t number, int line, int column = 10) {
  SettingValue value;
  value.type = Type::integer;
  value.integer = number;
  value.where = at(line, column);
  return value;
}

SettingValue boolean_value(bool flag, int line) {
  SettingValue value;
  value.type = Type::boolean;
  value.boolean = flag;
  value.where = at(line, 10);
  return value;
}

SettingValue floating_value(double number, int line) {
  SettingValue value;
  value.type = Type::floating;
  value.floating = number;
  value.where = at(line, 10);
  return value;
}

SettingValue array_of(std::vector<SettingValue> items, int line) {
  SettingValue value;
  value.type = Type::array;
  value.items = std::move(items);
  value.where = at(line, 10);
  return value;
}

SettingValue table_of(std::vector<std::pair<std::string, SettingValue>> members, int line,
                      int column = 1) {
  SettingValue value;
  value.type = Type::table;
  value.members = std::move(members);
  value.where = at(line, column);
  return value;
}

// [channel.settings] at line 12, as the web channel of an example would have it.
Settings web_settings() {
  return Settings(
      table_of(
          {
              {"listen", value_of("127.0.0.1:8080", 13)},
              {"workers", value_of(4, 14)},
              {"login_required", boolean_value(true, 15)},
              {"ratio", floating_value(0.5, 16)},
              {"whole_ratio", value_of(2, 17)},
              {"timeout", value_of("1h30m", 18)},
              {"idle", value_of(90, 19)},
              {"max_upload", value_of("16GiB", 20)},
              {"max_body", value_of(1024, 21)},
              {"numbers",
               array_of({value_of("+1 555 0100", 22, 12), value_of("+1 555 0101", 22, 27)}, 22)},
              {"bad_numbers", array_of({value_of("+1 555 0100", 23, 16), value_of(7, 23, 31)}, 23)},
              {"tls", table_of({{"cert", value_of("/etc/cert.pem", 25)}}, 24)},
              {"slow", value_of("abc", 26)},
              {"negative", value_of(-5, 27)},
              {"huge", value_of(std::numeric_limits<std::int64_t>::max(), 28)},
          },
          12),
      "channel 'web'");
}

std::string message_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const SettingsError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected a SettingsError";
  return {};
}

TEST(SourcePosition, PrintsFileLineAndColumnWhereKnown) {
  EXPECT_EQ(at(3, 7).to_string(), "gateway.toml:3:7");
  EXPECT_EQ((SourcePosition{"gateway.toml", 3, 0}).to_string(), "gateway.toml:3");
  EXPECT_EQ((SourcePosition{"gateway.toml", 0, 0}).to_string(), "gateway.toml");
}

TEST(Settings, ReadsEachForm) {
  const Settings settings = web_settings();
  EXPECT_EQ(settings.owner(), "channel 'web'");
  EXPECT_EQ(settings.where().line, 12);
  EXPECT_EQ(settings.string("listen"), "127.0.0.1:8080");
  EXPECT_EQ(settings.integer("workers"), 4);
  EXPECT_TRUE(settings.boolean_or("login_required", false));
  EXPECT_DOUBLE_EQ(settings.floating_or("ratio", 0), 0.5);
  EXPECT_DOUBLE_EQ(settings.floating_or("whole_ratio", 0), 2.0);
  EXPECT_EQ(settings.duration("timeout"), 90min);
  EXPECT_EQ(settings.duration("idle"), 90s);
  EXPECT_EQ(settings.size("max_upload"), 16ULL << 30);
  EXPECT_EQ(settings.size("max_body"), 1024u);
  EXPECT_EQ(settings.strings("numbers"), (std::vector<std::string>{"+1 555 0100", "+1 555 0101"}));
  EXPECT_EQ(settings.table("tls").string("cert"), "/etc/cert.pem");
  EXPECT_TRUE(settings.has("tls"));
  EXPECT_FALSE(settings.has("absent"));
  ASSERT_NE(settings.find("workers"), nullptr);
  EXPECT_EQ(settings.find("workers")->where.line, 14);
  EXPECT_EQ(settings.find("absent"), nullptr);
  EXPECT_EQ(settings.keys().front(), "listen");
  EXPECT_EQ(settings.keys().size(), 15u);
}

TEST(Settings, FallbacksApplyOnlyWhenTheKeyIsAbsent) {
  const Settings settings = web_settings();
  EXPECT_EQ(settings.string_or("absent", "x"), "x");
  EXPECT_EQ(settings.integer_or("absent", 7), 7);
  EXPECT_FALSE(settings.boolean_or("absent", false));
  EXPECT_DOUBLE_EQ(settings.floating_or("absent", 1.5), 1.5);
  EXPECT_EQ(settings.duration_or("absent", 5s), 5s);
  EXPECT_EQ(settings.size_or("absent", 9), 9u);
  EXPECT_EQ(settings.strings_or("absent", {"a"}), std::vector<std::string>{"a"});
  // A value of the wrong type is an error, not a reason to use the fallback.
  EXPECT_THROW(settings.string_or("workers", "x"), SettingsError);
  EXPECT_THROW(settings.integer_or("listen", 7), SettingsError);
  EXPECT_THROW(settings.boolean_or("workers", false), SettingsError);
  EXPECT_THROW(settings.floating_or("listen", 1.5), SettingsError);
  EXPECT_THROW(settings.duration_or("slow", 5s), SettingsError);
  EXPECT_THROW(settings.size_or("slow", 9), SettingsError);
  EXPECT_THROW(settings.strings_or("listen", {}), SettingsError);
}

TEST(Settings, EmptySettingsHaveNoKeys) {
  const Settings settings;
  EXPECT_TRUE(settings.keys().empty());
  EXPECT_EQ(settings.string_or("listen", "x"), "x");
  EXPECT_NO_THROW(settings.refuse_unknown({"listen"}));
  EXPECT_THROW(settings.string("listen"), SettingsError);
}

TEST(SettingsErrors, WrongTypeNamesTheValuesPosition) {
  const Settings settings = web_settings();
  EXPECT_EQ(message_of([&] { settings.string("workers"); }),
            "gateway.toml:14:10: channel 'web': setting 'workers': expected a string, got 4");
  EXPECT_EQ(message_of([&] { settings.integer("listen"); }),
            "gateway.toml:13:10: channel 'web': setting 'listen': expected an integer, got "
            "\"127.0.0.1:8080\"");
  EXPECT_EQ(message_of([&] { settings.table("listen"); }),
            "gateway.toml:13:10: channel 'web': setting 'listen': expected a table, got "
            "\"127.0.0.1:8080\"");
  EXPECT_EQ(message_of([&] { settings.boolean_or("ratio", false); }),
            "gateway.toml:16:10: channel 'web': setting 'ratio': expected a boolean, got a float");
}

TEST(SettingsErrors, MissingKeyNamesTheTablesPosition) {
  const Settings settings = web_settings();
  EXPECT_EQ(message_of([&] { settings.string("address"); }),
            "gateway.toml:12:1: channel 'web': missing setting 'address'");
  EXPECT_EQ(message_of([&] { settings.duration("absent"); }),
            "gateway.toml:12:1: channel 'web': missing setting 'absent'");
  EXPECT_EQ(message_of([&] { settings.size("absent"); }),
            "gateway.toml:12:1: channel 'web': missing setting 'absent'");
  EXPECT_EQ(message_of([&] { settings.strings("absent"); }),
            "gateway.toml:12:1: channel 'web': missing setting 'absent'");
}

TEST(SettingsErrors, SubTableMessagesNameThePathToIt) {
  const Settings tls = web_settings().table("tls");
  EXPECT_EQ(tls.where().line, 24);
  EXPECT_EQ(message_of([&] { tls.string("key"); }),
            "gateway.toml:24:1: channel 'web': setting 'tls': missing setting 'key'");
}

TEST(SettingsErrors, BadDurationAndSize) {
  const Settings settings = web_settings();
  EXPECT_EQ(message_of([&] { settings.duration("slow"); }),
            "gateway.toml:26:10: channel 'web': setting 'slow': expected a duration such as "
            "\"30s\" or \"15m\" (units ms, s, m, h, d; an integer counts seconds), got \"abc\"");
  EXPECT_NE(message_of([&] { settings.duration("negative"); }).find("got -5"), std::string::npos);
  // Seconds that would overflow milliseconds.
  EXPECT_NE(message_of([&] {
              settings.duration("huge");
            }).find("gateway.toml:28:10: channel 'web': setting 'huge': expected a duration"),
            std::string::npos);
  EXPECT_NE(message_of([&] { settings.duration("listen"); }).find("got \"127.0.0.1:8080\""),
            std::string::npos);
  EXPECT_NE(message_of([&] { settings.duration("login_required"); }).find("got a boolean"),
            std::string::npos);
  EXPECT_EQ(message_of([&] { settings.size("slow"); }),
            "gateway.toml:26:10: channel 'web': setting 'slow': expected a size such as "
            "\"512KiB\", \"16MiB\" or \"10MB\" (units B, KiB, MiB, GiB, TiB, KB, MB, GB, TB; an "
            "integer counts bytes), got \"abc\"");
  EXPECT_NE(message_of([&] { settings.size("negative"); }).find("got -5"), std::string::npos);
}

TEST(SettingsErrors, StringsNamesTheOffendingItem) {
  const Settings settings = web_settings();
  EXPECT_EQ(message_of([&] { settings.strings("bad_numbers"); }),
            "gateway.toml:23:31: channel 'web': setting 'bad_numbers': item 2: expected a "
            "string, got 7");
  EXPECT_EQ(message_of([&] { settings.strings("listen"); }),
            "gateway.toml:13:10: channel 'web': setting 'listen': expected an array of strings, "
            "got \"127.0.0.1:8080\"");
}

TEST(SettingsErrors, RefuseUnknownNamesTheKeyAndListsTheKnownOnes) {
  const Settings settings(table_of({{"listen", value_of("127.0.0.1:0", 3)},
                                    {"lisen", value_of("127.0.0.1:1", 4, 1)},
                                    {"colour", value_of("red", 5, 1)}},
                                   2),
                          "channel 'web'");
  EXPECT_EQ(message_of([&] {
              settings.refuse_unknown({"listen", "public_url"});
            }),
            "gateway.toml:4:1: channel 'web': unknown setting 'lisen'; did you mean 'listen'? "
            "Known settings: listen, public_url");
  EXPECT_EQ(message_of([&] {
              settings.refuse_unknown({"listen", "lisen", "form"});
            }),
            "gateway.toml:5:1: channel 'web': unknown setting 'colour'; known settings: listen, "
            "lisen, form");
  EXPECT_NO_THROW(settings.refuse_unknown({"colour", "lisen", "listen"}));
  EXPECT_NE(message_of([&] { settings.refuse_unknown({}); }).find("takes no settings"),
            std::string::npos);
}

TEST(SettingsErrors, ErrorHelperUsesTheHouseStyle) {
  const Settings settings = web_settings();
  EXPECT_STREQ(settings.error("listen", "port 80 needs privileges").what(),
               "gateway.toml:13:10: channel 'web': setting 'listen': port 80 needs privileges");
  EXPECT_STREQ(settings.error("absent", "is needed with tls").what(),
               "gateway.toml:12:1: channel 'web': setting 'absent': is needed with tls");
}

TEST(Settings, RefusesANonTable) {
  EXPECT_THROW(Settings(value_of("x", 1), "channel 'web'"), SettingsError);
}

TEST(ParseDuration, UnitsAndCombinations) {
  EXPECT_EQ(parse_duration("250ms"), 250ms);
  EXPECT_EQ(parse_duration("90s"), 90s);
  EXPECT_EQ(parse_duration("15m"), 15min);
  EXPECT_EQ(parse_duration("2h"), 2h);
  EXPECT_EQ(parse_duration("1d"), 24h);
  EXPECT_EQ(parse_duration("0s"), 0ms);
  EXPECT_EQ(parse_duration("1h30m"), 90min);
  EXPECT_EQ(parse_duration("1d2h3m4s5ms"), 24h + 2h + 3min + 4s + 5ms);
  EXPECT_EQ(parse_duration("1m500ms"), 60500ms);
}

TEST(ParseDuration, RefusesWhatIsNotOne) {
  for (const char* text : {"", "abc", "90", "-5s", "+5s", "1.5h", "5 m", " 5m", "5m ", "5M", "5x",
                           "m", "30m1h", "5m5m", "1h30", "ms"}) {
    EXPECT_FALSE(parse_duration(text).has_value()) << text;
  }
}

TEST(ParseDuration, RefusesOverflow) {
  EXPECT_FALSE(parse_duration("99999999999999999999s").has_value());
  EXPECT_FALSE(parse_duration("9223372036854775807s").has_value());
  EXPECT_FALSE(parse_duration("106751991168d").has_value());  // just over int64 milliseconds
  EXPECT_FALSE(parse_duration("9223372036854775807ms1ms").has_value());
  EXPECT_EQ(parse_duration("9223372036854775807ms"),
            std::chrono::milliseconds(std::numeric_limits<std::int64_t>::max()));
}

TEST(ParseSize, BinaryAndDecimalUnits) {
  EXPECT_EQ(parse_size("512"), 512u);
  EXPECT_EQ(parse_size("512B"), 512u);
  EXPECT_EQ(parse_size("16KiB"), 16u * 1024);
  EXPECT_EQ(parse_size("16MiB"), 16u * 1024 * 1024);
  EXPECT_EQ(parse_size("2GiB"), 2ULL << 30);
  EXPECT_EQ(parse_size("1TiB"), 1ULL << 40);
  EXPECT_EQ(parse_size("10KB"), 10'000u);
  EXPECT_EQ(parse_size("10kB"), 10'000u);
  EXPECT_EQ(parse_size("10MB"), 10'000'000u);
  EXPECT_EQ(parse_size("10GB"), 10'000'000'000u);
  EXPECT_EQ(parse_size("0"), 0u);
}

TEST(ParseSize, RefusesWhatIsNotOne) {
  for (const char* text :
       {"", "MiB", "-1", "1.5GiB", "16 MiB", "16mib", "16Mi", "16iB", "16K", "x16"}) {
    EXPECT_FALSE(parse_size(text).has_value()) << text;
  }
}

TEST(ParseSize, RefusesOverflow) {
  EXPECT_EQ(parse_size("18446744073709551615"), std::numeric_limits<std::uint64_t>::max());
  EXPECT_FALSE(parse_size("18446744073709551616").has_value());
  EXPECT_FALSE(parse_size("16777216TiB").has_value());  // 2^64 bytes
  EXPECT_EQ(parse_size("16777215TiB"), 16777215ULL << 40);
}

}  // namespace
}  // namespace supportgw::sdk
