#pragma once
// The gateway's metrics (ChannelContext::gateway_metrics()) in the Prometheus text
// exposition format 0.0.4, served at GET /metrics.

#include <string>
#include <vector>

#include <supportgw/sdk/metrics.hpp>

namespace web {

inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

// One # HELP and # TYPE per name (at its first sample; samples of a name are grouped),
// label values escaped (\\, \", \n), integral values without a fraction.
std::string prometheus_text(const std::vector<supportgw::sdk::MetricSample>& samples);

}  // namespace web
