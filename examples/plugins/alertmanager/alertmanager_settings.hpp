#pragma once
// The channel's [channel.settings], read once in start():
//
//   listen         = "127.0.0.1:0"      where the HTTP server listens (port 0: any free)
//   path           = "/alertmanager"    the only path that takes notifications
//   bearer_token   = "..."              optional; when set, every POST must carry
//                                       "Authorization: Bearer <token>"
//   severity_label = "severity"         the label whose value picks the severity
//   max_body       = "1MiB"             larger bodies are refused with 413
//   notify         = "ops@example.com"  optional; the tickets' customer e-mail, so the
//                                       gateway's acknowledgements go somewhere
//   [channel.settings.severities]       label value -> the policy's level; none by default
//   critical = 1
//   warning = 3
//
// Unknown keys are refused, so a misspelt setting is an error at start.

#include <cstdint>
#include <map>
#include <string>

#include <supportgw/sdk/settings.hpp>

namespace alertmanager {

struct ChannelSettings {
  std::string listen = "127.0.0.1:0";
  std::string path = "/alertmanager";
  std::string bearer_token;  // empty: no authorization required
  std::string severity_label = "severity";
  std::map<std::string, int> severities;
  std::uint64_t max_body = 1024 * 1024;
  std::string notify;
};

// Throws sdk::SettingsError naming the file, line and setting at fault.
ChannelSettings read_settings(const supportgw::sdk::Settings& settings);

}  // namespace alertmanager
