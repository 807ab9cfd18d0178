// The vendor's ticket changes and responses as the API reads them, and the escalations
// due as it writes them: every member, limit and refusal, without a network.

#include "api_staff.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace web {
namespace {

using supportgw::sdk::TicketChange;

std::string refusal_of_change(std::string_view body) {
  TicketChange change;
  const auto problem = read_ticket_change(body, change);
  return problem ? std::to_string(problem->status) + " " + problem->detail : "";
}

std::string refusal_of_response(std::string_view body) {
  TicketChange change;
  const auto problem = read_ticket_response(body, change);
  return problem ? std::to_string(problem->status) + " " + problem->detail : "";
}

TEST(ApiStaff, ReadsAChange) {
  TicketChange change;
  ASSERT_FALSE(read_ticket_change(
      R"({"severity": 2, "status": "solved", "owner": "alice", "note": "fixed in 5.1"})", change));
  EXPECT_EQ(change.severity, 2);
  EXPECT_EQ(change.status, "solved");
  EXPECT_EQ(change.owner, "alice");
  EXPECT_EQ(change.note, "fixed in 5.1");
  EXPECT_TRUE(change.response.empty());
}

TEST(ApiStaff, RefusesChangesThatAreNotOne) {
  EXPECT_EQ(refusal_of_change("{}").rfind("400 nothing to change", 0), 0u);
  EXPECT_EQ(refusal_of_change(R"({"note": "just a note"})").rfind("400 nothing to change", 0), 0u);
  EXPECT_EQ(refusal_of_change("[1]"), "400 the body must be a JSON object");
  EXPECT_EQ(refusal_of_change("{").rfind("400 the body is not JSON", 0), 0u);
  EXPECT_EQ(refusal_of_change(R"({"severity": 0})"),
            "400 'severity' must be a level from 1 (most severe) upwards");
  EXPECT_EQ(refusal_of_change(R"({"severity": "1"})"),
            "400 'severity' must be a level from 1 (most severe) upwards");
  EXPECT_EQ(refusal_of_change(R"({"status": "new"})"),
            "400 'status' must be open, pending-customer, solved or closed");
  EXPECT_EQ(refusal_of_change(R"({"owner": ""})"), "400 'owner' must name someone");
  EXPECT_EQ(refusal_of_change(R"({"owner": ")" + std::string(201, 'a') + "\"}"),
            "400 'owner' is longer than 200 bytes");
  EXPECT_EQ(refusal_of_change(R"({"assignee": "bob"})"), "400 unknown member 'assignee'");
  EXPECT_EQ(refusal_of_change(R"({"severity": 1, "note": [[[[[["deep"]]]]]]})")
                .rfind("400 the body is not JSON", 0),
            0u);
}

TEST(ApiStaff, ReadsAResponse) {
  TicketChange change;
  ASSERT_FALSE(read_ticket_response(
      R"({"message": "Please send the dump.", "await_customer": true, "note": "asked"})", change));
  EXPECT_EQ(change.response, "Please send the dump.");
  EXPECT_TRUE(change.await_customer);
  EXPECT_EQ(change.note, "asked");
  EXPECT_TRUE(change.status.empty());

  TicketChange solving;
  ASSERT_FALSE(read_ticket_response(R"({"message": "Fixed.", "status": "solved"})", solving));
  EXPECT_EQ(solving.status, "solved");
  EXPECT_FALSE(solving.await_customer);
}

TEST(ApiStaff, RefusesResponsesWithoutAMessage) {
  EXPECT_EQ(refusal_of_response("{}"), "400 'message' is required: the answer to the customer");
  EXPECT_EQ(refusal_of_response(R"({"message": " \n"})"),
            "400 'message' is required: the answer to the customer");
  EXPECT_EQ(refusal_of_response(R"({"message": 7})"), "400 'message' must be a string");
  EXPECT_EQ(refusal_of_response(R"({"message": "x", "await_customer": "yes"})"),
            "400 'await_customer' must be true or false");
  EXPECT_EQ(refusal_of_response(R"({"message": "x", "severity": 1})"),
            "400 unknown member 'severity'");
  EXPECT_EQ(refusal_of_response(R"({"message": ")" + std::string(64 * 1024 + 1, 'a') + "\"}"),
            "400 'message' is longer than 65536 bytes");
}

TEST(ApiStaff, WritesTheEscalationsDue) {
  using namespace std::chrono;
  const auto now = sys_days(2026y / 12 / 2) + 15h;
  supportgw::sdk::EscalationDue late{"NX-000001", 1, "step", "Director of Customer Services",
                                     now - 5min};
  supportgw::sdk::EscalationDue soon{"NX-000002", 2, "sla-breach", "first_response", now + 30min};
  const auto parsed = boost::json::parse(escalations_json({late, soon}, now)).as_object();
  const auto& items = parsed.at("escalations").as_array();
  ASSERT_EQ(items.size(), 2u);
  const auto& first = items[0].as_object();
  EXPECT_EQ(first.at("reference").as_string(), "NX-000001");
  EXPECT_EQ(first.at("severity").as_int64(), 1);
  EXPECT_EQ(first.at("kind").as_string(), "step");
  EXPECT_EQ(first.at("what").as_string(), "Director of Customer Services");
  EXPECT_EQ(first.at("due_at").as_string(), "2026-12-02T14:55:00Z");
  EXPECT_TRUE(first.at("overdue").as_bool());
  EXPECT_FALSE(items[1].as_object().at("overdue").as_bool());
}

TEST(ApiStaff, ReadsRfc3339Times) {
  using namespace std::chrono;
  EXPECT_EQ(parse_rfc3339("2026-12-02T18:00:00Z"), sys_days(2026y / 12 / 2) + 18h);
  EXPECT_EQ(parse_rfc3339("2026-12-02T19:30:00+01:30"), sys_days(2026y / 12 / 2) + 18h);
  EXPECT_EQ(parse_rfc3339("2026-12-02T18:00:00.250Z"), sys_days(2026y / 12 / 2) + 18h);
  for (const char* bad :
       {"", "2026-12-02", "2026-12-02 18:00", "2026-02-30T00:00:00Z", "2026-12-02T18:00:00",
        "2026-12-02T18:00:00+1", "2026-12-02T25:00:00Z", "2026-12-02T18:00:00.Z"}) {
    EXPECT_FALSE(parse_rfc3339(bad)) << bad;
  }
}

}  // namespace
}  // namespace web
