// The status page's JSON: the public summary, incidents for the vendor's API, and the
// incident requests it takes.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "status.hpp"

namespace web {
namespace {

namespace json = boost::json;
using supportgw::sdk::IncidentView;
using supportgw::sdk::ServiceStatus;

constexpr std::size_t kMaxDepth = 4;
constexpr std::size_t kMaxComponents = 100;

Problem bad_request(std::string detail) { return Problem{400, "Bad Request", std::move(detail)}; }

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

std::optional<json::object> parse_object(std::string_view body, std::optional<Problem>& problem) {
  json::parse_options options;
  options.max_depth = kMaxDepth;
  boost::system::error_code error;
  const json::value parsed = json::parse(body, error, json::storage_ptr(), options);
  if (error) {
    problem = bad_request("the body is not JSON: " + error.message());
    return std::nullopt;
  }
  if (!parsed.is_object()) {
    problem = bad_request("the body must be a JSON object");
    return std::nullopt;
  }
  return parsed.get_object();
}

std::optional<Problem> refuse_unknown(const json::object& object,
                                      std::initializer_list<std::string_view> known) {
  for (const auto& member : object) {
    if (std::find(known.begin(), known.end(), std::string_view(member.key())) == known.end()) {
      return bad_request("unknown member '" + std::string(member.key()) + "'");
    }
  }
  return std::nullopt;
}

// A member that must be a string when present (null = absent).
std::optional<Problem> string_member(const json::object& object, std::string_view key,
                                     std::string& out) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) {
    return std::nullopt;
  }
  if (!value->is_string()) {
    return bad_request("'" + std::string(key) + "' must be a string");
  }
  out.assign(value->get_string().data(), value->get_string().size());
  return std::nullopt;
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

std::string incidents_json(const ServiceStatus& status) {
  json::array incidents;
  for (const auto& incident : status.incidents) {
    incidents.push_back(incident_object(incident, false));
  }
  json::object body;
  body["incidents"] = std::move(incidents);
  return json::serialize(body) + "\n";
}

std::string with_known_incidents(const std::string& intake_json,
                                 const std::vector<IncidentView>& incidents,
                                 const std::string& status_url) {
  json::value parsed = json::parse(intake_json);
  json::array known;
  for (const auto& incident : incidents) {
    known.push_back(json::object{{"id", incident.id},
                                 {"title", incident.title},
                                 {"status", incident.status},
                                 {"url", status_url + "#" + incident.id}});
  }
  parsed.as_object()["known_incidents"] = std::move(known);
  return json::serialize(parsed) + "\n";
}

std::optional<Problem> read_new_incident(std::string_view body,
                                         supportgw::sdk::NewIncident& incident) {
  std::optional<Problem> problem;
  const auto object = parse_object(body, problem);
  if (!object) {
    return problem;
  }
  if (auto unknown = refuse_unknown(*object, {"title", "impact", "components", "status", "body"})) {
    return unknown;
  }
  for (auto [key, out] : {std::pair{"title", &incident.title},
                          {"impact", &incident.impact},
                          {"status", &incident.status},
                          {"body", &incident.body}}) {
    if (auto wrong = string_member(*object, key, *out)) {
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
  const json::value* components = object->if_contains("components");
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
  std::optional<Problem> problem;
  const auto object = parse_object(body, problem);
  if (!object) {
    return problem;
  }
  if (auto unknown = refuse_unknown(*object, {"status", "body", "impact"})) {
    return unknown;
  }
  for (auto [key, out] :
       {std::pair{"status", &change.status}, {"body", &change.body}, {"impact", &change.impact}}) {
    if (auto wrong = string_member(*object, key, *out)) {
      return wrong;
    }
  }
  if (change.status.empty() && change.body.empty() && change.impact.empty()) {
    return bad_request("expected 'status', 'body' or 'impact'");
  }
  return std::nullopt;
}

}  // namespace web
