#include "alertmanager_settings.hpp"

#include <algorithm>

namespace alertmanager {
namespace {

using supportgw::sdk::Settings;

// Far above any real notification; a bigger limit would only let one request hold that
// much memory, since the body is parsed whole.
constexpr std::uint64_t kMaxBodyLimit = 64ULL * 1024 * 1024;
// Levels are the policy's; the channel only keeps them in a sane range. Intake refuses
// (and logs) a level the policy does not have.
constexpr std::int64_t kMaxLevel = 100;

bool printable_without_spaces(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte > 0x20 && byte != 0x7f;
  });
}

}  // namespace

ChannelSettings read_settings(const Settings& settings) {
  settings.refuse_unknown(
      {"listen", "path", "bearer_token", "severity_label", "severities", "max_body", "notify"});
  ChannelSettings result;
  result.listen = settings.string_or("listen", result.listen);
  result.path = settings.string_or("path", result.path);
  if (result.path.empty() || result.path.front() != '/' || !printable_without_spaces(result.path)) {
    throw settings.error("path", "expected a path starting with '/', such as \"/alertmanager\"");
  }
  if (settings.has("bearer_token")) {
    result.bearer_token = settings.string("bearer_token");
    if (result.bearer_token.empty() || !printable_without_spaces(result.bearer_token)) {
      throw settings.error("bearer_token",
                           "expected a token of printable characters without spaces; leave the "
                           "setting out to accept notifications without one");
    }
  }
  result.severity_label = settings.string_or("severity_label", result.severity_label);
  if (result.severity_label.empty()) {
    throw settings.error("severity_label", "expected a label name, such as \"severity\"");
  }
  result.max_body = settings.size_or("max_body", result.max_body);
  if (result.max_body == 0 || result.max_body > kMaxBodyLimit) {
    throw settings.error("max_body", "expected a size from 1 byte to 64MiB");
  }
  result.notify = settings.string_or("notify", "");
  if (settings.has("notify")) {
    const auto at = result.notify.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == result.notify.size() ||
        result.notify.size() > 254 || !printable_without_spaces(result.notify)) {
      throw settings.error("notify", "expected an e-mail address, such as \"ops@example.com\"");
    }
  }
  if (settings.has("severities")) {
    const Settings table = settings.table("severities");
    for (const std::string& value : table.keys()) {
      const std::int64_t level = table.integer(value);
      if (level < 1 || level > kMaxLevel) {
        throw table.error(value, "expected a severity level of 1 or more (1 is the most severe)");
      }
      result.severities[value] = static_cast<int>(level);
    }
  }
  return result;
}

}  // namespace alertmanager
