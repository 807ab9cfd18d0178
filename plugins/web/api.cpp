#include "api.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "json_body.hpp"
#include "sha256.hpp"

namespace web {
namespace {

namespace json = boost::json;
using supportgw::sdk::HttpResponse;
using supportgw::sdk::Status;
using supportgw::sdk::StatusCode;

// A ticket has no deep structure; anything nested deeper is not a ticket.
constexpr std::size_t kMaxDepth = 8;
constexpr std::size_t kMaxTextBytes = 1'000'000;
constexpr std::size_t kMaxFieldBytes = 1'000;

bool blank(const std::string& text) {
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) == 0) {
      return false;
    }
  }
  return true;
}

}  // namespace

HttpResponse problem_response(const Problem& problem) {
  json::object body;
  body["type"] = problem.type;
  body["title"] = problem.title;
  body["status"] = problem.status;
  body["detail"] = problem.detail;
  HttpResponse response;
  response.status = problem.status;
  response.content_type = "application/problem+json";
  response.body = json::serialize(body) + "\n";
  if (problem.status == 401) {
    response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"supportgw\"");
  }
  if (problem.status == 503) {
    response.headers.emplace_back("Retry-After", "30");
  }
  return response;
}

Problem problem_for(const Status& status) {
  switch (status.code()) {
    case StatusCode::ok:
    case StatusCode::internal:
      break;
    case StatusCode::invalid_argument:
      return Problem{400, "Bad Request", status.message()};
    case StatusCode::not_found:
      return Problem{404, "Not Found", "no such ticket"};
    case StatusCode::denied:
      return Problem{409, "Conflict", status.message()};
    case StatusCode::unavailable:
      return Problem{503, "Service Unavailable",
                     "the gateway cannot take requests right now; nothing was kept"};
  }
  return Problem{500, "Internal Server Error", "the request could not be processed"};
}

Problem refusal_problem(int status, std::string detail) {
  const std::pair<int, const char*> titles[] = {
      {400, "Bad Request"},           {408, "Request Timeout"},
      {413, "Content Too Large"},     {431, "Request Header Fields Too Large"},
      {500, "Internal Server Error"}, {503, "Service Unavailable"}};
  std::string title = status >= 500 ? "Server Error" : "Client Error";
  for (const auto& [code, text] : titles) {
    if (code == status) {
      title = text;
    }
  }
  return Problem{status, std::move(title), std::move(detail)};
}

bool is_api_path(std::string_view path) {
  return path == "/api/v1" || path.starts_with("/api/v1/");
}

std::optional<Problem> read_create_request(std::string_view body,
                                           supportgw::sdk::InboundMessage& message) {
  json::object object;
  if (auto problem = read_json_object(
          body, kMaxDepth,
          {"subject", "description", "severity", "customer", "product", "product_version"},
          object)) {
    return problem;
  }
  std::string product;
  std::string product_version;
  for (auto problem : {
           optional_string(object, "subject", "subject", kMaxFieldBytes, message.subject),
           optional_string(object, "description", "description", kMaxTextBytes, message.text),
           optional_string(object, "product", "product", kMaxFieldBytes, product),
           optional_string(object, "product_version", "product_version", kMaxFieldBytes,
                           product_version),
       }) {
    if (problem) {
      return problem;
    }
  }
  if (blank(message.subject)) {
    return bad_request("'subject' is required");
  }
  if (blank(message.text)) {
    return bad_request("'description' is required");
  }
  if (const json::value* severity = object.if_contains("severity");
      severity != nullptr && !severity->is_null()) {
    if (!severity->is_int64() || severity->get_int64() < 1 || severity->get_int64() > 100) {
      return bad_request("'severity' must be a level from 1 (most severe) upwards");
    }
    message.requested_severity = static_cast<int>(severity->get_int64());
  }
  const json::value* customer = object.if_contains("customer");
  if (customer == nullptr || !customer->is_object()) {
    return bad_request("'customer' must be an object with at least an 'email'");
  }
  const json::object& who = customer->get_object();
  if (auto problem = refuse_unknown(who, {"name", "email", "company", "phone"}, "customer.")) {
    return problem;
  }
  for (auto problem : {
           optional_string(who, "name", "customer.name", kMaxFieldBytes, message.sender.name),
           optional_string(who, "email", "customer.email", kMaxFieldBytes, message.sender.email),
           optional_string(who, "company", "customer.company", kMaxFieldBytes,
                           message.sender.company),
           optional_string(who, "phone", "customer.phone", kMaxFieldBytes, message.sender.phone),
       }) {
    if (problem) {
      return problem;
    }
  }
  const auto at = message.sender.email.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == message.sender.email.size()) {
    return bad_request("'customer.email' must be an email address");
  }
  if (!product.empty()) {
    message.fields["product"] = product;
  }
  if (!product_version.empty()) {
    message.fields["product_version"] = product_version;
  }
  return std::nullopt;
}

