// The web channel: the customer portal (portal_routes.cpp), the JSON API
// (api_routes.cpp) and /healthz, on the SDK's HttpServer run by the plugin's own IoPool.

#include <supportgw/sdk/http_server.hpp>
#include <supportgw/sdk/io_pool.hpp>
#include <supportgw/sdk/plugin.hpp>

#include <spdlog/logger.h>

#include <exception>
#include <memory>

#include "api.hpp"
#include "form.hpp"
#include "multipart.hpp"
#include "status.hpp"
#include "web_state.hpp"

namespace web {
namespace {

using supportgw::sdk::BodyPlan;
using supportgw::sdk::Channel;
using supportgw::sdk::ChannelContext;
using supportgw::sdk::HttpRequest;
using supportgw::sdk::HttpResponse;
using supportgw::sdk::HttpServer;
using supportgw::sdk::HttpServerOptions;
using supportgw::sdk::IoPool;
using supportgw::sdk::Status;

// Forms with files are spooled to disk as they arrive (multipart.hpp reads them back
// piece by piece); everything else is small and parsed in memory.
bool takes_files(const HttpRequest& head) {
  if (head.method != "POST" || media_type(head) != "multipart/form-data") {
    return false;
  }
  return head.path == "/tickets" ||
         (head.path.starts_with("/tickets/") && head.path.ends_with("/comments"));
}

void create_dir(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    throw std::runtime_error("cannot create " + dir.string() + ": " + error.message());
  }
}

class WebChannel final : public Channel {
 public:
  Status start(ChannelContext& context) override {
    return supportgw::sdk::guard("start", [&]() -> Status {
      auto state = std::make_shared<WebState>();
      state->settings = read_settings(context.settings());
      state->channel_name = context.channel_name();
      state->logger = context.logger();
      state->files_dir = context.storage_dir() / "files";
      state->tls = !state->settings.tls_certificate.empty();
      state->form_limiter = std::make_shared<RateLimiter>(state->settings.tickets_per_minute);
      const auto spool_dir = context.storage_dir() / "spool";
      create_dir(state->files_dir);
      create_dir(spool_dir);
      context_ = &context;
      state_ = state;

      HttpServerOptions options;
      options.listen = state->settings.listen;
      options.max_body_bytes = state->settings.max_body;
      options.spool_dir = spool_dir;
      options.tls_certificate_file = state->settings.tls_certificate;
      options.tls_private_key_file = state->settings.tls_private_key;
      options.server_name = "supportgw-web";
      // The server's read timeout covers a whole request, upload included, so it is the
      // deployment's to choose: long enough for its largest upload on its slowest line.
      options.read_timeout = state->settings.request_timeout;
      // The API's clients parse problem documents, even for the server's own refusals.
      options.refusal = [](int status, const std::string& target, const std::string& reason) {
        if (is_api_path(target)) {
          return problem_response(refusal_problem(status, reason));
        }
        return HttpResponse::text(status, reason + "\n");
      };
      const std::uint64_t max_upload = state->settings.max_upload;
      // A context per thread, connections spread over them: no handler is handed from
      // thread to thread (io_pool.hpp). The handlers never block for long: store reads
      // are snapshots, writes are submitted and answered from their completion.
      pool_ = std::make_unique<IoPool>(context.suggested_threads(),
                                       IoPool::Sharing::context_per_thread);
      options.connection_executors = pool_->executors();
      auto server = HttpServer::start(
          pool_->executor(), options,
          [this](HttpRequest&& request, HttpServer::Reply reply) {
            handle(request, ReplyOnce(std::move(reply)));
          },
          state->logger,
          [max_upload](const HttpRequest& head) {
            BodyPlan plan;
            if (takes_files(head)) {
              plan.to_file = true;
              plan.limit = max_upload;
            }
            return plan;
          });
      if (!server.ok()) {
        return server.status();
      }
      server_ = std::move(server.value());
      if (state->logger) {
        state->logger->info("portal and API at {}://{}/ ({} API keys)", server_->scheme(),
                            server_->local_address(), state->settings.api_key_hashes.size());
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
    return {{server_->scheme(), server_->local_address()}};
  }

 private:
  void handle(HttpRequest& request, const ReplyOnce& reply) {
    try {
      if (request.path == "/healthz") {
        reply(HttpResponse::text(200, "ok\n"));
        return;
      }
      if (request.path == "/metrics") {
        serve_metrics(state_, *context_, request, reply);
        return;
      }
      if (is_api_path(request.path)) {
        route_api(state_, *context_, request, reply);
        return;
      }
      if (route_status(state_, *context_, request, reply)) {
        return;
      }
      if (route_portal(state_, *context_, request, reply)) {
        return;
      }
      const PageContext page{&texts_for(context_->policy_language()), context_->vendor_name(),
                             state_->settings.public_url, state_->settings.upload_url};
      HttpResponse response = HttpResponse::html(
          404, message_page(page, page.texts->error_title, page.texts->error_text));
      add_page_headers(response);
      reply(std::move(response));
    } catch (const std::exception& error) {
      internal_error(request, reply, error.what());
    } catch (...) {
      internal_error(request, reply, "unknown exception");
    }
  }

  void internal_error(const HttpRequest& request, const ReplyOnce& reply,
                      const char* what) noexcept {
    try {
      if (state_->logger) {
        state_->logger->error("{} {} from {} failed: {}", request.method, request.path,
                              request.remote_address, what);
      }
      reply(is_api_path(request.path)
                ? problem_response(refusal_problem(500, "the request could not be processed"))
                : HttpResponse::text(500, "internal error\n"));
    } catch (...) {
      // Logging or replying failed (out of memory): nothing is left to try.
    }
  }

  ChannelContext* context_ = nullptr;
  StatePtr state_;
  std::unique_ptr<IoPool> pool_;  // declared before the server: destroyed after it
  std::unique_ptr<HttpServer> server_;
};

}  // namespace
}  // namespace web

SUPPORTGW_PLUGIN("web", "0.1.0", web::WebChannel)
