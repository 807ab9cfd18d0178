// A real plugin for the host and daemon tests, built like any other (SUPPORTGW_PLUGIN,
// hidden visibility, loaded with Boost.DLL). It takes contacts over HTTP through the
// SDK's server and carries outbound "mail" by appending to a file, failing the first
// `fail_sends` attempts so tests can watch the dispatcher retry.
//
//   POST /submit?origin=ID&subject=S&email=E[&severity=N][&reference=R&token=T]  body = text
//        -> 201 "<outcome> <reference> <token>" once durable
//   GET  /ticket?reference=R&token=T -> 200 "<status> <severity> <files>", 404
//   GET  /settings -> the settings' keys, one a line
// Setting slow_release_ms: the submit completion's captures take that long to destroy.

#include <supportgw/sdk/http_server.hpp>
#include <supportgw/sdk/io_pool.hpp>
#include <supportgw/sdk/plugin.hpp>

#include <atomic>
#include <fstream>
#include <mutex>
#include <thread>

namespace {

using namespace supportgw::sdk;

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
  return "?";
}

class FileSender final : public Sender {
 public:
  FileSender(std::filesystem::path file, int fail_first)
      : file_(std::move(file)), failures_left_(fail_first) {}

  void send(const OutboundMessage& message, Done done) override {
    if (failures_left_.fetch_sub(1) > 0) {
      done(Delivery{Status(StatusCode::unavailable, "fixture: failing on purpose"), {}, true});
      return;
    }
    {
      std::lock_guard lock(mutex_);
      std::ofstream out(file_, std::ios::app);
      out << message.id << ' ' << message.attempt << ' ' << message.kind << ' ' << message.recipient
          << ' ' << message.ticket_reference << '\n';
      out.flush();
    }
    done(Delivery{Status(), message.idempotency_key + "@fixture.test", true});
  }

 private:
  std::filesystem::path file_;
  std::atomic<int> failures_left_;
  std::mutex mutex_;
};

class FixtureChannel final : public Channel {
 public:
  Status start(ChannelContext& context) override {
    return guard("start", [&] {
      context_ = &context;
      const Settings& settings = context.settings();
      settings.refuse_unknown({"listen", "fail_sends", "sender_kind", "slow_release_ms"});
      slow_release_ms_ = static_cast<int>(settings.integer_or("slow_release_ms", 0));
      sender_ =
          std::make_shared<FileSender>(context.storage_dir() / "sent.log",
                                       static_cast<int>(settings.integer_or("fail_sends", 0)));
      sender_kind_ = settings.string_or("sender_kind", "mail");
      HttpServerOptions options;
      options.listen = settings.string_or("listen", "127.0.0.1:0");
      pool_ = std::make_unique<IoPool>(context.suggested_threads());
      auto server = HttpServer::start(
          pool_->executor(), options,
          [this](HttpRequest&& request, HttpServer::Reply reply) {
            handle(std::move(request), std::move(reply));
          },
          context.logger());
      if (!server.ok()) {
        return server.status();
      }
      server_ = std::move(server.value());
      return Status();
    });
  }

  void stop() override {
    if (server_) {
      server_->stop();
    }
    if (pool_) {
      pool_->stop();
    }
  }

  std::map<std::string, std::string> endpoints() const override {
    return {{"http", server_->local_address()}};
  }

  std::vector<SenderOffer> senders() override { return {{sender_kind_, sender_}}; }

 private:
  void handle(HttpRequest&& request, HttpServer::Reply reply) {
    const auto parameter = [&](const char* name) {
      return request.query_parameter(name).value_or("");
    };
    if (request.method == "POST" && request.path == "/submit") {
      InboundMessage message;
      message.origin_id = parameter("origin");
      message.subject = parameter("subject");
      message.text = request.body;
      message.sender.email = parameter("email");
      message.fields["customer_email"] = message.sender.email;
      message.claimed_reference = parameter("reference");
      message.claimed_token = parameter("token");
      if (const auto severity = parameter("severity"); !severity.empty()) {
        message.requested_severity = std::stoi(severity);
      }
      message.received_at = std::chrono::system_clock::now();
      // Plugin code that runs when the gateway destroys the completion, after the reply
      // went out: the host must not unload the library before it has finished.
      auto release = std::shared_ptr<void>(nullptr, [ms = slow_release_ms_](void*) {
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      });
      context_->submit(std::move(message), [reply, release](Result<IntakeResult> result) {
        if (!result.ok()) {
          reply(
              HttpResponse::text(result.status().code() == StatusCode::invalid_argument ? 400 : 503,
                                 result.status().message() + "\n"));
          return;
        }
        reply(HttpResponse::text(201, std::string(outcome_name(result->outcome)) + " " +
                                          result->reference + " " + result->token + "\n"));
      });
      return;
    }
    if (request.method == "GET" && request.path == "/ticket") {
      const auto view = context_->find_ticket(parameter("reference"), parameter("token"));
      if (!view.ok()) {
        reply(HttpResponse::text(404, view.status().message() + "\n"));
        return;
      }
      reply(HttpResponse::text(200, view->status + " " + std::to_string(view->severity) + " " +
                                        std::to_string(view->files.size()) + "\n"));
      return;
    }
    reply(HttpResponse::text(404, "no such route\n"));
  }

  ChannelContext* context_ = nullptr;
  int slow_release_ms_ = 0;
  std::unique_ptr<IoPool> pool_;  // outlives the server that runs on it
  std::unique_ptr<HttpServer> server_;
  std::shared_ptr<FileSender> sender_;
  std::string sender_kind_;
};

}  // namespace

SUPPORTGW_PLUGIN("fixture_channel", "1.0.0", FixtureChannel)
