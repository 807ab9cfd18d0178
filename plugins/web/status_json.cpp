// The status page's JSON: the public summary, incidents for the vendor's API, and the
// incident requests it takes.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <tuple>

#include "json_body.hpp"
#include "status.hpp"

namespace web {
namespace {

namespace json = boost::json;
using supportgw::sdk::IncidentView;
using supportgw::sdk::ServiceStatus;

constexpr std::size_t kMaxDepth = 4;
constexpr std::size_t kMaxComponents = 100;
// What the host takes (channel_context_incidents.cpp): longer is refused here already.
constexpr std::size_t kMaxTitleBytes = 200;
constexpr std::size_t kMaxBodyBytes = 64 * 1024;
constexpr std::size_t kMaxWordBytes = 40;  // a status or impact name

json::object incident_object(const IncidentView& incident, bool with_tickets) {
  json::object body;
  body["id"] = incident.id;
  body["title"] = incident.title;
  body["status"] = incident.status;
  body["impact"] = incident.impact;
  json::array components;
  for (const auto& id : incident.components) {
    components.emplace_back(id);
  }
  body["components"] = std::move(components);
  body["created_at"] = utc_timestamp(incident.created_at);
  body["updated_at"] = utc_timestamp(incident.updated_at);
  if (incident.resolved) {
    body["resolved_at"] = utc_timestamp(incident.resolved_at);
  } else {
    body["resolved_at"] = nullptr;
  }
  json::array updates;
  for (const auto& update : incident.updates) {
    updates.push_back(json::object{
        {"at", utc_timestamp(update.at)}, {"status", update.status}, {"body", update.body}});
  }
  body["updates"] = std::move(updates);
  if (with_tickets) {
    json::array tickets;
    for (const auto& reference : incident.tickets) {
      tickets.emplace_back(reference);
    }
    body["tickets"] = std::move(tickets);
  }
  return body;
}

}  // namespace

std::string status_summary_json(const ServiceStatus& status) {
  json::object body;
  body["overall"] = status.overall;
  json::array components;
  for (const auto& component : status.components) {
    components.push_back(json::object{{"id", component.id},
                                      {"name", component.name},
                                      {"description", component.description},
                                      {"status", component.status}});
  }
  body["components"] = std::move(components);
  json::array incidents;
  for (const auto& incident : status.incidents) {
    if (!incident.resolved) {
      incidents.push_back(incident_object(incident, false));
    }
  }
  body["incidents"] = std::move(incidents);
  return json::serialize(body) + "\n";
}

std::string incident_json(const IncidentView& incident, bool with_tickets) {
  return json::serialize(incident_object(incident, with_tickets)) + "\n";
}

std::string incidents_json(const supportgw::sdk::IncidentPage& page) {
  json::array incidents;
  for (const auto& incident : page.incidents) {
    incidents.push_back(incident_object(incident, false));
  }
  json::object body;
  body["incidents"] = std::move(incidents);
  if (page.next.empty()) {
    body["next"] = nullptr;
  } else {
    body["next"] = page.next;
  }
  return json::serialize(body) + "\n";
}

std::optional<Problem> read_new_incident(std::string_view body,
                                         supportgw::sdk::NewIncident& incident) {
  json::object object;
  if (auto problem = read_json_object(
          body, kMaxDepth, {"title", "impact", "components", "status", "body"}, object)) {
    return problem;
  }
  for (auto [key, limit, out] : {std::tuple{"title", kMaxTitleBytes, &incident.title},
                                 {"impact", kMaxWordBytes, &incident.impact},
                                 {"status", kMaxWordBytes, &incident.status},
                                 {"body", kMaxBodyBytes, &incident.body}}) {
    if (auto wrong = optional_string(object, key, key, limit, *out)) {
      return wrong;
    }
  }
  if (incident.title.empty()) {
    return bad_request("'title' is required");
  }
  if (incident.impact.empty()) {
    return bad_request(
        "'impact' is required: maintenance, degraded, partial-outage or major-outage");
  }
  if (incident.status.empty()) {
    incident.status = "investigating";
  }
  const json::value* components = object.if_contains("components");
  if (components == nullptr || !components->is_array() || components->get_array().empty() ||
      components->get_array().size() > kMaxComponents) {
    return bad_request("'components' must be an array of 1 to 100 component ids");
  }
  for (const json::value& id : components->get_array()) {
    if (!id.is_string()) {
      return bad_request("'components' must hold component ids (strings)");
    }
    incident.components.emplace_back(id.get_string().data(), id.get_string().size());
  }
  return std::nullopt;
}

std::optional<Problem> read_incident_change(std::string_view body,
                                            supportgw::sdk::IncidentChange& change) {
  json::object object;
  if (auto problem = read_json_object(body, kMaxDepth, {"status", "body", "impact"}, object)) {
    return problem;
  }
  for (auto [key, limit, out] : {std::tuple{"status", kMaxWordBytes, &change.status},
                                 {"body", kMaxBodyBytes, &change.body},
                                 {"impact", kMaxWordBytes, &change.impact}}) {
    if (auto wrong = optional_string(object, key, key, limit, *out)) {
      return wrong;
    }
  }
  if (change.status.empty() && change.body.empty() && change.impact.empty()) {
    return bad_request("expected 'status', 'body' or 'impact'");
  }
  return std::nullopt;
}

}  // namespace web
