// The Alertmanager channel: Alertmanager's webhook_config posts its notifications here,
// and each alert group becomes one ticket, followed up as the group changes and solved
// when it resolves (alertmanager_message.hpp says how).
//
//   POST <path>    a notification -> 200 {"reference": "...", "outcome": "created"} once
//                  the gateway has it on disk; 400 a malformed one (Alertmanager does
//                  not retry a 4xx); 401 without the bearer token; 413 over max_body;
//                  503 while the gateway cannot take it (Alertmanager retries a 5xx).
//   GET  /healthz  200 "ok"

#include <supportgw/sdk/http_server.hpp>
#include <supportgw/sdk/io_pool.hpp>
#include <supportgw/sdk/plugin.hpp>

#include <atomic>
#include <cctype>
#include <chrono>
#include <exception>
#include <memory>
#include <string>
#include <utility>

#include <spdlog/logger.h>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "alertmanager_message.hpp"
#include "alertmanager_payload.hpp"
#include "alertmanager_settings.hpp"
#include "sha256.hpp"

namespace alertmanager {
namespace {

using supportgw::sdk::Channel;
using supportgw::sdk::ChannelContext;
using supportgw::sdk::HttpRequest;
using supportgw::sdk::HttpResponse;
using supportgw::sdk::HttpServer;
using supportgw::sdk::HttpServerOptions;
using supportgw::sdk::IntakeResult;
using supportgw::sdk::IoPool;
using supportgw::sdk::Result;
using supportgw::sdk::Status;
using supportgw::sdk::StatusCode;

const char* outcome_name(IntakeResult::Outcome outcome) {
  switch (outcome) {
    case IntakeResult::Outcome::created:
      return "created";
    case IntakeResult::Outcome::updated:
      return "updated";
    case IntakeResult::Outcome::reopened:
      return "reopened";
    case IntakeResult::Outcome::duplicate:
      return "duplicate";
  }
  return "unknown";
}

HttpResponse json_error(int status, const std::string& message) {
  boost::json::object body;
  body["error"] = message;
  return HttpResponse::json(status, boost::json::serialize(body) + "\n");
}

// The server's Reply must be called exactly once; the paths to it here are several (the
// handler, the submit completion, the catch blocks), so the first call wins.
class ReplyOnce {
 public:
  explicit ReplyOnce(HttpServer::Reply reply) : state_(std::make_shared<State>(std::move(reply))) {}
  void operator()(HttpResponse response) const {
    if (!state_->replied.exchange(true)) {
      state_->reply(std::move(response));
    }
  }

 private:
  struct State {
    explicit State(HttpServer::Reply r) : reply(std::move(r)) {}
    HttpServer::Reply reply;
    std::atomic<bool> replied{false};
  };
  std::shared_ptr<State> state_;
};

// Answers Alertmanager once the gateway has the notification (or refused it).
void answer(const std::shared_ptr<spdlog::logger>& logger, const ReplyOnce& reply,
            const std::string& summary, const Result<IntakeResult>& result) {
  if (!result.ok()) {
    const Status& status = result.status();
    if (logger) {
      logger->warn("the gateway did not take {}: {}: {}", summary,
                   supportgw::sdk::to_string(status.code()), status.message());
    }
    switch (status.code()) {
      case StatusCode::invalid_argument:
        reply(json_error(400, status.message()));
        return;
      case StatusCode::unavailable: {
        HttpResponse response = json_error(503, status.message());
        response.headers.emplace_back("Retry-After", "30");
        reply(std::move(response));
        return;
      }
      default:
        reply(json_error(500, status.message()));
        return;
    }
  }
  const IntakeResult& intake = result.value();
  if (logger) {
    logger->info("{}: {} {}", summary, outcome_name(intake.outcome), intake.reference);
  }
  boost::json::object body;
  body["reference"] = intake.reference;
  body["outcome"] = outcome_name(intake.outcome);
  reply(HttpResponse::json(200, boost::json::serialize(body) + "\n"));
}

void internal_error(const std::shared_ptr<spdlog::logger>& logger, const ReplyOnce& reply,
                    const std::string& what) noexcept {
  try {
    if (logger) {
      logger->error("a notification failed: {}", what);
    }
    reply(json_error(500, "internal error"));
  } catch (...) {
    // Logging or replying failed (out of memory): nothing is left to try.
  }
}

class AlertmanagerChannel final : public Channel {
 public:
  Status start(ChannelContext& context) override {
    return supportgw::sdk::guard("start", [&]() -> Status {
      settings_ = read_settings(context.settings());
      context_ = &context;
      logger_ = context.logger();
      message_options_.channel = context.channel_name();
      message_options_.severity_label = settings_.severity_label;
      message_options_.severities = settings_.severities;
      message_options_.notify = settings_.notify;

      HttpServerOptions options;
      options.listen = settings_.listen;
      options.max_body_bytes = settings_.max_body;
      // Set on purpose rather than inherited: a notification is sent whole at once, so a
      // body still arriving after this long is a stuck or hostile client.
      options.read_timeout = std::chrono::seconds(30);
      options.server_name = "supportgw-alertmanager";
      // The channel's own threads: Asio's per-library state means the plugin's sockets
      // must be run by the plugin's copy of io_context::run() (io_pool.hpp).
      pool_ = std::make_unique<IoPool>(context.suggested_threads());
      auto server = HttpServer::start(
          pool_->executor(), options,
          [this](HttpRequest&& request, HttpServer::Reply reply) {
            handle(std::move(request), ReplyOnce(std::move(reply)));
          },
          logger_);
      if (!server.ok()) {
        return server.status();
      }
      server_ = std::move(server.value());
      if (logger_) {
        logger_->info("taking Alertmanager notifications at http://{}{}{}",
                      server_->local_address(), settings_.path,
                      settings_.bearer_token.empty() ? " (no bearer token required)" : "");
      }
      return Status();
    });
  }

