#include "alertmanager_message.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <vector>

#include "sha256.hpp"

namespace alertmanager {
namespace {

// What Alertmanager's templates show for an end time it does not know.
constexpr std::string_view kZeroTime = "0001-01-01T00:00:00Z";

// Label values in the order of Alertmanager's KV.SortedPairs: "alertname" first, the
// rest by name.
std::vector<std::string> sorted_values(const LabelSet& labels) {
  std::vector<std::string> values;
  values.reserve(labels.size());
  if (const auto name = labels.find("alertname"); name != labels.end()) {
    values.push_back(name->second);
  }
  for (const auto& [key, value] : labels) {
    if (key != "alertname") {
      values.push_back(value);
    }
  }
  return values;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (const std::string& part : parts) {
    if (!joined.empty()) {
      joined += separator;
    }
    joined += part;
  }
  return joined;
}

// Cuts at most `max` bytes without splitting a UTF-8 sequence.
std::string utf8_prefix(std::string text, std::size_t max) {
  if (text.size() <= max) {
    return text;
  }
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  text.resize(end);
  return text;
}

// A subject is one line: control characters (a newline in a label value) become spaces.
std::string one_line(std::string_view text) {
  std::string line;
  line.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool control = byte < 0x20 || byte == 0x7f;
    if (control && (line.empty() || line.back() == ' ')) {
      continue;
    }
    line.push_back(control ? ' ' : c);
  }
  while (!line.empty() && line.back() == ' ') {
    line.pop_back();
  }
  return line;
}

std::string upper(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return result;
}

std::string label_list(const LabelSet& labels) {
  std::string list;
  for (const auto& [name, value] : labels) {
    if (!list.empty()) {
      list += ' ';
    }
    list += name + "=\"" + value + "\"";
  }
  return list;
}

// Annotations with the ones people read first (summary, description) first.
void append_annotations(std::string& text, const LabelSet& annotations, std::string_view indent) {
  for (const char* first : {"summary", "description"}) {
    if (const auto found = annotations.find(first); found != annotations.end()) {
      text += std::string(indent) + found->first + ": " + found->second + "\n";
    }
  }
  for (const auto& [name, value] : annotations) {
    if (name != "summary" && name != "description") {
      text += std::string(indent) + name + ": " + value + "\n";
    }
  }
}

std::string alert_section(const Alert& alert, std::size_t number, std::size_t count) {
  std::string text = "Alert " + std::to_string(number) + " of " + std::to_string(count) + ": " +
                     upper(alert.status) + "\n";
  text += "  labels: " + label_list(alert.labels) + "\n";
  append_annotations(text, alert.annotations, "  ");
  text += "  started: " + alert.starts_at + "\n";
  if (alert.resolved() && !alert.ends_at.empty() && alert.ends_at != kZeroTime) {
    text += "  ended: " + alert.ends_at + "\n";
  }
  if (!alert.generator_url.empty()) {
    text += "  source: " + alert.generator_url + "\n";
  }
  if (!alert.fingerprint.empty()) {
    text += "  fingerprint: " + alert.fingerprint + "\n";
  }
  return text;
}

// An alert's identity: Alertmanager's fingerprint, or a hash of its labels when an old
// sender left the fingerprint out.
std::string identity_of(const Alert& alert) {
  if (!alert.fingerprint.empty()) {
    return alert.fingerprint;
  }
  FieldHash hash;
  for (const auto& [name, value] : alert.labels) {
    hash.add(name).add(value);
  }
  return "labels:" + hash.hex();
}

}  // namespace

std::string origin_id_of(const Notification& notification) {
  // Sorted, so that the same alerts listed in another order are the same contact.
  std::vector<std::array<std::string, 4>> alerts;
  alerts.reserve(notification.alerts.size());
  for (const Alert& alert : notification.alerts) {
    // A firing alert's endsAt is Prometheus's "valid until", pushed forward at every
    // evaluation; it says nothing about the group, and hashing it would turn each repeat
    // notification of an unchanged group into a follow-up. Once resolved it is the end.
    alerts.push_back({identity_of(alert), alert.status, alert.starts_at,
                      alert.resolved() ? alert.ends_at : std::string()});
  }
  std::sort(alerts.begin(), alerts.end());
  FieldHash hash;
  hash.add("alertmanager-notification-1")
      .add(notification.group_key)
      .add(notification.status)
      .add(std::to_string(notification.truncated_alerts))
      .add(std::to_string(alerts.size()));
  for (const auto& fields : alerts) {
    for (const std::string& field : fields) {
      hash.add(field);
    }
  }
  return "alertmanager:" + hash.hex();
}

