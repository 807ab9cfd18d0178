#include "core/domain/incident.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace supportgw {
namespace {

constexpr std::array<std::pair<IncidentStatus, std::string_view>, 4> kIncidentNames = {{
    {IncidentStatus::investigating, "investigating"},
    {IncidentStatus::identified, "identified"},
    {IncidentStatus::monitoring, "monitoring"},
    {IncidentStatus::resolved, "resolved"},
}};

constexpr std::array<std::pair<ComponentStatus, std::string_view>, 5> kComponentNames = {{
    {ComponentStatus::operational, "operational"},
    {ComponentStatus::maintenance, "maintenance"},
    {ComponentStatus::degraded, "degraded"},
    {ComponentStatus::partial_outage, "partial-outage"},
    {ComponentStatus::major_outage, "major-outage"},
}};

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& names,
                         Enum value) {
  for (const auto& [v, name] : names) {
    if (v == value) {
      return name;
    }
  }
  return "invalid";
}

template <class Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& names,
                             std::string_view text) {
  for (const auto& [v, name] : names) {
    if (name == text) {
      return v;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(IncidentStatus status) { return name_of(kIncidentNames, status); }
std::optional<IncidentStatus> parse_incident_status(std::string_view text) {
  return value_of(kIncidentNames, text);
}
std::string_view to_string(ComponentStatus status) { return name_of(kComponentNames, status); }
std::optional<ComponentStatus> parse_component_status(std::string_view text) {
  return value_of(kComponentNames, text);
}

ComponentStatus worst(const std::vector<ComponentStatus>& statuses) {
  ComponentStatus result = ComponentStatus::operational;
  for (const ComponentStatus status : statuses) {
    result = std::max(result, status);  // the enum is declared in rising order
  }
  return result;
}

ComponentStatus component_status(std::string_view component,
                                 const std::vector<Incident>& incidents) {
  std::vector<ComponentStatus> impacts;
  for (const Incident& incident : incidents) {
    if (incident.open() && std::find(incident.components.begin(), incident.components.end(),
                                     component) != incident.components.end()) {
      impacts.push_back(incident.impact);
    }
  }
  return worst(impacts);
}

}  // namespace supportgw