  // Also called after a failed start().
  void stop() override {
    if (server_) {
      server_->stop();
    }
    if (pool_) {
      pool_->stop();
    }
  }

  std::map<std::string, std::string> endpoints() const override {
    if (!server_) {
      return {};
    }
    return {{"http", server_->local_address()}};
  }

 private:
  void handle(HttpRequest&& request, const ReplyOnce& reply) {
    try {
      if (request.path != settings_.path) {
        if (request.path == "/healthz" && (request.method == "GET" || request.method == "HEAD")) {
          reply(HttpResponse::text(200, "ok\n"));
          return;
        }
        reply(json_error(404, "no such path; Alertmanager notifications go to " + settings_.path));
        return;
      }
      if (request.method != "POST") {
        HttpResponse response = json_error(405, "only POST is allowed here");
        response.headers.emplace_back("Allow", "POST");
        reply(std::move(response));
        return;
      }
      if (!settings_.bearer_token.empty() &&
          !constant_time_equal(supportgw::sdk::bearer_token(request), settings_.bearer_token)) {
        if (logger_) {
          logger_->warn("refused a notification from {}: {} bearer token", request.remote_address,
                        request.header("authorization") == nullptr ? "no" : "a wrong");
        }
        HttpResponse response = json_error(401, "a valid bearer token is required");
        response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"supportgw\"");
        reply(std::move(response));
        return;
      }
      receive(request, reply);
    } catch (const std::exception& error) {
      internal_error(logger_, reply, error.what());
    } catch (...) {
      internal_error(logger_, reply, "unknown exception");
    }
  }

  void receive(const HttpRequest& request, const ReplyOnce& reply) {
    auto parsed = parse_notification(request.body, limits_);
    if (!parsed.ok()) {
      if (parsed.status().code() != StatusCode::invalid_argument) {
        internal_error(logger_, reply, parsed.status().message());
        return;
      }
      if (logger_) {
        logger_->warn("refused a notification from {}: {}", request.remote_address,
                      parsed.status().message());
      }
      reply(json_error(400, "not an Alertmanager notification: " + parsed.status().message()));
      return;
    }
    const Notification& notification = parsed.value();
    auto message =
        to_inbound_message(notification, message_options_, std::chrono::system_clock::now());
    const std::size_t alerts = notification.alerts.size();
    std::string summary = message.subject + " (" + std::to_string(alerts) +
                          (alerts == 1 ? " alert" : " alerts") + ", receiver \"" +
                          notification.receiver + "\")";
    // The completion runs on a gateway thread and holds no pointer to the channel: the
    // server's stop() gives up on a request after its stop_timeout, and the channel may
    // be gone when a late completion runs. Reply may be called from any thread.
    context_->submit(std::move(message), [logger = logger_, reply, summary = std::move(summary)](
                                             Result<IntakeResult> result) {
      // Nothing may escape into the host.
      try {
        answer(logger, reply, summary, result);
      } catch (const std::exception& error) {
        internal_error(logger, reply, error.what());
      } catch (...) {
        internal_error(logger, reply, "unknown exception");
      }
    });
  }

  ChannelSettings settings_;
  MessageOptions message_options_;
  PayloadLimits limits_;
  ChannelContext* context_ = nullptr;
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<IoPool> pool_;  // declared before the server: destroyed after it
  std::unique_ptr<HttpServer> server_;
};

}  // namespace
}  // namespace alertmanager

SUPPORTGW_PLUGIN("alertmanager", "1.0.0", alertmanager::AlertmanagerChannel)
