#include "supportgw/sdk/settings.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace supportgw::sdk {
namespace {

using Type = SettingValue::Type;

// Values and keys in messages are cut short: a hostile or mistaken file may hold a
// megabyte on one line, and the operator needs the start of it, not all of it.
constexpr std::size_t kMaxShown = 60;

std::string shown(std::string_view text) {
  std::string out(text.substr(0, kMaxShown));
  if (text.size() > kMaxShown) {
    out += "...";
  }
  return out;
}

std::string quoted(std::string_view text) { return "\"" + shown(text) + "\""; }

const char* with_article(Type type) {
  switch (type) {
    case Type::boolean:
      return "a boolean";
    case Type::integer:
      return "an integer";
    case Type::floating:
      return "a float";
    case Type::string:
      return "a string";
    case Type::array:
      return "an array";
    case Type::table:
      return "a table";
  }
  return "a value";
}

// What was there instead, for "expected X, got Y": a string shows its text, since that
// is what the operator will search the file for.
std::string got(const SettingValue& value) {
  switch (value.type) {
    case Type::string:
      return "got " + quoted(value.string);
    case Type::integer:
      return "got " + std::to_string(value.integer);
    default:
      return std::string("got ") + with_article(value.type);
  }
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "file:line:col: owner: ", the start of every message.
std::string prefix(const SourcePosition& where, const std::string& owner) {
  return where.to_string() + ": " + (owner.empty() ? std::string() : owner + ": ");
}

// A missing key points at the table that should hold it.
SettingsError missing(const SourcePosition& table, const std::string& owner, std::string_view key) {
  return SettingsError(prefix(table, owner) + "missing setting '" + shown(key) + "'");
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads the digits at text[pos]; nullopt when there are none or they overflow, so a huge
// number is refused rather than wrapped.
std::optional<std::uint64_t> read_number(std::string_view text, std::size_t& pos) {
  const std::size_t start = pos;
  std::uint64_t value = 0;
  bool overflow = false;
  while (pos < text.size() && is_digit(text[pos])) {
    overflow = overflow || __builtin_mul_overflow(value, 10u, &value) ||
               __builtin_add_overflow(value, static_cast<unsigned>(text[pos] - '0'), &value);
    ++pos;
  }
  if (pos == start || overflow) {
    return std::nullopt;
  }
  return value;
}

constexpr const char* kDurationExpected =
    "expected a duration such as \"30s\" or \"15m\" (units ms, s, m, h, d; an integer counts "
    "seconds)";
constexpr const char* kSizeExpected =
    "expected a size such as \"512KiB\", \"16MiB\" or \"10MB\" (units B, KiB, MiB, GiB, TiB, "
    "KB, MB, GB, TB; an integer counts bytes)";

}  // namespace

std::string SourcePosition::to_string() const {
  std::string out = file.empty() ? std::string("<settings>") : file;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) {
      out += ":" + std::to_string(column);
    }
  }
  return out;
}

