// Alertmanager notifications in, checked structs or clear refusals out.

#include <gtest/gtest.h>

#include "alertmanager_payload.hpp"
#include "test_payloads.hpp"

namespace alertmanager {
namespace {

using supportgw::sdk::StatusCode;
using testing::sample;
using testing::sample_json;
using testing::text;

// The refusal's message, or "" when the body was taken.
std::string refusal(const std::string& body, const PayloadLimits& limits = {}) {
  const auto parsed = parse_notification(body, limits);
  if (parsed.ok()) {
    return "";
  }
  EXPECT_EQ(parsed.status().code(), StatusCode::invalid_argument) << parsed.status().message();
  return parsed.status().message();
}

TEST(Payload, ParsesAFiringNotification) {
  const auto parsed = parse_notification(sample("firing.json"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  const Notification& notification = parsed.value();
  EXPECT_EQ(notification.version, "4");
  EXPECT_EQ(notification.status, "firing");
  EXPECT_EQ(notification.receiver, "supportgw");
  EXPECT_EQ(notification.group_key,
            "{}/{severity=~\"critical|warning\"}:{alertname=\"HighLatency\"}");
  EXPECT_EQ(notification.group_labels.at("alertname"), "HighLatency");
  EXPECT_EQ(notification.common_labels.at("severity"), "critical");
  EXPECT_EQ(notification.common_annotations.at("summary"), "API p99 latency above 2s");
  EXPECT_EQ(notification.external_url, "http://alertmanager.example.net:9093");
  ASSERT_EQ(notification.alerts.size(), 2U);
  EXPECT_EQ(notification.firing_count(), 2U);
  const Alert& second = notification.alerts[1];
  EXPECT_EQ(second.labels.at("instance"), "api-2.example.net:9090");
  EXPECT_EQ(second.fingerprint, "f31b0d6a7c95e204");
  EXPECT_EQ(second.starts_at, "2026-03-02T09:18:00.456Z");
  EXPECT_NE(second.generator_url.find("prometheus.example.net"), std::string::npos);
  EXPECT_FALSE(notification.resolved());
}

TEST(Payload, ParsesAResolvedNotification) {
  const auto parsed = parse_notification(sample("resolved.json"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_TRUE(parsed->resolved());
  EXPECT_EQ(parsed->firing_count(), 0U);
  EXPECT_EQ(parsed->alerts[0].ends_at, "2026-03-02T09:41:00.789Z");
}

TEST(Payload, TakesWhatOlderSendersLeaveOut) {
  auto body = sample_json("firing.json");
  body.erase("truncatedAlerts");
  body.erase("commonAnnotations");
  body.erase("externalURL");
  for (auto& alert : body.at("alerts").as_array()) {
    alert.as_object().erase("fingerprint");
    alert.as_object().erase("generatorURL");
    alert.as_object().erase("annotations");
  }
  const auto parsed = parse_notification(text(body));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_TRUE(parsed->alerts[0].fingerprint.empty());
  EXPECT_EQ(parsed->truncated_alerts, 0U);
}

TEST(Payload, RefusesWhatIsNotJson) {
  EXPECT_NE(refusal("{\"version\": \"4\", ").find("not JSON"), std::string::npos);
  EXPECT_NE(refusal("").find("not JSON"), std::string::npos);
  EXPECT_NE(refusal("[1, 2]").find("expected a JSON object, found an array"), std::string::npos);
  EXPECT_NE(refusal("{\"a\": \"\xff\"}").find("not JSON"), std::string::npos);
}

TEST(Payload, RefusesAnotherVersion) {
  auto body = sample_json("firing.json");
  body["version"] = "3";
  EXPECT_NE(refusal(text(body)).find("version: expected \"4\""), std::string::npos);
  body["version"] = 4;
  EXPECT_NE(refusal(text(body)).find("version: expected a string, found an integer"),
            std::string::npos);
}

TEST(Payload, RefusesAMissingOrEmptyGroupKey) {
  auto body = sample_json("firing.json");
  body.erase("groupKey");
  EXPECT_NE(refusal(text(body)).find("groupKey: missing"), std::string::npos);
  body["groupKey"] = "";
  EXPECT_NE(refusal(text(body)).find("groupKey: empty"), std::string::npos);
}

TEST(Payload, RefusesWrongTypesAndNamesTheMember) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"status", "status: expected \"firing\" or \"resolved\", found \"pending\""},
      {"labels", "alerts[1].labels: expected an object of strings, found an array"},
      {"label", "alerts[1].labels.instance: expected a string, found an integer"},
      {"alerts", "alerts: expected an array, found an object"},
      {"empty", "alerts: empty"},
      {"startsAt", "alerts[0].startsAt: missing"},
      {"truncated", "truncatedAlerts: expected a count of 0 or more, found an integer"},
      {"alert", "alerts[0]: expected an object, found a string"},
      {"nolabels", "alerts[0].labels: an alert needs at least one label"},
  };
  for (const auto& [change, expected] : cases) {
    auto body = sample_json("firing.json");
    auto& alerts = body.at("alerts").as_array();
    if (change == "status") body["status"] = "pending";
    if (change == "labels") alerts[1].as_object()["labels"] = boost::json::array{"a"};
    if (change == "label") alerts[1].as_object()["labels"].as_object()["instance"] = 7;
    if (change == "alerts") body["alerts"] = boost::json::object{};
    if (change == "empty") body["alerts"] = boost::json::array{};
    if (change == "startsAt") alerts[0].as_object().erase("startsAt");
    if (change == "truncated") body["truncatedAlerts"] = -1;
    if (change == "alert") alerts[0] = "HighLatency";
    if (change == "nolabels") alerts[0].as_object()["labels"] = boost::json::object{};
    EXPECT_NE(refusal(text(body)).find(expected), std::string::npos)
        << change << ": " << refusal(text(body));
  }
}

TEST(Payload, EnforcesItsLimits) {
  PayloadLimits limits;
  limits.max_alerts = 1;
  EXPECT_NE(refusal(sample("firing.json"), limits).find("alerts: 2 alerts; the limit is 1"),
            std::string::npos);

  limits = {};
  limits.max_labels = 3;
  EXPECT_NE(refusal(sample("firing.json"), limits).find("commonLabels: 4 entries; the limit is 3"),
            std::string::npos);

  limits = {};
  auto body = sample_json("firing.json");
  body.at("alerts").as_array()[0].as_object()["labels"].as_object()["huge"] =
      std::string(limits.max_label_value_bytes + 1, 'x');
  EXPECT_NE(refusal(text(body)).find("alerts[0].labels.huge: 4097 bytes long"), std::string::npos);

  body = sample_json("firing.json");
  body["groupKey"] = std::string(limits.max_group_key_bytes + 1, 'k');
  EXPECT_NE(refusal(text(body)).find("groupKey: 16385 bytes long"), std::string::npos);

  // Deep nesting is refused by the parser before any member is read.
  EXPECT_NE(refusal(std::string(100, '[') + std::string(100, ']')).find("not JSON"),
            std::string::npos);
}

TEST(Payload, TakesTheDocumentedMaximumOfAlerts) {
  auto body = sample_json("firing.json");
  auto& alerts = body.at("alerts").as_array();
  const boost::json::value first = alerts[0];
  alerts.clear();
  for (int i = 0; i < 1'000; ++i) {
    auto alert = first;
    alert.as_object()["fingerprint"] = "fp" + std::to_string(i);
    alerts.push_back(alert);
  }
  const auto parsed = parse_notification(text(body));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->alerts.size(), 1'000U);
  alerts.push_back(first);
  EXPECT_NE(refusal(text(body)).find("1001 alerts; the limit is 1000"), std::string::npos);
}

}  // namespace
}  // namespace alertmanager
