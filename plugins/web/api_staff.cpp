#include "api_staff.hpp"

#include <cstdio>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "json_body.hpp"

namespace web {
namespace {

namespace json = boost::json;
using supportgw::sdk::TicketChange;

constexpr std::size_t kMaxDepth = 4;
constexpr std::size_t kMaxTextBytes = 64 * 1024;
constexpr std::size_t kMaxNameBytes = 200;

// status and note, shared by both bodies.
std::optional<Problem> read_status_and_note(const json::object& object, TicketChange& change) {
  if (auto problem = optional_string(object, "status", "status", 40, change.status)) {
    return problem;
  }
  if (!change.status.empty() && change.status != "open" && change.status != "pending-customer" &&
      change.status != "solved" && change.status != "closed") {
    return bad_request("'status' must be open, pending-customer, solved or closed");
  }
  return optional_string(object, "note", "note", kMaxTextBytes, change.note);
}

}  // namespace

std::optional<Problem> read_ticket_change(std::string_view body, TicketChange& change) {
  json::object object;
  if (auto problem =
          read_json_object(body, kMaxDepth, {"severity", "status", "owner", "note"}, object)) {
    return problem;
  }
  if (const json::value* severity = object.if_contains("severity");
      severity != nullptr && !severity->is_null()) {
    if (!severity->is_int64() || severity->get_int64() < 1 || severity->get_int64() > 100) {
      return bad_request("'severity' must be a level from 1 (most severe) upwards");
    }
    change.severity = static_cast<int>(severity->get_int64());
  }
  if (auto problem = optional_string(object, "owner", "owner", kMaxNameBytes, change.owner)) {
    return problem;
  }
  if (object.contains("owner") && change.owner.empty()) {
    return bad_request("'owner' must name someone");
  }
  if (auto problem = read_status_and_note(object, change)) {
    return problem;
  }
  if (change.severity == 0 && change.owner.empty() && change.status.empty()) {
    return bad_request(
        "nothing to change: give 'severity', 'status' or 'owner' (answers go to "
        "/responses)");
  }
  return std::nullopt;
}

std::optional<Problem> read_ticket_response(std::string_view body, TicketChange& change) {
  json::object object;
  if (auto problem = read_json_object(body, kMaxDepth,
                                      {"message", "await_customer", "status", "note"}, object)) {
    return problem;
  }
  if (auto problem =
          optional_string(object, "message", "message", kMaxTextBytes, change.response)) {
    return problem;
  }
  if (change.response.find_first_not_of(" \t\r\n") == std::string::npos) {
    return bad_request("'message' is required: the answer to the customer");
  }
  if (const json::value* await = object.if_contains("await_customer");
      await != nullptr && !await->is_null()) {
    if (!await->is_bool()) {
      return bad_request("'await_customer' must be true or false");
    }
    change.await_customer = await->get_bool();
  }
  return read_status_and_note(object, change);
}

std::string escalations_json(const std::vector<supportgw::sdk::EscalationDue>& due,
                             std::chrono::system_clock::time_point now) {
  json::array items;
  for (const auto& item : due) {
    items.push_back(json::object{{"reference", item.reference},
                                 {"severity", item.severity},
                                 {"kind", item.kind},
                                 {"what", item.what},
                                 {"due_at", utc_timestamp(item.due_at)},
                                 {"overdue", item.due_at <= now}});
  }
  return json::serialize(json::object{{"escalations", std::move(items)}});
}

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)
  if (text.size() < 20 || text.size() > 40) {
    return std::nullopt;
  }
  const std::string copy(text);
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, consumed = 0;
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2d%*1[Tt]%2d:%2d:%2d%n", &year, &month, &day, &hour,
                  &minute, &second, &consumed) != 6 ||
      consumed != 19) {
    return std::nullopt;
  }
  std::size_t at = 19;
  if (at < copy.size() && copy[at] == '.') {
    ++at;
    const std::size_t digits = at;
    while (at < copy.size() && copy[at] >= '0' && copy[at] <= '9') ++at;
    if (at == digits) return std::nullopt;
  }
  int offset_minutes = 0;
  const std::string zone = copy.substr(at);
  if (zone == "Z" || zone == "z") {
    offset_minutes = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int zh = 0, zm = 0;
    if (std::sscanf(zone.c_str() + 1, "%2d:%2d", &zh, &zm) != 2 || zh > 23 || zm > 59) {
      return std::nullopt;
    }
    offset_minutes = (zone[0] == '+' ? 1 : -1) * (zh * 60 + zm);
  } else {
    return std::nullopt;
  }
  using namespace std::chrono;
  const year_month_day date{std::chrono::year(year),
                            std::chrono::month(static_cast<unsigned>(month)),
                            std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  return sys_days(date) + hours(hour) + minutes(minute) + seconds(second) - minutes(offset_minutes);
}

}  // namespace web
