// The Prometheus text format of the web channel's /metrics, on samples with hostile label
// values.
#include <gtest/gtest.h>

#include <limits>

#include "metrics.hpp"

namespace web {
namespace {

using supportgw::sdk::MetricSample;

TEST(PrometheusText, GroupsByNameWithOneHelpAndTypeEach) {
  const std::vector<MetricSample> samples = {
      {"supportgw_tickets", "Tickets by status.", "gauge", {{"status", "new"}}, 3},
      {"supportgw_outbox_backlog", "Not delivered yet.", "gauge", {}, 0},
      {"supportgw_tickets", "Tickets by status.", "gauge", {{"status", "open"}}, 12}};
  EXPECT_EQ(prometheus_text(samples),
            "# HELP supportgw_tickets Tickets by status.\n"
            "# TYPE supportgw_tickets gauge\n"
            "supportgw_tickets{status=\"new\"} 3\n"
            "supportgw_tickets{status=\"open\"} 12\n"
            "# HELP supportgw_outbox_backlog Not delivered yet.\n"
            "# TYPE supportgw_outbox_backlog gauge\n"
            "supportgw_outbox_backlog 0\n");
}

TEST(PrometheusText, EscapesLabelValuesAndHelp) {
  // A channel name comes from gateway.toml, an outcome from the store: escape them all.
  const std::vector<MetricSample> samples = {{"supportgw_intake_total",
                                              "Line one\\two\nthree",
                                              "counter",
                                              {{"channel", "we\"b\\x\ny"}, {"outcome", "created"}},
                                              1e15}};
  EXPECT_EQ(prometheus_text(samples),
            "# HELP supportgw_intake_total Line one\\\\two\\nthree\n"
            "# TYPE supportgw_intake_total counter\n"
            "supportgw_intake_total{channel=\"we\\\"b\\\\x\\ny\",outcome=\"created\"} "
            "1000000000000000\n");
}

TEST(PrometheusText, NonIntegralAndSpecialValues) {
  const std::vector<MetricSample> samples = {
      {"a", "h", "gauge", {{"k", "1"}}, 0.25},
      {"a", "h", "gauge", {{"k", "2"}}, std::numeric_limits<double>::infinity()},
      {"a", "h", "gauge", {{"k", "3"}}, -std::numeric_limits<double>::infinity()}};
  EXPECT_EQ(prometheus_text(samples),
            "# HELP a h\n# TYPE a gauge\na{k=\"1\"} 0.25\na{k=\"2\"} +Inf\na{k=\"3\"} -Inf\n");
}

}  // namespace
}  // namespace web