std::string group_thread_id(const Notification& notification) {
  return "alertmanager-group:" + sha256_hex(notification.group_key);
}

std::string subject_of(const Notification& notification) {
  // Alertmanager's default title template ("__subject" in default.tmpl), without the
  // double space it leaves when there are no group labels.
  std::string subject = "[" + upper(notification.status);
  if (!notification.resolved()) {
    subject += ":" + std::to_string(notification.firing_count());
  }
  subject += "]";
  if (!notification.group_labels.empty()) {
    subject += " " + join(sorted_values(notification.group_labels), " ");
  }
  if (notification.common_labels.size() > notification.group_labels.size()) {
    LabelSet rest = notification.common_labels;
    for (const auto& [name, value] : notification.group_labels) {
      rest.erase(name);
    }
    subject += " (" + join(sorted_values(rest), " ") + ")";
  }
  return utf8_prefix(one_line(subject), kMaxSubjectBytes);
}

std::string text_of(const Notification& notification) {
  const std::size_t count = notification.alerts.size();
  std::string text = "Alertmanager notification: " + upper(notification.status) + ", " +
                     std::to_string(notification.firing_count()) + " firing, " +
                     std::to_string(count - notification.firing_count()) + " resolved" +
                     " (receiver \"" + notification.receiver + "\")\n";
  text += "group: " + notification.group_key + "\n";
  if (!notification.group_labels.empty()) {
    text += "group labels: " + label_list(notification.group_labels) + "\n";
  }
  if (!notification.common_labels.empty()) {
    text += "common labels: " + label_list(notification.common_labels) + "\n";
  }
  append_annotations(text, notification.common_annotations, "");
  if (!notification.external_url.empty()) {
    text += "Alertmanager: " + notification.external_url + "\n";
  }
  if (notification.truncated_alerts > 0) {
    text += std::to_string(notification.truncated_alerts) +
            " more alerts were left out by Alertmanager (the receiver's max_alerts)\n";
  }
  for (std::size_t i = 0; i < count; ++i) {
    std::string section = "\n" + alert_section(notification.alerts[i], i + 1, count);
    if (text.size() + section.size() > kMaxTextBytes) {
      text += "\n" + std::to_string(count - i) + " more alerts are not listed: the text is at " +
              "its limit\n";
      break;
    }
    text += section;
  }
  return text;
}

std::optional<int> severity_of(const Notification& notification, const MessageOptions& options) {
  const auto level_of = [&](const LabelSet& labels) -> std::optional<int> {
    const auto value = labels.find(options.severity_label);
    if (value == labels.end()) {
      return std::nullopt;
    }
    const auto level = options.severities.find(value->second);
    return level == options.severities.end() ? std::nullopt : std::optional<int>(level->second);
  };
  if (auto common = level_of(notification.common_labels)) {
    return common;
  }
  std::optional<int> most_severe;
  for (const Alert& alert : notification.alerts) {
    if (const auto level = level_of(alert.labels);
        level && (!most_severe || *level < *most_severe)) {
      most_severe = level;
    }
  }
  return most_severe;
}

supportgw::sdk::InboundMessage to_inbound_message(const Notification& notification,
                                                  const MessageOptions& options,
                                                  std::chrono::system_clock::time_point now) {
  supportgw::sdk::InboundMessage message;
  message.channel = options.channel;
  message.origin_id = origin_id_of(notification);
  message.thread_ids = {group_thread_id(notification)};
  message.sender.name = "Alertmanager";
  message.route = notification.receiver;
  message.subject = subject_of(notification);
  message.text = text_of(notification);
  message.requested_severity = severity_of(notification, options);
  message.hints["source"] = "alertmanager";
  if (!options.notify.empty()) {
    message.fields["customer_email"] = options.notify;
  }
  message.marks_solved = notification.resolved();
  message.received_at = now;
  return message;
}

}  // namespace alertmanager