const char* outcome_name(supportgw::sdk::IntakeResult::Outcome outcome) {
  using Outcome = supportgw::sdk::IntakeResult::Outcome;
  switch (outcome) {
    case Outcome::created:
      return "created";
    case Outcome::updated:
      return "updated";
    case Outcome::reopened:
      return "reopened";
    case Outcome::duplicate:
      return "duplicate";
  }
  return "unknown";
}

std::string intake_result_json(const supportgw::sdk::IntakeResult& result,
                               const std::vector<supportgw::sdk::IncidentView>& known,
                               const std::string& status_url) {
  json::object body;
  body["reference"] = result.reference;
  body["outcome"] = outcome_name(result.outcome);
  body["severity"] = result.severity;
  // The token exists only in the answer that created the ticket.
  if (!result.token.empty()) {
    body["token"] = result.token;
  }
  body["acknowledgement"] = result.acknowledgement;
  if (!known.empty()) {
    json::array incidents;
    for (const auto& incident : known) {
      incidents.push_back(json::object{{"id", incident.id},
                                       {"title", incident.title},
                                       {"status", incident.status},
                                       {"url", status_url + "#" + incident.id}});
    }
    body["known_incidents"] = std::move(incidents);
  }
  return json::serialize(body) + "\n";
}

std::string utc_timestamp(std::chrono::system_clock::time_point at) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(at);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

namespace {

json::object ticket_summary_object(const supportgw::sdk::TicketView& ticket) {
  json::object body;
  body["reference"] = ticket.reference;
  body["subject"] = ticket.subject;
  body["status"] = ticket.status;
  body["severity"] = ticket.severity;
  body["severity_name"] = ticket.severity_name;
  body["customer"] = json::object{{"name", ticket.customer_name}, {"email", ticket.customer_email}};
  body["product"] = ticket.product;
  body["product_version"] = ticket.product_version;
  body["created_at"] = utc_timestamp(ticket.created_at);
  body["updated_at"] = utc_timestamp(ticket.updated_at);
  return body;
}

}  // namespace

std::string ticket_page_json(const supportgw::sdk::TicketPage& page) {
  json::array tickets;
  for (const auto& ticket : page.tickets) {
    tickets.push_back(ticket_summary_object(ticket));
  }
  json::object body;
  body["tickets"] = std::move(tickets);
  if (page.next.empty()) {
    body["next"] = nullptr;
  } else {
    body["next"] = page.next;
  }
  return json::serialize(body) + "\n";
}

std::string ticket_json(const supportgw::sdk::TicketView& ticket) {
  json::object body = ticket_summary_object(ticket);
  body["reopenable"] = ticket.reopenable;
  json::array history;
  for (const auto& entry : ticket.history) {
    history.push_back(json::object{{"at", utc_timestamp(entry.at)},
                                   {"kind", entry.kind},
                                   {"actor", entry.actor},
                                   {"channel", entry.channel},
                                   {"text", entry.text}});
  }
  body["history"] = std::move(history);
  json::array files;
  for (const auto& file : ticket.files) {
    files.push_back(json::object{{"file_name", file.file_name},
                                 {"size", file.size},
                                 {"sha256", file.sha256},
                                 {"added_at", utc_timestamp(file.added_at)}});
  }
  body["files"] = std::move(files);
  return json::serialize(body) + "\n";
}

bool api_key_valid(std::string_view key, const std::vector<std::string>& hashes) {
  if (key.empty()) {
    return false;
  }
  const std::string digest = sha256_hex(key);
  bool valid = false;
  // No early exit: the time taken does not say which key (if any) matched.
  for (const std::string& hash : hashes) {
    valid = constant_time_equal(digest, hash) || valid;
  }
  return valid;
}

std::optional<long> small_number(const std::optional<std::string>& text, std::size_t digits) {
  if (!text || text->empty() || text->size() > digits ||
      !std::all_of(text->begin(), text->end(),
                   [](unsigned char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stol(*text);
}

}  // namespace web