const char* to_string(SettingValue::Type type) noexcept {
  switch (type) {
    case Type::boolean:
      return "boolean";
    case Type::integer:
      return "integer";
    case Type::floating:
      return "floating";
    case Type::string:
      return "string";
    case Type::array:
      return "array";
    case Type::table:
      return "table";
  }
  return "unknown";
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  // Units largest first; each may appear once, in this order ("1h30m", not "30m1h"), so
  // a typo such as "5m5m" is refused rather than summed.
  static constexpr std::array<std::pair<std::string_view, std::int64_t>, 5> kUnits{
      {{"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}, {"ms", 1}}};
  if (text.empty()) {
    return std::nullopt;
  }
  std::int64_t total = 0;
  std::size_t next_unit = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto number = read_number(text, pos);
    if (!number || *number > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return std::nullopt;
    }
    std::size_t end = pos;
    while (end < text.size() && text[end] >= 'a' && text[end] <= 'z') {
      ++end;
    }
    const std::string_view unit = text.substr(pos, end - pos);
    std::size_t index = next_unit;
    while (index < kUnits.size() && kUnits[index].first != unit) {
      ++index;
    }
    if (index == kUnits.size()) {
      return std::nullopt;  // no unit, an unknown one, a repeat or out of order
    }
    std::int64_t part = 0;
    if (__builtin_mul_overflow(static_cast<std::int64_t>(*number), kUnits[index].second, &part) ||
        __builtin_add_overflow(total, part, &total)) {
      return std::nullopt;
    }
    next_unit = index + 1;
    pos = end;
  }
  return std::chrono::milliseconds(total);
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, std::uint64_t>, 11> kUnits{{
      {"", 1},
      {"B", 1},
      {"KiB", 1ULL << 10},
      {"MiB", 1ULL << 20},
      {"GiB", 1ULL << 30},
      {"TiB", 1ULL << 40},
      // Decimal units, as disk vendors and most people's "10MB" mean them.
      {"KB", 1'000},
      {"kB", 1'000},
      {"MB", 1'000'000},
      {"GB", 1'000'000'000},
      {"TB", 1'000'000'000'000},
  }};
  std::size_t pos = 0;
  const auto number = read_number(text, pos);
  if (!number) {
    return std::nullopt;
  }
  const std::string_view unit = text.substr(pos);
  for (const auto& [name, factor] : kUnits) {
    if (name == unit) {
      std::uint64_t bytes = 0;
      if (__builtin_mul_overflow(*number, factor, &bytes)) {
        return std::nullopt;
      }
      return bytes;
    }
  }
  return std::nullopt;
}

Settings::Settings(SettingValue table, std::string owner)
    : table_(std::move(table)), owner_(std::move(owner)) {
  if (table_.type != Type::table) {
    throw SettingsError(prefix(table_.where, owner_) + "expected a table, " + got(table_));
  }
}

bool Settings::has(std::string_view key) const { return find(key) != nullptr; }

std::vector<std::string> Settings::keys() const {
  std::vector<std::string> names;
  names.reserve(table_.members.size());
  for (const auto& [name, value] : table_.members) {
    names.push_back(name);
  }
  return names;
}

void Settings::refuse_unknown(std::initializer_list<std::string_view> known) const {
  for (const auto& [name, value] : table_.members) {
    if (std::find(known.begin(), known.end(), name) != known.end()) {
      continue;
    }
    std::string message = "unknown setting '" + shown(name) + "'";
    std::string_view closest;
    std::size_t best = 3;  // suggest near misses only
    for (std::string_view candidate : known) {
      const std::size_t distance = edit_distance(std::string_view(name).substr(0, 64), candidate);
      if (distance < best) {
        best = distance;
        closest = candidate;
      }
    }
    if (!closest.empty()) {
      message += "; did you mean '" + std::string(closest) + "'?";
    }
    if (known.size() == 0) {
      message += "; this channel takes no settings";
    } else {
      message += closest.empty() ? "; known settings: " : " Known settings: ";
      bool first = true;
      for (std::string_view candidate : known) {
        message += (first ? "" : ", ") + std::string(candidate);
        first = false;
      }
    }
    throw SettingsError(prefix(value.where, owner_) + message);
  }
}

const SettingValue* Settings::find(std::string_view key) const {
  for (const auto& [name, value] : table_.members) {
    if (name == key) {
      return &value;
    }
  }
  return nullptr;
}

SettingsError Settings::error(std::string_view key, std::string_view what) const {
  // A value's own position when it is there; else the table that should hold it.
  const SettingValue* value = find(key);
  const SourcePosition& where = value != nullptr ? value->where : table_.where;
  return SettingsError(prefix(where, owner_) + "setting '" + shown(key) +
                       "': " + std::string(what));
}

const SettingValue& Settings::require(std::string_view key, SettingValue::Type type) const {
  const SettingValue* value = find(key);
  if (value == nullptr) {
    throw missing(table_.where, owner_, key);
  }
  if (value->type != type) {
    throw error(key, std::string("expected ") + with_article(type) + ", " + got(*value));
  }
  return *value;
}

std::string Settings::string(std::string_view key) const {
  return require(key, Type::string).string;
}

std::string Settings::string_or(std::string_view key, std::string fallback) const {
  return has(key) ? string(key) : std::move(fallback);
}

std::int64_t Settings::integer(std::string_view key) const {
  return require(key, Type::integer).integer;
}

std::int64_t Settings::integer_or(std::string_view key, std::int64_t fallback) const {
  return has(key) ? integer(key) : fallback;
}

bool Settings::boolean_or(std::string_view key, bool fallback) const {
  return has(key) ? require(key, Type::boolean).boolean : fallback;
}

double Settings::floating_or(std::string_view key, double fallback) const {
  const SettingValue* value = find(key);
  if (value == nullptr) {
    return fallback;
  }
  // TOML makes "2" an integer and "2.0" a float; a person writing a ratio means either.
  if (value->type == Type::integer) {
    return static_cast<double>(value->integer);
  }
  return require(key, Type::floating).floating;
}

std::chrono::milliseconds Settings::duration(std::string_view key) const {
  const SettingValue* value = find(key);
  if (value == nullptr) {
    throw missing(table_.where, owner_, key);
  }
  if (value->type == Type::integer) {
    constexpr std::int64_t kMaxSeconds = std::numeric_limits<std::int64_t>::max() / 1000;
    if (value->integer < 0 || value->integer > kMaxSeconds) {
      throw error(key, std::string(kDurationExpected) + ", " + got(*value));
    }
    return std::chrono::seconds(value->integer);
  }
  if (value->type == Type::string) {
    if (auto parsed = parse_duration(value->string)) {
      return *parsed;
    }
  }
  throw error(key, std::string(kDurationExpected) + ", " + got(*value));
}

std::chrono::milliseconds Settings::duration_or(std::string_view key,
                                                std::chrono::milliseconds fallback) const {
  return has(key) ? duration(key) : fallback;
}

std::uint64_t Settings::size(std::string_view key) const {
  const SettingValue* value = find(key);
  if (value == nullptr) {
    throw missing(table_.where, owner_, key);
  }
  if (value->type == Type::integer && value->integer >= 0) {
    return static_cast<std::uint64_t>(value->integer);
  }
  if (value->type == Type::string) {
    if (auto parsed = parse_size(value->string)) {
      return *parsed;
    }
  }
  throw error(key, std::string(kSizeExpected) + ", " + got(*value));
}

std::uint64_t Settings::size_or(std::string_view key, std::uint64_t fallback) const {
  return has(key) ? size(key) : fallback;
}

std::vector<std::string> Settings::strings(std::string_view key) const {
  const SettingValue* value = find(key);
  if (value != nullptr && value->type != Type::array) {
    throw error(key, "expected an array of strings, " + got(*value));
  }
  const SettingValue& array = require(key, Type::array);
  std::vector<std::string> items;
  items.reserve(array.items.size());
  for (std::size_t i = 0; i < array.items.size(); ++i) {
    const SettingValue& item = array.items[i];
    if (item.type != Type::string) {
      // The item's own position: in a long list the operator needs to see which one.
      throw SettingsError(prefix(item.where, owner_) + "setting '" + shown(key) + "': item " +
                          std::to_string(i + 1) + ": expected a string, " + got(item));
    }
    items.push_back(item.string);
  }
  return items;
}

std::vector<std::string> Settings::strings_or(std::string_view key,
                                              std::vector<std::string> fallback) const {
  return has(key) ? strings(key) : std::move(fallback);
}

Settings Settings::table(std::string_view key) const {
  // The sub-table's own messages name the path to it: "channel 'web': setting 'tls':
  // missing setting 'cert'".
  const std::string path = "setting '" + shown(key) + "'";
  return Settings(require(key, Type::table), owner_.empty() ? path : owner_ + ": " + path);
}

}  // namespace supportgw::sdk
