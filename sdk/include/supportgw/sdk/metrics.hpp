#pragma once
// Since SDK 1.2. The gateway's state as numbers for monitoring: what
// ChannelContext::gateway_metrics() returns and a channel with an HTTP listener exposes
// (the web channel serves them at /metrics in the Prometheus text format). The host
// decides which metrics exist; a channel only renders them, so new metrics need no new
// SDK.

#include <string>
#include <utility>
#include <vector>

namespace supportgw::sdk {

struct MetricSample {
  std::string name;  // "supportgw_tickets": [a-zA-Z_:][a-zA-Z0-9_:]*
  std::string help;  // one line, the same for every sample of a name
  std::string type;  // "gauge" or "counter" (then the name ends in _total)
  std::vector<std::pair<std::string, std::string>> labels;  // name, value
  double value = 0;
};

}  // namespace supportgw::sdk
