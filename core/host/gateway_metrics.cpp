#include "core/host/gateway_metrics.hpp"

namespace supportgw::host {
namespace {

void add_rows(std::vector<sdk::MetricSample>& samples, const std::vector<GatewayCounts::Row>& rows,
              const char* name, const char* help, const char* type, const char* first_label,
              const char* second_label) {
  for (const auto& row : rows) {
    sdk::MetricSample sample{name, help, type, {{first_label, row.first}}, 0};
    if (second_label != nullptr) {
      sample.labels.emplace_back(second_label, row.second);
    }
    sample.value = static_cast<double>(row.count);
    samples.push_back(std::move(sample));
  }
}

}  // namespace

std::vector<sdk::MetricSample> metric_samples(const GatewayCounts& counts) {
  std::vector<sdk::MetricSample> samples;
  add_rows(samples, counts.tickets, "supportgw_tickets", "Tickets by status and severity.", "gauge",
           "status", "severity");
  add_rows(samples, counts.intake, "supportgw_intake_total",
           "Contacts taken in, by channel and what intake made of them.", "counter", "channel",
           "outcome");
  std::vector<GatewayCounts::Row> fired;
  for (const auto& row : counts.actions) {
    if (row.second == "fired") {
      fired.push_back(row);
    }
  }
  add_rows(samples, fired, "supportgw_escalations_fired_total",
           "Escalation actions fired (SLA breaches, ladder steps, re-pages), by kind.", "counter",
           "kind", nullptr);
  add_rows(samples, counts.actions, "supportgw_escalation_actions",
           "Scheduled escalation actions by kind and status (pending, fired, skipped, cancelled).",
           "gauge", "kind", "status");
  add_rows(samples, counts.outbox, "supportgw_outbox_messages",
           "Outgoing messages (mail, pages, webhooks) by status.", "gauge", "status", nullptr);
  std::int64_t backlog = 0;
  for (const auto& row : counts.outbox) {
    if (row.first == "pending") {
      backlog = row.count;
    }
  }
  // Always present, so an alert on it has a series even before the first message.
  samples.push_back(sdk::MetricSample{"supportgw_outbox_backlog",
                                      "Outgoing messages not delivered yet.",
                                      "gauge",
                                      {},
                                      static_cast<double>(backlog)});
  return samples;
}

}  // namespace supportgw::host
