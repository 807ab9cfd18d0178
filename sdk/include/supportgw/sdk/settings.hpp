#pragma once
// A channel's settings: its `[channel.settings]` table from gateway.toml, as plain data
// the host builds, so a plugin depends on no parser (the host's toml++ build stays its
// own). Every value remembers where it was written; every accessor error says so:
//   "gateway.toml:14:10: channel 'web': setting 'listen': expected a string".
//
// Accessors throw SettingsError. They run inside the plugin, so the exception never
// crosses the boundary: catch it in start() and return it as a Status (the
// sdk::guard() in channel.hpp does that for you).
//
// Value forms a plugin can ask for:
//   string, integer, boolean, floating (an integer is accepted too),
//   duration  "90s", "15m", "2h", "1d", "250ms", or an integer of seconds,
//   size      "512KiB", "16MiB", "2GiB", "1TiB", "10MB", or an integer of bytes,
//   strings   an array of strings,
//   table     a sub-table, itself a Settings.

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace supportgw::sdk {

// file:line:column of a value in its file (line and column count from 1; 0 unknown).
struct SourcePosition {
  std::string file;
  int line = 0;
  int column = 0;
  std::string to_string() const;
};

class SettingsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SettingValue {
  enum class Type { boolean, integer, floating, string, array, table };
  Type type = Type::table;
  bool boolean = false;
  std::int64_t integer = 0;
  double floating = 0;
  std::string string;
  std::vector<SettingValue> items;                            // array
  std::vector<std::pair<std::string, SettingValue>> members;  // table, in file order
  SourcePosition where;
};

const char* to_string(SettingValue::Type type) noexcept;

class Settings {
 public:
  // An empty table (a channel with no settings).
  Settings() = default;
  // `owner` names whose settings these are, for messages ("channel 'web'").
  Settings(SettingValue table, std::string owner);

  const std::string& owner() const noexcept { return owner_; }
  const SourcePosition& where() const noexcept { return table_.where; }
  bool has(std::string_view key) const;
  std::vector<std::string> keys() const;
  // Throws naming the first key not in `known`: a misspelt setting is an error, not a
  // silently ignored line.
  void refuse_unknown(std::initializer_list<std::string_view> known) const;

  std::string string(std::string_view key) const;
  std::string string_or(std::string_view key, std::string fallback) const;
  std::int64_t integer(std::string_view key) const;
  std::int64_t integer_or(std::string_view key, std::int64_t fallback) const;
  bool boolean_or(std::string_view key, bool fallback) const;
  double floating_or(std::string_view key, double fallback) const;
  std::chrono::milliseconds duration(std::string_view key) const;
  std::chrono::milliseconds duration_or(std::string_view key,
                                        std::chrono::milliseconds fallback) const;
  std::uint64_t size(std::string_view key) const;
  std::uint64_t size_or(std::string_view key, std::uint64_t fallback) const;
  std::vector<std::string> strings(std::string_view key) const;
  std::vector<std::string> strings_or(std::string_view key,
                                      std::vector<std::string> fallback) const;
  Settings table(std::string_view key) const;

  // The raw value, or null; for forms the accessors above do not cover.
  const SettingValue* find(std::string_view key) const;
  // An error for `key` in the house style, for checks of the plugin's own.
  SettingsError error(std::string_view key, std::string_view what) const;

 private:
  const SettingValue& require(std::string_view key, SettingValue::Type type) const;

  SettingValue table_;
  std::string owner_;
};

// Parsers behind duration() and size(), for plugins that take such values elsewhere
// (a header, a form). nullopt when `text` is not one.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);
std::optional<std::uint64_t> parse_size(std::string_view text);

}  // namespace supportgw::sdk
