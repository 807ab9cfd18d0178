#pragma once
// Which numbers the gateway exposes for monitoring (ChannelContext::gateway_metrics()),
// made from the store's grouped counts. Names and labels are documented in docs/api.md
// (/metrics); keep both in step.

#include <vector>

#include "core/store/store.hpp"
#include "supportgw/sdk/metrics.hpp"

namespace supportgw::host {

std::vector<sdk::MetricSample> metric_samples(const GatewayCounts& counts);

}  // namespace supportgw::host
