#pragma once
// Since SDK 1.3. The service status page: the policy's components ([[status.component]])
// with their status rolled up from open incidents, and the incidents with their public
// updates. What a channel shows customers and what the vendor's tools change.
//
// Statuses are strings, as in the API and the store:
//   component: "operational", "maintenance", "degraded", "partial-outage", "major-outage"
//              (in rising order of how bad; a component shows the worst impact among its
//              open incidents, "operational" when it has none)
//   incident:  "investigating", "identified", "monitoring", "resolved" (only resolved
//              closes an incident)

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace supportgw::sdk {

struct IncidentUpdateView {
  std::chrono::system_clock::time_point at{};
  std::string status;  // the incident's status as of this update
  std::string body;
};

struct IncidentView {
  std::string id;  // "INC-42"
  std::string title;
  std::string status;
  std::string impact;                   // a component status other than "operational"
  std::vector<std::string> components;  // component ids
  std::chrono::system_clock::time_point created_at{};
  std::chrono::system_clock::time_point updated_at{};
  bool resolved = false;
  std::chrono::system_clock::time_point resolved_at{};  // when resolved
  std::vector<IncidentUpdateView> updates;              // oldest first
  // References of the tickets linked to it: for the vendor's eyes, never a public page.
  std::vector<std::string> tickets;
};

struct ComponentView {
  std::string id;
  std::string name;
  std::string description;
  std::vector<std::string> products;  // whose tickets concern this component
  std::string status;
};

struct ServiceStatus {
  std::string overall;                    // the worst component status, "operational" when all are
  std::vector<ComponentView> components;  // policy order
  // Every open incident and those resolved in the last 14 days, newest first.
  std::vector<IncidentView> incidents;
};

// Since SDK 1.4. What ChannelContext::list_incidents() asks for: incidents newest first,
// by position (a page stays correct while incidents are added).
struct IncidentQuery {
  std::string status;      // "open" (not resolved), "resolved"; "" = any
  std::string after;       // the `next` of the previous page; "" = from the newest
  std::size_t limit = 50;  // 1..200
};

// Since SDK 1.4. One page of list_incidents().
struct IncidentPage {
  std::vector<IncidentView> incidents;  // with updates, without tickets
  std::string next;                     // pass as `after` for the next page; "" after the last
};

// What ChannelContext::create_incident() posts.
struct NewIncident {
  std::string title;
  std::string impact;                    // a component status other than "operational"
  std::string status = "investigating";  // not "resolved"
  std::vector<std::string> components;   // ids of the policy's components, at least one
  std::string body;                      // the first public update
  std::string author;                    // for the log ("api key deploy-bot")
};

// What ChannelContext::update_incident() changes: a new status, a new public text, or
// both. Status "resolved" resolves the incident.
struct IncidentChange {
  std::string id;      // "INC-42"
  std::string status;  // "" = unchanged
  std::string body;    // "" = a standard text for the status
  std::string impact;  // "" = unchanged
  std::string author;
};

}  // namespace supportgw::sdk
