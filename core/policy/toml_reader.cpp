#include "core/policy/toml_reader.hpp"

#include <algorithm>

#include "core/policy/policy_error.hpp"

namespace supportgw::policy::detail {
namespace {

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

std::string quoted(std::string_view text) {
  // Keys in messages are cut short: a hostile file may use megabyte-long keys.
  constexpr std::size_t kMaxShown = 60;
  std::string out = "'";
  out += text.substr(0, kMaxShown);
  if (text.size() > kMaxShown) {
    out += "...";
  }
  out += "'";
  return out;
}

std::string found(const toml::node& node) { return ", found " + std::string(describe(node)); }

}  // namespace

void Source::fail(const toml::source_region& at, const std::string& message) const {
  // Nodes made by the parser always have a position; tables implied by a dotted header
  // may not, and then the start of the file is the honest answer.
  const bool known = at.begin.line > 0 && at.begin.column > 0;
  throw PolicyError(name_, known ? at.begin.line : 1, known ? at.begin.column : 1, message);
}

std::string_view describe(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

TableReader::TableReader(const Source& source, const toml::table& table, std::string path,
                         std::initializer_list<std::string_view> allowed_keys)
    : source_(source), table_(table), path_(std::move(path)) {
  for (auto&& [key, node] : table_) {
    const std::string_view name = key.str();
    if (std::find(allowed_keys.begin(), allowed_keys.end(), name) != allowed_keys.end()) {
      continue;
    }
    std::string message = "unknown key " + quoted(name) +
                          (path_.empty() ? " at the top level" : " in [" + path_ + "]");
    std::string_view closest;
    std::size_t best = 3;  // only suggest near misses
    for (std::string_view candidate : allowed_keys) {
      const std::size_t distance = edit_distance(name.substr(0, 64), candidate);
      if (distance < best) {
        best = distance;
        closest = candidate;
      }
    }
    if (!closest.empty()) {
      message += "; did you mean '" + std::string(closest) + "'?";
    }
    message += closest.empty() ? "; expected one of: " : " Expected one of: ";
    bool first = true;
    for (std::string_view candidate : allowed_keys) {
      message += (first ? "" : ", ") + std::string(candidate);
      first = false;
    }
    source_.fail(key.source(), message);
  }
}

TableReader::TableReader(const Source& source, const toml::table& table, std::string path)
    : source_(source), table_(table), path_(std::move(path)) {}

std::string TableReader::path_of(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

const toml::node* TableReader::find(std::string_view key) const { return table_.get(key); }

toml::source_region TableReader::where() const { return table_.source(); }

void TableReader::fail(std::string_view key, const std::string& message) const {
  if (const toml::node* node = find(key)) {
    source_.fail(*node, path_of(key) + ": " + message);
  }
  source_.fail(where(), path_of(key) + ": " + message);
}

const toml::node& TableReader::require(std::string_view key) const {
  if (const toml::node* node = find(key)) {
    return *node;
  }
  source_.fail(where(), "missing key '" + std::string(key) + "' in [" + path_ + "]");
}

std::string expect_string(const Source& source, const toml::node& node, std::string_view path) {
  const auto* value = node.as_string();
  if (value == nullptr) {
    source.fail(node, std::string(path) + ": expected a string" + found(node));
  }
  if (value->get().empty()) {
    source.fail(node, std::string(path) + ": expected a non-empty string");
  }
  return value->get();
}

const toml::table& expect_table(const Source& source, const toml::node& node,
                                std::string_view path) {
  const auto* table = node.as_table();
  if (table == nullptr) {
    source.fail(node, std::string(path) + ": expected a table" + found(node));
  }
  return *table;
}

CivilDate expect_date(const Source& source, const toml::node& node, std::string_view path) {
  const auto* value = node.as_date();
  if (value == nullptr) {
    source.fail(node, std::string(path) +
                          ": expected a date such as 2026-06-19 (a TOML date, no quotes)" +
                          found(node));
  }
  const toml::date& d = value->get();
  return CivilDate{d.year, d.month, d.day};
}

std::int64_t expect_integer(const Source& source, const toml::node& node, std::string_view path,
                            std::int64_t min, std::int64_t max) {
  const auto* value = node.as_integer();
  if (value == nullptr) {
    source.fail(node, std::string(path) + ": expected an integer" + found(node));
  }
  const std::int64_t number = value->get();
  if (number < min || number > max) {
    source.fail(node, std::string(path) + ": expected an integer from " + std::to_string(min) +
                          " to " + std::to_string(max) + ", found " + std::to_string(number));
  }
  return number;
}

std::string TableReader::string(std::string_view key) const {
  return expect_string(source_, require(key), path_of(key));
}

std::optional<std::string> TableReader::optional_string(std::string_view key) const {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return std::nullopt;
  }
  return expect_string(source_, *node, path_of(key));
}

std::int64_t TableReader::integer(std::string_view key, std::int64_t min, std::int64_t max) const {
  return expect_integer(source_, require(key), path_of(key), min, max);
}

std::optional<std::int64_t> TableReader::optional_integer(std::string_view key, std::int64_t min,
                                                          std::int64_t max) const {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return std::nullopt;
  }
  return expect_integer(source_, *node, path_of(key), min, max);
}

std::optional<bool> TableReader::optional_boolean(std::string_view key) const {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return std::nullopt;
  }
  const auto* value = node->as_boolean();
  if (value == nullptr) {
    source_.fail(*node, path_of(key) + ": expected true or false" + found(*node));
  }
  return value->get();
}

std::optional<CivilDate> TableReader::optional_date(std::string_view key) const {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return std::nullopt;
  }
  return expect_date(source_, *node, path_of(key));
}

CivilDate TableReader::date(std::string_view key) const {
  return expect_date(source_, require(key), path_of(key));
}

const toml::table& TableReader::subtable(std::string_view key) const {
  return expect_table(source_, require(key), path_of(key));
}

const toml::table* TableReader::optional_subtable(std::string_view key) const {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return nullptr;
  }
  return &expect_table(source_, *node, path_of(key));
}

std::vector<std::string> TableReader::string_list(std::string_view key) const {
  std::vector<std::string> items;
  const toml::node* node = find(key);
  if (node == nullptr) {
    return items;
  }
  const auto* array = node->as_array();
  if (array == nullptr) {
    source_.fail(*node, path_of(key) + ": expected an array of strings" + found(*node));
  }
  std::size_t index = 0;
  for (const toml::node& item : *array) {
    items.push_back(
        expect_string(source_, item, path_of(key) + "[" + std::to_string(index++) + "]"));
  }
  return items;
}

const toml::array* TableReader::optional_table_array(std::string_view key) const {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return nullptr;
  }
  const auto* array = node->as_array();
  if (array == nullptr) {
    source_.fail(*node, path_of(key) + ": expected an array of tables ([[" + path_of(key) + "]])" +
                            found(*node));
  }
  std::size_t index = 0;
  for (const toml::node& item : *array) {
    expect_table(source_, item, path_of(key) + "[" + std::to_string(index++) + "]");
  }
  return array;
}

}  // namespace supportgw::policy::detail
