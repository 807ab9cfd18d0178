// The service status page and the incident API:
//   GET  /status                          the page (HTML, the policy's language)
//   GET  /status.atom                     Atom 1.0: one entry per incident update
//   GET  /api/v1/status                   {"overall", "components", "incidents"} (public)
//   GET  /api/v1/incidents                (API key) incidents of any age, newest first, paged
//   POST /api/v1/incidents                (API key) 201 the new incident
//   GET  /api/v1/incidents/{id}           (API key) the incident with its linked tickets
//   POST /api/v1/incidents/{id}/updates   (API key) 200 the incident after the update
// The public routes are cached briefly: a status page is read most during an outage.

#include <spdlog/logger.h>

#include "form.hpp"
#include "status.hpp"

namespace web {
namespace {

using supportgw::sdk::ChannelContext;
using supportgw::sdk::HttpRequest;
using supportgw::sdk::HttpResponse;
using supportgw::sdk::IncidentView;
using supportgw::sdk::Result;

constexpr std::string_view kStatusApi = "/api/v1/status";
constexpr std::string_view kIncidents = "/api/v1/incidents";
constexpr std::string_view kUpdatesSuffix = "/updates";
constexpr const char* kPublicCache = "public, max-age=15";

PageContext page_of(const WebState& state, ChannelContext& context) {
  return PageContext{&texts_for(context.policy_language()), context.vendor_name(),
                     state.settings.public_url, state.settings.upload_url};
}

bool read_method(const HttpRequest& request) {
  return request.method == "GET" || request.method == "HEAD";
}

HttpResponse not_allowed(std::string_view allow) {
  HttpResponse response = problem_response(
      Problem{405, "Method Not Allowed", "this resource allows " + std::string(allow)});
  response.headers.emplace_back("Allow", std::string(allow));
  return response;
}

Problem incident_problem(const supportgw::sdk::Status& status, const std::string& id) {
  Problem problem = problem_for(status);
  if (problem.status == 404) {
    problem.detail = "no incident " + id;
  }
  return problem;
}

bool json_body(const HttpRequest& request, const ReplyOnce& reply) {
  const std::string type = media_type(request);
  if (type != "application/json" && !type.ends_with("+json")) {
    reply(problem_response(
        Problem{415, "Unsupported Media Type", "send the incident as application/json"}));
    return false;
  }
  return true;
}

// The completion of create_incident and update_incident: runs on a gateway thread.
ChannelContext::IncidentDone answer_with(const StatePtr& state, const ReplyOnce& reply,
                                         int status_code, std::string id, std::string what) {
  return [state, reply, status_code, id = std::move(id),
          what = std::move(what)](Result<IncidentView> incident) {
    try {
      if (!incident.ok()) {
        reply(problem_response(incident_problem(incident.status(), id)));
        return;
      }
      if (state->logger) {
        state->logger->info("api: {} {} ({})", what, incident->id, incident->status);
      }
      HttpResponse response =
          HttpResponse::json(status_code, incident_json(incident.value(), true));
      response.headers.emplace_back("Location", std::string(kIncidents) + "/" + incident->id);
      response.headers.emplace_back("Cache-Control", "no-store");
      reply(std::move(response));
    } catch (...) {
      reply(problem_response(Problem{500, "Internal Server Error", "the answer failed"}));
    }
  };
}

void incidents_collection(const StatePtr& state, ChannelContext& context, HttpRequest& request,
                          const ReplyOnce& reply, const std::string& caller) {
  if (read_method(request)) {
    supportgw::sdk::IncidentQuery query;
    query.status = request.query_parameter("status").value_or("");
    query.after = request.query_parameter("after").value_or("");
    if (const auto limit = request.query_parameter("limit")) {
      const auto count = small_number(limit, 3);
      if (!count) {
        reply(problem_response(Problem{400, "Bad Request", "limit: expected 1 to 200"}));
        return;
      }
      query.limit = static_cast<std::size_t>(*count);
    }
    auto page = context.list_incidents(query);
    if (!page.ok()) {
      reply(problem_response(problem_for(page.status())));
      return;
    }
    HttpResponse response = HttpResponse::json(200, incidents_json(page.value()));
    response.headers.emplace_back("Cache-Control", "no-store");
    reply(std::move(response));
    return;
  }
  if (request.method != "POST") {
    reply(not_allowed("GET, HEAD, POST"));
    return;
  }
  if (!json_body(request, reply)) {
    return;
  }
  supportgw::sdk::NewIncident incident;
  if (auto problem = read_new_incident(request.body, incident)) {
    reply(problem_response(*problem));
    return;
  }
  incident.author = "api:" + caller;
  context.create_incident(std::move(incident),
                          answer_with(state, reply, 201, "", "incident posted by " + caller));
}

void one_incident(const StatePtr& state, ChannelContext& context, HttpRequest& request,
                  const ReplyOnce& reply, const std::string& caller, const std::string& id,
                  bool updates) {
  if (updates) {
    if (request.method != "POST") {
      reply(not_allowed("POST"));
      return;
    }
    if (!json_body(request, reply)) {
      return;
    }
    supportgw::sdk::IncidentChange change;
    if (auto problem = read_incident_change(request.body, change)) {
      reply(problem_response(*problem));
      return;
    }
    change.id = id;
    change.author = "api:" + caller;
    context.update_incident(std::move(change),
                            answer_with(state, reply, 200, id, "incident updated by " + caller));
    return;
  }
  if (!read_method(request)) {
    reply(not_allowed("GET, HEAD"));
    return;
  }
  auto incident = context.incident(id);
  if (!incident.ok()) {
    reply(problem_response(incident_problem(incident.status(), id)));
    return;
  }
  HttpResponse response = HttpResponse::json(200, incident_json(incident.value(), true));
  response.headers.emplace_back("Cache-Control", "no-store");
  reply(std::move(response));
}

}  // namespace

bool route_status(const StatePtr& state, ChannelContext& context, HttpRequest& request,
                  const ReplyOnce& reply) {
  const bool page = request.path == "/status" || request.path == "/status/";
  const bool feed = request.path == "/status.atom";
  if (!page && !feed) {
    return false;
  }
  const PageContext page_ctx = page_of(*state, context);
  if (!read_method(request)) {
    HttpResponse response = HttpResponse::html(
        405, message_page(page_ctx, page_ctx.texts->error_title, page_ctx.texts->error_text));
    add_page_headers(response);
    response.headers.emplace_back("Allow", "GET, HEAD");
    reply(std::move(response));
    return true;
  }
  auto status = context.service_status();
  if (!status.ok()) {
    HttpResponse response =
        HttpResponse::html(503, message_page(page_ctx, page_ctx.texts->unavailable_title,
                                             page_ctx.texts->unavailable_text));
    add_page_headers(response);
    response.headers.emplace_back("Retry-After", "30");
    reply(std::move(response));
    return true;
  }
  HttpResponse response;
  if (page) {
    response = HttpResponse::html(200, status_page(page_ctx, status.value()));
    add_page_headers(response);
  } else {
    response.status = 200;
    response.content_type = "application/atom+xml; charset=utf-8";
    response.body = status_feed(page_ctx, status.value(), std::chrono::system_clock::now());
    response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  }
  // Nothing private on either: let proxies and browsers absorb an outage's reloads.
  std::erase_if(response.headers,
                [](const auto& header) { return header.first == "Cache-Control"; });
  response.headers.emplace_back("Cache-Control", kPublicCache);
  reply(std::move(response));
  return true;
}

bool route_status_api(const StatePtr& state, ChannelContext& context, HttpRequest& request,
                      const ReplyOnce& reply, const ApiAuthorizer& authorize) {
  const std::string& path = request.path;
  if (path == kStatusApi) {
    if (!read_method(request)) {
      reply(not_allowed("GET, HEAD"));
      return true;
    }
    auto status = context.service_status();
    if (!status.ok()) {
      reply(problem_response(problem_for(status.status())));
      return true;
    }
    HttpResponse response = HttpResponse::json(200, status_summary_json(status.value()));
    response.headers.emplace_back("Cache-Control", kPublicCache);
    reply(std::move(response));
    return true;
  }
  const bool collection = path == kIncidents;
  if (!collection && !path.starts_with(std::string(kIncidents) + "/")) {
    return false;
  }
  std::string id;
  bool updates = false;
  if (!collection) {
    id = path.substr(kIncidents.size() + 1);
    updates = id.ends_with(kUpdatesSuffix);
    if (updates) {
      id.resize(id.size() - kUpdatesSuffix.size());
    }
    if (id.empty() || id.size() > 40 || id.find('/') != std::string::npos) {
      return false;
    }
  }
  Problem refusal;
  const auto caller = authorize(&refusal);
  if (!caller.ok()) {
    if (state->logger) {
      state->logger->warn("api: refused {} {} from {}: {}", request.method, path,
                          request.remote_address, refusal.detail);
    }
    reply(problem_response(refusal));
    return true;
  }
  if (collection) {
    incidents_collection(state, context, request, reply, caller.value());
  } else {
    one_incident(state, context, request, reply, caller.value(), id, updates);
  }
  return true;
}

}  // namespace web
