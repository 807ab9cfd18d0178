#pragma once
// Alertmanager's webhook notification (webhook_config, payload version "4"), parsed and
// checked before anything else looks at it. The format, as Alertmanager documents it:
//
//   { "version": "4", "groupKey": "...", "truncatedAlerts": 0, "status": "firing",
//     "receiver": "...", "groupLabels": {...}, "commonLabels": {...},
//     "commonAnnotations": {...}, "externalURL": "...",
//     "alerts": [ { "status": "firing", "labels": {...}, "annotations": {...},
//                   "startsAt": "<rfc3339>", "endsAt": "<rfc3339>",
//                   "generatorURL": "...", "fingerprint": "..." }, ... ] }
//
// The body comes from the network: every count and length has a limit, and a body that
// breaks one is refused as a whole with a message that says where (a 400 for
// Alertmanager, which does not retry a 4xx).

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <supportgw/sdk/status.hpp>

namespace alertmanager {

// Label and annotation sets, sorted by name (as Alertmanager's templates sort them).
using LabelSet = std::map<std::string, std::string>;

struct Alert {
  std::string status;  // "firing" or "resolved"
  LabelSet labels;
  LabelSet annotations;
  std::string starts_at;  // RFC 3339, as sent
  std::string ends_at;    // RFC 3339; "0001-01-01T00:00:00Z" when unknown
  std::string generator_url;
  // Alertmanager's id of the alert (a hash of its labels); empty when an old sender
  // left it out.
  std::string fingerprint;

  bool resolved() const { return status == "resolved"; }
};

struct Notification {
  std::string version;    // always "4"
  std::string group_key;  // identifies the alert group for the receiver; never empty
  std::string status;     // "firing" or "resolved"
  std::string receiver;
  LabelSet group_labels;
  LabelSet common_labels;
  LabelSet common_annotations;
  std::string external_url;
  std::vector<Alert> alerts;  // never empty
  // Alerts Alertmanager left out because of the receiver's max_alerts.
  std::uint64_t truncated_alerts = 0;

  bool resolved() const { return status == "resolved"; }
  std::size_t firing_count() const;
};

// Every limit is on purpose; the defaults are far above what Alertmanager sends for
// real groups and far below what would hurt the gateway.
struct PayloadLimits {
  std::size_t max_alerts = 1'000;
  std::size_t max_labels = 128;  // per label or annotation set
  std::size_t max_label_name_bytes = 256;
  std::size_t max_label_value_bytes = 4 * 1024;
  std::size_t max_annotation_value_bytes = 64 * 1024;
  std::size_t max_group_key_bytes = 16 * 1024;
  std::size_t max_receiver_bytes = 256;
  std::size_t max_url_bytes = 8 * 1024;
  std::size_t max_short_string_bytes = 128;  // status, times, fingerprints, version
  std::size_t max_depth = 16;                // JSON nesting
};

// Parses and checks one notification. Errors: invalid_argument, with a message naming
// the member at fault ("alerts[3].labels: expected an object of strings"). Never throws.
supportgw::sdk::Result<Notification> parse_notification(std::string_view body,
                                                        const PayloadLimits& limits = {});

}  // namespace alertmanager
