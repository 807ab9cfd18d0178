#pragma once
// The JSON API's pieces that need no network: reading a create request, writing tickets
// and results as JSON, problem documents (RFC 9457), API key checks.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <supportgw/sdk/http_server.hpp>
#include <supportgw/sdk/inbound_message.hpp>
#include <supportgw/sdk/service_status.hpp>
#include <supportgw/sdk/ticket_view.hpp>

namespace web {

// An RFC 9457 problem document. `type` "about:blank" means the status says it all.
struct Problem {
  int status = 500;
  std::string title;
  std::string detail;
  std::string type = "about:blank";
};

// application/problem+json with the problem as its body.
supportgw::sdk::HttpResponse problem_response(const Problem& problem);
// A problem for a Status that came back from the gateway.
Problem problem_for(const supportgw::sdk::Status& status);
// A problem for a refusal of the HTTP server itself (413, 431, 400 before routing), with
// the status's standard title.
Problem refusal_problem(int status, std::string detail);
// Whether `path` is one of the JSON API's (answered with problem documents).
bool is_api_path(std::string_view path);

// The body of POST /api/v1/tickets:
//   {"subject": "...", "description": "...", "severity": 1,
//    "customer": {"name": "...", "email": "...", "company": "...", "phone": "..."},
//    "product": "...", "product_version": "..."}
// subject, description and customer.email are required; unknown members are refused.
// Fills `message` (sender, subject, text, fields, severity) or returns a 400 problem.
std::optional<Problem> read_create_request(std::string_view body,
                                           supportgw::sdk::InboundMessage& message);

const char* outcome_name(supportgw::sdk::IntakeResult::Outcome outcome);
// With `known` (the incidents intake linked the ticket to), "known_incidents":
// [{"id", "title", "status", "url"}], each url under `status_url`.
std::string intake_result_json(const supportgw::sdk::IntakeResult& result,
                               const std::vector<supportgw::sdk::IncidentView>& known = {},
                               const std::string& status_url = {});
std::string ticket_json(const supportgw::sdk::TicketView& ticket);
// {"tickets": [summaries without history and files], "next": "<cursor>" | null}
std::string ticket_page_json(const supportgw::sdk::TicketPage& page);

// RFC 3339 in UTC: "2026-03-01T09:30:00Z".
std::string utc_timestamp(std::chrono::system_clock::time_point at);

// Whether SHA-256(`key`) is one of `hashes`; every hash is compared, in constant time.
bool api_key_valid(std::string_view key, const std::vector<std::string>& hashes);

// A query parameter that must be 1..`digits` decimal digits: its value; nullopt when
// absent, empty, longer or not digits.
std::optional<long> small_number(const std::optional<std::string>& text, std::size_t digits);

}  // namespace web
