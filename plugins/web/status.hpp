#pragma once
// The service status page and the incident API, without the network:
//   status_pages.cpp  the HTML page, the Atom feed, the known-incident notes
//   status_json.cpp   the JSON answers and the incident requests
//   status_routes.cpp the routes (/status, /status.atom, /api/v1/status, /api/v1/incidents)

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <supportgw/sdk/channel_context.hpp>
#include <supportgw/sdk/service_status.hpp>

#include "api.hpp"
#include "pages.hpp"
#include "web_state.hpp"

namespace web {

// The incidents intake linked a ticket it just made to (ChannelContext::ticket_incidents,
// read after the commit, so the note says what was linked); empty when the store cannot
// be read (the answer is never refused for want of this note).
std::vector<supportgw::sdk::IncidentView> linked_incidents(
    supportgw::sdk::ChannelContext& context, const supportgw::sdk::IntakeResult& intake);

// GET /status: components with their status, open and recent incidents with updates.
std::string status_page(const PageContext& page, const supportgw::sdk::ServiceStatus& status);
// GET /status.atom: an Atom 1.0 feed with one entry per incident update, newest first.
std::string status_feed(const PageContext& page, const supportgw::sdk::ServiceStatus& status,
                        std::chrono::system_clock::time_point now);
// "This looks like known incident INC-42: ..." paragraphs with a link to /status (empty
// for none).
std::string known_incidents_html(const PageContext& page,
                                 const std::vector<supportgw::sdk::IncidentView>& incidents);

// For the new-ticket form: a link to /status with the overall status, and the open
// incidents. Empty when the policy has no status components.
std::string form_status_html(const PageContext& page, const supportgw::sdk::ServiceStatus& status);

// GET /api/v1/status: {"overall", "components": [...], "incidents": [the open ones]}.
std::string status_summary_json(const supportgw::sdk::ServiceStatus& status);
// One incident; `with_tickets` adds the linked tickets' references (vendor API only).
std::string incident_json(const supportgw::sdk::IncidentView& incident, bool with_tickets);
// GET /api/v1/incidents: {"incidents": [...], "next": "..."}; "next" is the `after` of
// the next page, null after the last (as for tickets).
std::string incidents_json(const supportgw::sdk::IncidentPage& page);

// The bodies of POST /api/v1/incidents:
//   {"title": ..., "impact": ..., "components": [...], "status": ..., "body": ...}
// and POST /api/v1/incidents/{id}/updates: {"status": ..., "body": ..., "impact": ...}.
// Unknown members and wrong types are a 400 problem; values are checked by the gateway.
std::optional<Problem> read_new_incident(std::string_view body,
                                         supportgw::sdk::NewIncident& incident);
std::optional<Problem> read_incident_change(std::string_view body,
                                            supportgw::sdk::IncidentChange& change);

}  // namespace web

namespace web {

// --- routes (status_routes.cpp) ----------------------------------------------------------

// Who the request's API key belongs to, or the problem to answer (api_routes.cpp's check).
using ApiAuthorizer = std::function<supportgw::sdk::Result<std::string>(Problem*)>;

// GET /status and /status.atom; false for any other path.
bool route_status(const StatePtr& state, supportgw::sdk::ChannelContext& context,
                  supportgw::sdk::HttpRequest& request, const ReplyOnce& reply);
// GET /api/v1/status (public), and behind the API key GET and POST /api/v1/incidents,
// GET /api/v1/incidents/{id}, POST /api/v1/incidents/{id}/updates; false for any other
// path.
bool route_status_api(const StatePtr& state, supportgw::sdk::ChannelContext& context,
                      supportgw::sdk::HttpRequest& request, const ReplyOnce& reply,
                      const ApiAuthorizer& authorize);

}  // namespace web
