#include "core/domain/escalation.hpp"

#include <array>
#include <utility>

namespace supportgw {
namespace {

constexpr std::array<std::pair<ScheduleKind, std::string_view>, 3> kKinds = {{
    {ScheduleKind::sla_breach, "sla-breach"},
    {ScheduleKind::step, "step"},
    {ScheduleKind::repage, "repage"},
}};
constexpr std::array<std::pair<ScheduleStatus, std::string_view>, 4> kStatuses = {{
    {ScheduleStatus::pending, "pending"},
    {ScheduleStatus::fired, "fired"},
    {ScheduleStatus::skipped, "skipped"},
    {ScheduleStatus::cancelled, "cancelled"},
}};

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& names,
                         Enum value) {
  for (const auto& [candidate, name] : names) {
    if (candidate == value) {
      return name;
    }
  }
  return "invalid";
}

template <class Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& names,
                             std::string_view text) {
  for (const auto& [candidate, name] : names) {
    if (name == text) {
      return candidate;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(ScheduleKind kind) { return name_of(kKinds, kind); }
std::string_view to_string(ScheduleStatus status) { return name_of(kStatuses, status); }
std::optional<ScheduleKind> parse_schedule_kind(std::string_view text) {
  return value_of(kKinds, text);
}
std::optional<ScheduleStatus> parse_schedule_status(std::string_view text) {
  return value_of(kStatuses, text);
}

}  // namespace supportgw
