// One notification as the gateway takes it in: ids, subject, text, severity.

#include <gtest/gtest.h>

#include <regex>

#include "alertmanager_message.hpp"
#include "test_payloads.hpp"

namespace alertmanager {
namespace {

using testing::sample;
using testing::sample_json;
using testing::text;

Notification parsed(const std::string& body) {
  auto result = parse_notification(body);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? std::move(result).value() : Notification{};
}

MessageOptions options() {
  MessageOptions options;
  options.channel = "alerts";
  options.severities = {{"critical", 1}, {"warning", 3}};
  return options;
}

TEST(Message, MapsAFiringNotification) {
  const auto now = std::chrono::system_clock::now();
  auto with_notify = options();
  with_notify.notify = "ops@example.net";
  const auto message = to_inbound_message(parsed(sample("firing.json")), with_notify, now);
  EXPECT_EQ(message.channel, "alerts");
  EXPECT_TRUE(std::regex_match(message.origin_id, std::regex("alertmanager:[0-9a-f]{64}")))
      << message.origin_id;
  ASSERT_EQ(message.thread_ids.size(), 1U);
  EXPECT_TRUE(
      std::regex_match(message.thread_ids[0], std::regex("alertmanager-group:[0-9a-f]{64}")));
  EXPECT_EQ(message.subject, "[FIRING:2] HighLatency (prod api critical)");
  EXPECT_EQ(message.route, "supportgw");
  EXPECT_EQ(message.sender.name, "Alertmanager");
  EXPECT_EQ(message.requested_severity, 1);
  EXPECT_EQ(message.hints.at("source"), "alertmanager");
  EXPECT_EQ(message.fields.at("customer_email"), "ops@example.net");
  EXPECT_FALSE(message.marks_solved);
  EXPECT_EQ(message.received_at, now);
  for (const char* expected :
       {"Alert 1 of 2: FIRING", "Alert 2 of 2: FIRING", "instance=\"api-2.example.net:9090\"",
        "summary: API p99 latency above 2s", "description: p99 latency of api-2",
        "started: 2026-03-02T09:18:00.456Z", "source: http://prometheus.example.net:9090/graph",
        "Alertmanager: http://alertmanager.example.net:9093",
        "runbook_url: https://runbooks.example.net/api/high-latency"}) {
    EXPECT_NE(message.text.find(expected), std::string::npos) << expected << "\n" << message.text;
  }
  // A firing alert's endsAt is Prometheus's horizon, not an end.
  EXPECT_EQ(message.text.find("ended:"), std::string::npos) << message.text;
}

TEST(Message, MapsAResolvedNotification) {
  const auto message = to_inbound_message(parsed(sample("resolved.json")), options(),
                                          std::chrono::system_clock::now());
  EXPECT_TRUE(message.marks_solved);
  EXPECT_EQ(message.subject, "[RESOLVED] HighLatency (prod api critical)");
  EXPECT_NE(message.text.find("ended: 2026-03-02T09:41:00.789Z"), std::string::npos);
  EXPECT_TRUE(message.fields.empty());
  // The group's thread is the firing one's.
  const auto firing = to_inbound_message(parsed(sample("firing.json")), options(),
                                         std::chrono::system_clock::now());
  EXPECT_EQ(message.thread_ids, firing.thread_ids);
  EXPECT_NE(message.origin_id, firing.origin_id);
}

TEST(Message, TheSameGroupStateIsTheSameContact) {
  auto body = sample_json("firing.json");
  const std::string first = origin_id_of(parsed(text(body)));

  // Alerts in another order, and a firing alert's moved "valid until": the same.
  auto& alerts = body.at("alerts").as_array();
  std::swap(alerts[0], alerts[1]);
  alerts[0].as_object()["endsAt"] = "2026-03-02T13:27:30.123Z";
  body["commonAnnotations"].as_object()["summary"] = "reworded";
  EXPECT_EQ(origin_id_of(parsed(text(body))), first);

  // An alert that restarted, resolved, or left the group: a change.
  auto restarted = body;
  restarted.at("alerts").as_array()[0].as_object()["startsAt"] = "2026-03-02T11:00:00Z";
  EXPECT_NE(origin_id_of(parsed(text(restarted))), first);
  auto resolved = body;
  resolved.at("alerts").as_array()[0].as_object()["status"] = "resolved";
  EXPECT_NE(origin_id_of(parsed(text(resolved))), first);
  auto smaller = body;
  smaller.at("alerts").as_array().pop_back();
  EXPECT_NE(origin_id_of(parsed(text(smaller))), first);
  auto other_group = body;
  other_group["groupKey"] = "{}:{alertname=\"Other\"}";
  EXPECT_NE(origin_id_of(parsed(text(other_group))), first);
  EXPECT_NE(group_thread_id(parsed(text(other_group))), group_thread_id(parsed(text(body))));
}

TEST(Message, SubjectFollowsAlertmanagersDefaultTitle) {
  auto body = sample_json("firing.json");
  body.at("alerts").as_array()[1].as_object()["status"] = "resolved";
  EXPECT_EQ(subject_of(parsed(text(body))), "[FIRING:1] HighLatency (prod api critical)");

  // Nothing common beyond the group labels: no parentheses.
  body["commonLabels"] = body["groupLabels"];
  EXPECT_EQ(subject_of(parsed(text(body))), "[FIRING:1] HighLatency");

  // No group labels (group_by: ['...'] or none): the common labels, alertname first.
  body["groupLabels"] = boost::json::object{};
  body["commonLabels"] = boost::json::object{{"job", "api"}, {"alertname", "Down"}};
  EXPECT_EQ(subject_of(parsed(text(body))), "[FIRING:1] (Down api)");

  // A label value cannot break the subject onto two lines, nor make it huge.
  body["groupLabels"] = boost::json::object{{"alertname", "Two\nLines " + std::string(400, 'x')}};
  const std::string subject = subject_of(parsed(text(body)));
  EXPECT_EQ(subject.find('\n'), std::string::npos);
  EXPECT_LE(subject.size(), kMaxSubjectBytes);
  EXPECT_EQ(subject.rfind("[FIRING:1] Two Lines xxx", 0), 0U) << subject;
}

TEST(Message, SeverityComesFromTheLabelThroughTheTable) {
  auto body = sample_json("firing.json");
  EXPECT_EQ(severity_of(parsed(text(body)), options()), 1);

  body["commonLabels"].as_object()["severity"] = "page";
  for (auto& alert : body.at("alerts").as_array()) {
    alert.as_object()["labels"].as_object()["severity"] = "page";
  }
  EXPECT_EQ(severity_of(parsed(text(body)), options()), std::nullopt);

  // Not common to the group: the most severe alert's.
  body["commonLabels"].as_object().erase("severity");
  body.at("alerts").as_array()[0].as_object()["labels"].as_object()["severity"] = "warning";
  body.at("alerts").as_array()[1].as_object()["labels"].as_object()["severity"] = "critical";
  EXPECT_EQ(severity_of(parsed(text(body)), options()), 1);
  body.at("alerts").as_array()[1].as_object()["labels"].as_object()["severity"] = "info";
  EXPECT_EQ(severity_of(parsed(text(body)), options()), 3);

  auto other_label = options();
  other_label.severity_label = "priority";
  EXPECT_EQ(severity_of(parsed(sample("firing.json")), other_label), std::nullopt);
  EXPECT_EQ(severity_of(parsed(sample("firing.json")), MessageOptions{}), std::nullopt);
}

TEST(Message, TheTextStaysWithinTheGatewaysLimit) {
  auto body = sample_json("firing.json");
  auto& alerts = body.at("alerts").as_array();
  const boost::json::value first = alerts[0];
  alerts.clear();
  for (int i = 0; i < 1'000; ++i) {
    auto alert = first;
    alert.as_object()["annotations"].as_object()["description"] = std::string(2'000, 'd');
    alert.as_object()["fingerprint"] = "fp" + std::to_string(i);
    alerts.push_back(alert);
  }
  const std::string notification_text = text_of(parsed(text(body)));
  EXPECT_LE(notification_text.size(), kMaxTextBytes + 200);
  EXPECT_NE(notification_text.find("more alerts are not listed"), std::string::npos);
}

}  // namespace
}  // namespace alertmanager
