#pragma once
// The policy parser's parts, one per area of the file. Internal: included only by the
// parser's .cpp files (it brings toml++ with it). Each part reads its tables into
// `policy` and checks what it can against what earlier parts filled, so the order in
// parse_policy() matters: calendars and people before the rules that name them.

#include <string>
#include <string_view>
#include <vector>

#include "core/policy/policy.hpp"
#include "core/policy/toml_reader.hpp"

namespace supportgw::policy::detail {

// --- parts (each reads one top-level key of the file) ----------------------------------
void parse_vendor(const TableReader& root, Policy& policy);
void parse_calendars(const TableReader& root, Policy& policy);
void parse_flags(const TableReader& root, Policy& policy);
void parse_people(const TableReader& root, Policy& policy);  // contacts, roles, rotations
void parse_severities(const TableReader& root, Policy& policy);
void parse_after_hours(const TableReader& root, Policy& policy);
void parse_billing(const TableReader& root, Policy& policy);
void parse_intake(const TableReader& root, Policy& policy);  // intake, follow_up, product
void parse_uploads(const TableReader& root, Policy& policy);
void parse_status(const TableReader& root, Policy& policy);  // [[status.component]]

// --- shared checks ---------------------------------------------------------------------
// An IANA zone known to the system tz database.
void check_time_zone(const Source& source, const toml::node& node, std::string_view path,
                     const std::string& zone);
// A duration string at `node`.
Duration expect_duration(const Source& source, const toml::node& node, std::string_view path);
// A duration string that must be wall-clock (no business days): reopen windows, re-pages.
std::chrono::minutes expect_wall_clock(const Source& source, const toml::node& node,
                                       std::string_view path);
// `reader[key]` names a calendar of `policy`.
std::string calendar_name(const TableReader& reader, std::string_view key, const Policy& policy);
// `reader[duration_key]` measured on calendar `reader[calendar_key]`; refuses day units
// on a calendar that is not always open.
CalendarDuration calendar_duration(const TableReader& reader, std::string_view duration_key,
                                   std::string_view calendar_key, const Policy& policy);
// A contact, role or rotation name.
Recipient expect_recipient(const Source& source, const toml::node& node, std::string_view path,
                           const Policy& policy);
std::vector<Recipient> recipient_list(const TableReader& reader, std::string_view key,
                                      const Policy& policy);
std::vector<Condition> condition_list(const TableReader& reader, std::string_view key);
// Levels that exist in `policy` (severities parsed already), each at most once.
std::vector<int> severity_list(const TableReader& reader, std::string_view key,
                               const Policy& policy);
// Flag names declared in [flags].
void check_flag(const Source& source, const toml::source_region& at, std::string_view path,
                const std::string& flag, const Policy& policy);
// "mon".."sun" -> 0..6.
std::optional<unsigned> weekday_from_name(std::string_view name);
// "08:30" -> 510; "24:00" only when `allow_24` is set.
std::optional<int> minute_of_day(std::string_view text, bool allow_24);

}  // namespace supportgw::policy::detail
