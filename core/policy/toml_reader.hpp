#pragma once
// Reading toml++ nodes with errors that point into the file. Internal to the policy
// parser: only its .cpp files include this header, so toml++ stays out of everything
// else (DESIGN.md: the heavy headers live in few translation units).
//
// Every failure throws PolicyError at the offending node's line and column; a missing
// key points at the table that should hold it.

#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/time.hpp"

namespace supportgw::policy::detail {

// The file being read: its name for messages.
class Source {
 public:
  explicit Source(std::string name) : name_(std::move(name)) {}
  const std::string& name() const { return name_; }

  [[noreturn]] void fail(const toml::source_region& at, const std::string& message) const;
  [[noreturn]] void fail(const toml::node& at, const std::string& message) const {
    fail(at.source(), message);
  }

 private:
  std::string name_;
};

// "a string", "an integer", ... for "expected X, found Y" messages.
std::string_view describe(const toml::node& node);

// A table, its dotted path for messages ("severity[0].sla"), and the keys it may hold.
// The constructor refuses any other key at once, so a typo is reported as such rather
// than as the missing key it was meant to be.
class TableReader {
 public:
  TableReader(const Source& source, const toml::table& table, std::string path,
              std::initializer_list<std::string_view> allowed_keys);
  // For tables whose keys are names the vendor chooses ([calendars], [contacts]).
  TableReader(const Source& source, const toml::table& table, std::string path);

  const Source& source() const { return source_; }
  const toml::table& table() const { return table_; }
  const std::string& path() const { return path_; }
  std::string path_of(std::string_view key) const;

  const toml::node* find(std::string_view key) const;
  const toml::node& require(std::string_view key) const;
  bool has(std::string_view key) const { return find(key) != nullptr; }

  std::string string(std::string_view key) const;  // non-empty
  std::optional<std::string> optional_string(std::string_view key) const;
  std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max) const;
  std::optional<std::int64_t> optional_integer(std::string_view key, std::int64_t min,
                                               std::int64_t max) const;
  std::optional<bool> optional_boolean(std::string_view key) const;
  std::optional<CivilDate> optional_date(std::string_view key) const;
  CivilDate date(std::string_view key) const;
  const toml::table& subtable(std::string_view key) const;
  const toml::table* optional_subtable(std::string_view key) const;
  // Each element must be a non-empty string. Absent = empty.
  std::vector<std::string> string_list(std::string_view key) const;
  // An array of tables ([[x]] or [{...}]); absent = nullptr.
  const toml::array* optional_table_array(std::string_view key) const;

  // Where "missing key" errors point: the table's header, else the file's start.
  toml::source_region where() const;
  [[noreturn]] void fail(std::string_view key, const std::string& message) const;

 private:
  const Source& source_;
  const toml::table& table_;
  std::string path_;
};

// Element checks for values met outside a TableReader (array items).
std::string expect_string(const Source& source, const toml::node& node, std::string_view path);
const toml::table& expect_table(const Source& source, const toml::node& node,
                                std::string_view path);
CivilDate expect_date(const Source& source, const toml::node& node, std::string_view path);
std::int64_t expect_integer(const Source& source, const toml::node& node, std::string_view path,
                            std::int64_t min, std::int64_t max);

}  // namespace supportgw::policy::detail
