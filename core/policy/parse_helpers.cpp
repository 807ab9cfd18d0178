#include <date/tz.h>

#include <algorithm>
#include <array>

#include "core/policy/parse_steps.hpp"

namespace supportgw::policy::detail {
namespace {

std::string indexed(std::string_view path, std::size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

}  // namespace

void check_time_zone(const Source& source, const toml::node& node, std::string_view path,
                     const std::string& zone) {
  try {
    (void)date::locate_zone(zone);
  } catch (const std::exception&) {
    // date reports a missing zone and a missing database alike as runtime_error; either
    // way the zone cannot be used, and the message says what to write instead.
    source.fail(node, std::string(path) + ": '" + zone.substr(0, 60) +
                          "' is not an IANA time zone known to this system; expected a name "
                          "such as \"Europe/Berlin\" or \"America/New_York\"");
  }
}

Duration expect_duration(const Source& source, const toml::node& node, std::string_view path) {
  if (!node.is_string()) {
    source.fail(node, std::string(path) +
                          ": expected a duration string such as \"4h\" or \"2 business days\", "
                          "found " +
                          std::string(describe(node)));
  }
  std::string error;
  const auto duration = parse_duration(node.as_string()->get(), error);
  if (!duration) {
    source.fail(node, std::string(path) + ": " + error);
  }
  return *duration;
}

std::chrono::minutes expect_wall_clock(const Source& source, const toml::node& node,
                                       std::string_view path) {
  const Duration duration = expect_duration(source, node, path);
  if (duration.kind == Duration::Kind::business_days) {
    source.fail(node, std::string(path) +
                          ": expected a wall-clock duration (w, d, h, m such as \"30d\" or "
                          "\"1h\"); business days need a calendar and this setting has none");
  }
  return duration.open_time;
}

std::string calendar_name(const TableReader& reader, std::string_view key, const Policy& policy) {
  std::string name = reader.string(key);
  if (policy.calendars.find(name) == policy.calendars.end()) {
    std::string known;
    for (const auto& [calendar, spec] : policy.calendars) {
      known += (known.empty() ? "" : ", ") + calendar;
    }
    reader.fail(key, "unknown calendar '" + name.substr(0, 60) +
                         "'; expected one of the [calendars]: " + known);
  }
  return name;
}

CalendarDuration calendar_duration(const TableReader& reader, std::string_view duration_key,
                                   std::string_view calendar_key, const Policy& policy) {
  CalendarDuration result;
  result.duration =
      expect_duration(reader.source(), reader.require(duration_key), reader.path_of(duration_key));
  result.calendar = calendar_name(reader, calendar_key, policy);
  if (result.duration.uses_day_units && !policy.calendar(result.calendar).always_open) {
    reader.fail(duration_key,
                "days and weeks (\"d\", \"w\") are wall-clock units, but calendar '" +
                    result.calendar +
                    "' keeps business hours; expected hours (\"8h\") or \"N business days\", or "
                    "an always-open calendar");
  }
  return result;
}

Recipient expect_recipient(const Source& source, const toml::node& node, std::string_view path,
                           const Policy& policy) {
  const std::string name = expect_string(source, node, path);
  if (policy.contacts.find(name) != policy.contacts.end()) {
    return Recipient{Recipient::Kind::contact, name};
  }
  if (policy.roles.find(name) != policy.roles.end()) {
    return Recipient{Recipient::Kind::role, name};
  }
  if (policy.rotations.find(name) != policy.rotations.end()) {
    return Recipient{Recipient::Kind::rotation, name};
  }
  source.fail(node, std::string(path) + ": '" + name.substr(0, 60) +
                        "' is not a contact, role or rotation; expected a name defined under "
                        "[contacts], [roles] or [rotations]");
}

std::vector<Recipient> recipient_list(const TableReader& reader, std::string_view key,
                                      const Policy& policy) {
  std::vector<Recipient> recipients;
  const toml::node* node = reader.find(key);
  if (node == nullptr) {
    return recipients;
  }
  const auto* array = node->as_array();
  if (array == nullptr) {
    reader.source().fail(*node, reader.path_of(key) +
                                    ": expected an array of contact, role or rotation names, "
                                    "found " +
                                    std::string(describe(*node)));
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    recipients.push_back(
        expect_recipient(reader.source(), *array->get(i), indexed(reader.path_of(key), i), policy));
  }
  return recipients;
}

std::vector<Condition> condition_list(const TableReader& reader, std::string_view key) {
  static constexpr std::array<std::pair<std::string_view, Condition>, 4> kNames{{
      {"responded", Condition::responded},
      {"resolved", Condition::resolved},
      {"acknowledged", Condition::acknowledged},
      {"owned", Condition::owned},
  }};
  std::vector<Condition> conditions;
  const toml::node* node = reader.find(key);
  if (node == nullptr) {
    return conditions;
  }
  const auto* array = node->as_array();
  if (array == nullptr) {
    reader.source().fail(*node, reader.path_of(key) +
                                    ": expected an array of conditions (responded, resolved, "
                                    "acknowledged, owned), found " +
                                    std::string(describe(*node)));
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& item = *array->get(i);
    const std::string name = expect_string(reader.source(), item, indexed(reader.path_of(key), i));
    const auto* match = std::find_if(kNames.begin(), kNames.end(),
                                     [&](const auto& entry) { return entry.first == name; });
    if (match == kNames.end()) {
      reader.source().fail(item, indexed(reader.path_of(key), i) + ": unknown condition '" +
                                     name.substr(0, 60) +
                                     "'; expected responded, resolved, acknowledged or owned");
    }
    if (std::find(conditions.begin(), conditions.end(), match->second) != conditions.end()) {
      reader.source().fail(
          item, indexed(reader.path_of(key), i) + ": condition '" + name + "' is listed twice");
    }
    conditions.push_back(match->second);
  }
  return conditions;
}

std::vector<int> severity_list(const TableReader& reader, std::string_view key,
                               const Policy& policy) {
  std::vector<int> levels;
  const toml::node* node = reader.find(key);
  if (node == nullptr) {
    return levels;
  }
  const auto* array = node->as_array();
  if (array == nullptr) {
    reader.source().fail(*node, reader.path_of(key) +
                                    ": expected an array of severity levels, found " +
                                    std::string(describe(*node)));
  }
  const auto count = static_cast<std::int64_t>(policy.severities.size());
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& item = *array->get(i);
    const auto level = static_cast<int>(
        expect_integer(reader.source(), item, indexed(reader.path_of(key), i), 1, count));
    if (std::find(levels.begin(), levels.end(), level) != levels.end()) {
      reader.source().fail(item, indexed(reader.path_of(key), i) + ": severity " +
                                     std::to_string(level) + " is listed twice");
    }
    levels.push_back(level);
  }
  return levels;
}

void check_flag(const Source& source, const toml::source_region& at, std::string_view path,
                const std::string& flag, const Policy& policy) {
  if (policy.flags.find(flag) == policy.flags.end()) {
    source.fail(at, std::string(path) + ": flag '" + flag.substr(0, 60) +
                        "' is not declared; expected a name defined under [flags]");
  }
}

std::optional<unsigned> weekday_from_name(std::string_view name) {
  static constexpr std::array<std::string_view, 7> kNames{"mon", "tue", "wed", "thu",
                                                          "fri", "sat", "sun"};
  for (unsigned i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) {
      return i;
    }
  }
  return std::nullopt;
}

std::optional<int> minute_of_day(std::string_view text, bool allow_24) {
  if (text.size() != 5 || text[2] != ':') {
    return std::nullopt;
  }
  for (std::size_t i : {0, 1, 3, 4}) {
    if (text[i] < '0' || text[i] > '9') {
      return std::nullopt;
    }
  }
  const int hour = (text[0] - '0') * 10 + (text[1] - '0');
  const int minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (minute > 59 || hour > 24 || (hour == 24 && (minute != 0 || !allow_24))) {
    return std::nullopt;
  }
  return hour * 60 + minute;
}

}  // namespace supportgw::policy::detail
