#include "core/intake/severity_classifier.hpp"

#include "core/intake/text_match.hpp"

namespace supportgw::intake {
namespace {

// Keywords are looked for in the subject and the start of the text: what makes a
// contact urgent is said early, and a megabyte of log must not be scanned per keyword.
constexpr std::size_t kKeywordTextWindow = 20'000;

SeverityChoice chosen(const policy::Policy& policy, int level, const std::string& why) {
  return SeverityChoice{level, "severity " + std::to_string(level) + " (" +
                                   policy.severity(level).name + "): " + why};
}

}  // namespace

SeverityChoice classify_severity(const policy::Policy& policy, const sdk::InboundMessage& message) {
  const int levels = static_cast<int>(policy.severities.size());
  std::string refused;
  if (message.requested_severity) {
    const int requested = *message.requested_severity;
    if (requested >= 1 && requested <= levels) {
      return chosen(policy, requested, "requested by the sender");
    }
    refused = "requested severity " + std::to_string(requested) + " is not a level 1.." +
              std::to_string(levels) + "; ";
  }
  // Severities are in level order, so the first hit is the most severe.
  for (const policy::Severity& severity : policy.severities) {
    for (const policy::ChannelRoute& route : severity.routes) {
      if (route.channel == message.channel &&
          (route.route.empty() || route.route == message.route)) {
        const std::string name =
            route.route.empty() ? route.channel : route.channel + ":" + route.route;
        return chosen(policy, severity.level, refused + "route " + name);
      }
    }
  }
  // What the channel itself knows of the urgency: an emergency line, or its own
  // classification (a monitoring system's severity label mapped by its settings).
  if (const auto emergency = message.hints.find("emergency-line");
      emergency != message.hints.end() && emergency->second == "true") {
    return chosen(policy, 1, refused + "channel hint: emergency line");
  }
  if (const auto hinted = message.hints.find("severity"); hinted != message.hints.end()) {
    const std::string& text = hinted->second;
    if (text.size() <= 3 && !text.empty() &&
        text.find_first_not_of("0123456789") == std::string::npos) {
      const int level = std::stoi(text);
      if (level >= 1 && level <= levels) {
        return chosen(policy, level, refused + "channel hint: severity " + text);
      }
    }
    refused += "channel hint severity \"" + text.substr(0, 20) + "\" is not a level; ";
  }
  const std::string subject = ascii_lower(message.subject);
  const std::string text =
      ascii_lower(std::string_view(message.text).substr(0, kKeywordTextWindow));
  for (const policy::Severity& severity : policy.severities) {
    for (const std::string& keyword : severity.keywords) {
      const std::string lower = ascii_lower(keyword);
      if (contains_word(subject, lower) || contains_word(text, lower)) {
        return chosen(policy, severity.level, refused + "keyword \"" + keyword + "\"");
      }
    }
  }
  return chosen(policy, policy.intake.default_severity, refused + "policy default");
}

}  // namespace supportgw::intake
