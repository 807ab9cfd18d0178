#pragma once
// The daemon's logs: one sink on stderr shared by every logger ("daemon", "host",
// "channel.web", ...), as readable text or as JSON lines for a log collector:
//   2026-11-22T05:12:03.114Z info  [channel.web] listening on http 127.0.0.1:8080
//   {"time":"2026-11-22T05:12:03.114Z","level":"info","logger":"channel.web","message":"..."}

#include <memory>
#include <string>
#include <string_view>

namespace spdlog {
class logger;
namespace sinks {
class sink;
}
}  // namespace spdlog

namespace supportgw::daemon {

class Logging {
 public:
  // Throws InvalidArgument for a format other than "text"/"json" or an unknown level.
  Logging(std::string_view format, std::string_view level);

  std::shared_ptr<spdlog::logger> make(const std::string& name) const;

 private:
  std::shared_ptr<spdlog::sinks::sink> sink_;
  int level_;
};

// Escapes `text` for a JSON string body (no quotes added).
std::string json_escape(std::string_view text);

}  // namespace supportgw::daemon
