#pragma once
// One Alertmanager notification as the gateway takes it in: one ticket per alert group.
//
//   origin_id   "alertmanager:" + SHA-256 of the group key, the status and each alert's
//               fingerprint, status, start (and end, once resolved). Alertmanager's
//               retries and its identical repeat notifications are the same contact
//               (intake answers "duplicate"); an alert joining, leaving or resolving is a
//               new one, a follow-up of the group's ticket.
//   thread_ids  { "alertmanager-group:" + SHA-256 of the group key }: every notification
//               of the group finds the ticket the first one opened.
//   subject     Alertmanager's default title: "[FIRING:2] HighLatency (api prod)".
//   marks_solved  status "resolved": the group's ticket is solved; when the group fires
//               again within the policy's reopen window, intake reopens it.

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include <supportgw/sdk/inbound_message.hpp>

#include "alertmanager_payload.hpp"

namespace alertmanager {

struct MessageOptions {
  std::string channel;                      // the channel instance's name
  std::string severity_label = "severity";  // the label whose value picks the severity
  std::map<std::string, int> severities;    // label value -> the policy's level
  std::string notify;                       // recorded as the customer's e-mail, if set
};

// The text is cut (with a note) before it reaches the gateway's limit on a message text.
inline constexpr std::size_t kMaxTextBytes = 900'000;
inline constexpr std::size_t kMaxSubjectBytes = 250;

std::string origin_id_of(const Notification& notification);
std::string group_thread_id(const Notification& notification);
std::string subject_of(const Notification& notification);
std::string text_of(const Notification& notification);
// The level for commonLabels[severity_label], or else the most severe level among the
// alerts' own values of that label; nullopt when no value is in the table.
std::optional<int> severity_of(const Notification& notification, const MessageOptions& options);

// Throws only what allocation and OpenSSL throw.
supportgw::sdk::InboundMessage to_inbound_message(const Notification& notification,
                                                  const MessageOptions& options,
                                                  std::chrono::system_clock::time_point now);

}  // namespace alertmanager
