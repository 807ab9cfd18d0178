#include "core/daemon/logging.hpp"

#include <spdlog/details/log_msg.h>
#include <spdlog/formatter.h>
#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <chrono>
#include <cstdio>

#include "core/util/error.hpp"
#include "core/util/time.hpp"

namespace supportgw::daemon {

namespace {

std::string timestamp_of(const spdlog::details::log_msg& message) {
  return format_utc(std::chrono::time_point_cast<std::chrono::milliseconds>(message.time));
}

// One JSON object a line; every string escaped, so a message with quotes or newlines
// (a customer's subject) cannot break the stream.
class JsonLineFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& dest) override {
    std::string line = "{\"time\":\"" + timestamp_of(message) + "\",\"level\":\"";
    const auto level = spdlog::level::to_string_view(message.level);
    line.append(level.data(), level.size());
    line += "\",\"logger\":\"";
    line += json_escape(std::string_view(message.logger_name.data(), message.logger_name.size()));
    line += "\",\"message\":\"";
    line += json_escape(std::string_view(message.payload.data(), message.payload.size()));
    line += "\"}\n";
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonLineFormatter>();
  }
};

class TextFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& dest) override {
    const auto level = spdlog::level::to_string_view(message.level);
    std::string line = timestamp_of(message) + " ";
    line.append(level.data(), level.size());
    line.append(level.size() < 5 ? 5 - level.size() : 0, ' ');
    line += " [";
    line.append(message.logger_name.data(), message.logger_name.size());
    line += "] ";
    line.append(message.payload.data(), message.payload.size());
    line += '\n';
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<TextFormatter>();
  }
};

}  // namespace

std::string json_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned char>(c));
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  return out;
}

Logging::Logging(std::string_view format, std::string_view level) {
  const auto parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") {
    throw InvalidArgument("log level '" + std::string(level) +
                          "': expected trace, debug, info, warn or error");
  }
  level_ = static_cast<int>(parsed);
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  if (format == "json") {
    sink->set_formatter(std::make_unique<JsonLineFormatter>());
  } else if (format == "text") {
    sink->set_formatter(std::make_unique<TextFormatter>());
  } else {
    throw InvalidArgument("log format '" + std::string(format) + "': expected text or json");
  }
  sink_ = std::move(sink);
}

std::shared_ptr<spdlog::logger> Logging::make(const std::string& name) const {
  auto logger = std::make_shared<spdlog::logger>(name, sink_);
  logger->set_level(static_cast<spdlog::level::level_enum>(level_));
  logger->flush_on(spdlog::level::info);
  return logger;
}

}  // namespace supportgw::daemon
