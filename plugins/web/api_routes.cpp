// The JSON API under /api/v1/:
//   POST /api/v1/tickets              (API key)  201 {"reference", "token", ...}
//   GET  /api/v1/tickets?status=&severity=&after=&limit=  (API key)  200 {"tickets", "next"}
//   GET  /api/v1/tickets/{reference}  (API key, or ?token= the customer's token)  200
//   PATCH /api/v1/tickets/{reference}            (API key)  200 the ticket (api_staff.hpp)
//   POST /api/v1/tickets/{reference}/responses   (API key)  200 the ticket
//   GET  /api/v1/escalations?before=&limit=      (API key)  200 {"escalations"}
// Errors are RFC 9457 problem documents.

#include <spdlog/logger.h>

#include <algorithm>
#include <optional>

#include "api.hpp"
#include "api_staff.hpp"
#include "form.hpp"
#include "metrics.hpp"
#include "sha256.hpp"
#include "status.hpp"
#include "web_state.hpp"

namespace web {
namespace {

using supportgw::sdk::ChannelContext;
using supportgw::sdk::HttpRequest;
using supportgw::sdk::HttpResponse;
using supportgw::sdk::InboundMessage;
using supportgw::sdk::IntakeResult;
using supportgw::sdk::Result;

constexpr std::string_view kTickets = "/api/v1/tickets";
constexpr std::string_view kEscalations = "/api/v1/escalations";
constexpr std::size_t kMaxIdempotencyKey = 200;

Problem unauthorized() {
  return Problem{401, "Unauthorized",
                 "a valid API key is required as \"Authorization: Bearer <key>\" (the vendor "
                 "makes keys with `supportgw apikey create`)"};
}

// Who the request's bearer key belongs to: one of the settings' api_keys ("configured
// key") or a key made with `supportgw apikey create` (its name). A 401 problem when the key
// is missing, unknown or revoked; 503 when the store cannot be asked.
Result<std::string> api_caller(const WebState& state, ChannelContext& context,
                               const HttpRequest& request, Problem* problem) {
  const std::string key = supportgw::sdk::bearer_token(request);
  const supportgw::sdk::Status refused(supportgw::sdk::StatusCode::denied, "no valid API key");
  if (key.empty()) {
    *problem = unauthorized();
    return refused;
  }
  if (api_key_valid(key, state.settings.api_key_hashes)) {
    return std::string("configured key");
  }
  auto stored = context.check_api_key(key);
  if (stored.ok()) {
    return stored;
  }
  *problem = stored.status().code() == supportgw::sdk::StatusCode::not_found
                 ? unauthorized()
                 : problem_for(stored.status());
  return refused;
}

bool printable_ascii(std::string_view text) {
  for (char c : text) {
    if (c < 0x21 || c > 0x7e) {
      return false;
    }
  }
  return true;
}

void create_ticket(const StatePtr& state, ChannelContext& context, HttpRequest& request,
                   const ReplyOnce& reply) {
  Problem refusal;
  const auto caller = api_caller(*state, context, request, &refusal);
  if (!caller.ok()) {
    if (state->logger) {
      state->logger->warn("api: refused POST from {}: {}", request.remote_address, refusal.detail);
    }
    reply(problem_response(refusal));
    return;
  }
  const std::string type = media_type(request);
  if (type != "application/json" && !type.ends_with("+json")) {
    reply(problem_response(
        Problem{415, "Unsupported Media Type", "send the ticket as application/json"}));
    return;
  }
  InboundMessage message;
  if (auto problem = read_create_request(request.body, message)) {
    reply(problem_response(*problem));
    return;
  }
  // Origin ids are per channel; scoping the client's key by its API key keeps two
  // clients that pick the same Idempotency-Key apart.
  if (const std::string* idempotency = request.header("idempotency-key"); idempotency != nullptr) {
    if (idempotency->empty() || idempotency->size() > kMaxIdempotencyKey ||
        !printable_ascii(*idempotency)) {
      reply(problem_response(
          Problem{400, "Bad Request", "Idempotency-Key must be 1 to 200 printable characters"}));
      return;
    }
    const std::string key = supportgw::sdk::bearer_token(request);
    message.origin_id = "api:" + sha256_hex(key).substr(0, 16) + ":" + *idempotency;
  } else {
    message.origin_id = "api:" + state->random->hex(16);
  }
  message.channel = state->channel_name;
  message.route = "api";
  message.received_at = std::chrono::system_clock::now();
  const std::string remote = request.remote_address;
  context.submit(
      std::move(message), [state, reply, remote, context = &context](Result<IntakeResult> result) {
        try {
          if (!result.ok()) {
            if (state->logger) {
              state->logger->warn("api: the gateway did not take a ticket from {}: {}", remote,
                                  result.status().message());
            }
            reply(problem_response(problem_for(result.status())));
            return;
          }
          const IntakeResult& intake = result.value();
          if (state->logger) {
            state->logger->info("api: {} {} for {}", outcome_name(intake.outcome), intake.reference,
                                remote);
          }
          const bool created = intake.outcome == IntakeResult::Outcome::created;
          // A repeated contact answers as the first time did, without the incidents.
          HttpResponse response = HttpResponse::json(
              created ? 201 : 200,
              intake_result_json(intake,
                                 created ? linked_incidents(*context, intake)
                                         : std::vector<supportgw::sdk::IncidentView>{},
                                 state->settings.public_url + "/status"));
          response.headers.emplace_back("Location", std::string(kTickets) + "/" + intake.reference);
          response.headers.emplace_back("Cache-Control", "no-store");
          reply(std::move(response));
        } catch (...) {
          reply(problem_response(Problem{500, "Internal Server Error", "the answer failed"}));
        }
      });
}

void list_tickets(const StatePtr& state, ChannelContext& context, HttpRequest& request,
                  const ReplyOnce& reply) {
  Problem refusal;
  if (!api_caller(*state, context, request, &refusal).ok()) {
    reply(problem_response(refusal));
    return;
  }
  supportgw::sdk::TicketQuery query;
  query.status = request.query_parameter("status").value_or("");
  query.after = request.query_parameter("after").value_or("");
  if (const auto severity = request.query_parameter("severity")) {
    const auto level = small_number(severity, 2);
    if (!level || *level < 1) {
      reply(problem_response(Problem{400, "Bad Request", "severity: expected a level from 1"}));
      return;
    }
    query.severity = static_cast<int>(*level);
  }
  if (const auto limit = request.query_parameter("limit")) {
    const auto count = small_number(limit, 3);
    if (!count) {
      reply(problem_response(Problem{400, "Bad Request", "limit: expected 1 to 500"}));
      return;
    }
    query.limit = static_cast<std::size_t>(*count);
  }
  auto page = context.list_tickets(query);
  if (!page.ok()) {
    reply(problem_response(problem_for(page.status())));
    return;
  }
  HttpResponse response = HttpResponse::json(200, ticket_page_json(page.value()));
  response.headers.emplace_back("Cache-Control", "no-store");
  reply(std::move(response));
}

void show_ticket(const StatePtr& state, ChannelContext& context, HttpRequest& request,
                 const std::string& reference, const ReplyOnce& reply) {
  Result<supportgw::sdk::TicketView> ticket =
      supportgw::sdk::Status(supportgw::sdk::StatusCode::not_found, "no such ticket");
  if (request.header("authorization") != nullptr) {
    Problem refusal;
    if (!api_caller(*state, context, request, &refusal).ok()) {
      reply(problem_response(refusal));
      return;
    }
    ticket = context.find_ticket(reference);
  } else if (auto token = request.query_parameter("token"); token && !token->empty()) {
    ticket = context.find_ticket(reference, *token);
  } else {
    reply(problem_response(unauthorized()));
    return;
  }
  if (!ticket.ok()) {
    reply(problem_response(problem_for(ticket.status())));
    return;
  }
  HttpResponse response = HttpResponse::json(200, ticket_json(ticket.value()));
  response.headers.emplace_back("Cache-Control", "no-store");
  reply(std::move(response));
}

// PATCH /api/v1/tickets/{reference} and POST .../responses: a staff change, acted as the
// API key's owner ("api:<key name>").
void change_ticket(const StatePtr& state, ChannelContext& context, HttpRequest& request,
                   const std::string& reference, bool response, const ReplyOnce& reply) {
  Problem refusal;
  const auto caller = api_caller(*state, context, request, &refusal);
  if (!caller.ok()) {
    reply(problem_response(refusal));
    return;
  }
  const std::string type = media_type(request);
  if (type != "application/json" && !type.ends_with("+json")) {
    reply(problem_response(
        Problem{415, "Unsupported Media Type", "send the change as application/json"}));
    return;
  }
  supportgw::sdk::TicketChange change;
  if (auto problem = response ? read_ticket_response(request.body, change)
                              : read_ticket_change(request.body, change)) {
    reply(problem_response(*problem));
    return;
  }
  change.reference = reference;
  change.actor = "api:" + caller.value();
  context.change_ticket(
      std::move(change), [state, reply, reference](Result<supportgw::sdk::TicketView> ticket) {
        try {
          if (!ticket.ok()) {
            Problem problem = problem_for(ticket.status());
            if (problem.status == 404) {
              problem.detail = "no ticket " + reference;
            }
            reply(problem_response(problem));
            return;
          }
          HttpResponse answer = HttpResponse::json(200, ticket_json(ticket.value()));
          answer.headers.emplace_back("Cache-Control", "no-store");
          reply(std::move(answer));
        } catch (...) {
          reply(problem_response(Problem{500, "Internal Server Error", "the answer failed"}));
        }
      });
}

void escalations_due(const StatePtr& state, ChannelContext& context, HttpRequest& request,
                     const ReplyOnce& reply) {
  Problem refusal;
  if (!api_caller(*state, context, request, &refusal).ok()) {
    reply(problem_response(refusal));
    return;
  }
  const auto now = std::chrono::system_clock::now();
  auto before = now + std::chrono::hours(1);
  if (const auto text = request.query_parameter("before")) {
    const auto parsed = parse_rfc3339(*text);
    if (!parsed) {
      reply(problem_response(Problem{
          400, "Bad Request", "before: expected an RFC 3339 time such as 2026-12-02T18:00:00Z"}));
      return;
    }
    before = *parsed;
  }
  std::size_t limit = 100;
  if (const auto text = request.query_parameter("limit")) {
    const auto count = small_number(text, 3);
    if (!count) {
      reply(problem_response(Problem{400, "Bad Request", "limit: expected 1 to 500"}));
      return;
    }
    limit = static_cast<std::size_t>(*count);
  }
  auto due = context.escalations_due(before, limit);
  if (!due.ok()) {
    reply(problem_response(problem_for(due.status())));
    return;
  }
  HttpResponse response = HttpResponse::json(200, escalations_json(due.value(), now));
  response.headers.emplace_back("Cache-Control", "no-store");
  reply(std::move(response));
}

HttpResponse method_not_allowed(std::string_view allow) {
  HttpResponse response = problem_response(
      Problem{405, "Method Not Allowed", "this resource allows " + std::string(allow)});
  response.headers.emplace_back("Allow", std::string(allow));
  return response;
}

}  // namespace

void serve_metrics(const StatePtr& state, ChannelContext& context, HttpRequest& request,
                   const ReplyOnce& reply) {
  if (state->settings.metrics == MetricsAccess::off) {
    reply(problem_response(Problem{404, "Not Found", "metrics are off in this deployment"}));
    return;
  }
  if (request.method != "GET" && request.method != "HEAD") {
    reply(method_not_allowed("GET, HEAD"));
    return;
  }
  if (state->settings.metrics == MetricsAccess::api_key) {
    Problem refusal;
    if (!api_caller(*state, context, request, &refusal).ok()) {
      reply(problem_response(refusal));
      return;
    }
  }
  auto samples = context.gateway_metrics();
  if (!samples.ok()) {
    reply(problem_response(problem_for(samples.status())));
    return;
  }
  HttpResponse response;
  response.status = 200;
  response.content_type = kPrometheusContentType;
  response.body = prometheus_text(samples.value());
  response.headers.emplace_back("Cache-Control", "no-store");
  reply(std::move(response));
}

void route_api(const StatePtr& state, ChannelContext& context, HttpRequest& request,
               const ReplyOnce& reply) {
  const std::string& path = request.path;
  // The status summary and incidents (status_routes.cpp), with this file's key check.
  if (route_status_api(state, context, request, reply, [&](Problem* problem) {
        return api_caller(*state, context, request, problem);
      })) {
    return;
  }
  if (path == kTickets) {
    if (request.method == "GET" || request.method == "HEAD") {
      list_tickets(state, context, request, reply);
    } else if (request.method == "POST") {
      create_ticket(state, context, request, reply);
    } else {
      reply(method_not_allowed("GET, HEAD, POST"));
    }
    return;
  }
  if (path == kEscalations) {
    if (request.method != "GET" && request.method != "HEAD") {
      reply(method_not_allowed("GET, HEAD"));
      return;
    }
    escalations_due(state, context, request, reply);
    return;
  }
  if (path.starts_with(std::string(kTickets) + "/")) {
    std::string reference = path.substr(kTickets.size() + 1);
    constexpr std::string_view kResponses = "/responses";
    const bool responses = reference.ends_with(kResponses);
    if (responses) {
      reference.resize(reference.size() - kResponses.size());
    }
    if (!reference.empty() && reference.size() <= 100 && reference.find('/') == std::string::npos) {
      if (responses) {
        if (request.method != "POST") {
          reply(method_not_allowed("POST"));
          return;
        }
        change_ticket(state, context, request, reference, true, reply);
      } else if (request.method == "PATCH") {
        change_ticket(state, context, request, reference, false, reply);
      } else if (request.method == "GET" || request.method == "HEAD") {
        show_ticket(state, context, request, reference, reply);
      } else {
        reply(method_not_allowed("GET, HEAD, PATCH"));
      }
      return;
    }
  }
  reply(problem_response(Problem{404, "Not Found", "no such API resource: " + path}));
}

}  // namespace web
