#pragma once
// Incidents on the service status page: something wrong with one or more of the
// policy's status components ([[status.component]]), with public updates as it is
// investigated and resolved, and the tickets it is known to have caused.
//
// A component's status is not stored: it is the worst impact among the open incidents
// naming it, operational when there is none (component_status below). So a resolved
// incident can never leave a component marked down.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/time.hpp"

namespace supportgw {

using IncidentId = std::int64_t;

// Where the work on an incident stands. Only resolved closes it.
enum class IncidentStatus { investigating, identified, monitoring, resolved };

// What an incident does to its components, and a component's rolled-up status. In
// rising order of how bad it is for a customer: a planned maintenance is less bad than
// an unplanned degradation, so an outage during maintenance shows as the outage.
enum class ComponentStatus { operational, maintenance, degraded, partial_outage, major_outage };

std::string_view to_string(IncidentStatus status);
std::optional<IncidentStatus> parse_incident_status(std::string_view text);
std::string_view to_string(ComponentStatus status);  // "partial-outage", ...
std::optional<ComponentStatus> parse_component_status(std::string_view text);

struct Incident {
  IncidentId id = 0;
  std::string public_id;  // "INC-42", what customers and the API see
  std::string title;
  IncidentStatus status = IncidentStatus::investigating;
  ComponentStatus impact = ComponentStatus::degraded;  // never operational
  std::vector<std::string> components;                 // status component ids, at least one
  Timestamp created_at{};
  Timestamp updated_at{};
  std::optional<Timestamp> resolved_at;  // set exactly when status is resolved
  bool open() const { return status != IncidentStatus::resolved; }
};

struct IncidentUpdate {
  std::int64_t id = 0;
  IncidentId incident_id = 0;
  IncidentStatus status = IncidentStatus::investigating;
  std::string body;
  Timestamp at{};
};

// The worst impact among the open incidents that name `component`; operational when
// none does.
ComponentStatus component_status(std::string_view component,
                                 const std::vector<Incident>& incidents);
// The worst of `statuses`, operational for none.
ComponentStatus worst(const std::vector<ComponentStatus>& statuses);

}  // namespace supportgw
