#include "metrics.hpp"

#include <cmath>
#include <cstdint>
#include <map>
#include <sstream>

namespace web {
namespace {

using supportgw::sdk::MetricSample;

std::string escaped(const std::string& text, bool quotes) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string number(double value) {
  if (std::isnan(value)) {
    return "NaN";
  }
  if (std::isinf(value)) {
    return value > 0 ? "+Inf" : "-Inf";
  }
  constexpr double kExactInteger = 9007199254740992.0;  // 2^53
  if (value == std::floor(value) && std::fabs(value) < kExactInteger) {
    return std::to_string(static_cast<std::int64_t>(value));
  }
  std::ostringstream out;
  out.precision(17);
  out << value;
  return out.str();
}

}  // namespace

std::string prometheus_text(const std::vector<MetricSample>& samples) {
  // Group by name, keeping the order in which names first appear.
  std::vector<std::string> names;
  std::map<std::string, std::vector<const MetricSample*>> by_name;
  for (const MetricSample& sample : samples) {
    auto& group = by_name[sample.name];
    if (group.empty()) {
      names.push_back(sample.name);
    }
    group.push_back(&sample);
  }
  std::string text;
  for (const std::string& name : names) {
    const auto& group = by_name[name];
    text += "# HELP " + name + " " + escaped(group.front()->help, false) + "\n";
    text += "# TYPE " + name + " " + group.front()->type + "\n";
    for (const MetricSample* sample : group) {
      text += name;
      if (!sample->labels.empty()) {
        text += "{";
        for (std::size_t i = 0; i < sample->labels.size(); ++i) {
          text += (i == 0 ? "" : ",") + sample->labels[i].first + "=\"" +
                  escaped(sample->labels[i].second, true) + "\"";
        }
        text += "}";
      }
      text += " " + number(sample->value) + "\n";
    }
  }
  return text;
}

}  // namespace web
