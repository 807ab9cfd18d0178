#pragma once
// What the web channel's request handlers share. Completions of ChannelContext::submit
// run on gateway threads and may run after the channel stopped waiting for them (the
// server gives up on a request after its stop_timeout), so they hold this by shared_ptr
// and never touch the channel object.

#include <atomic>
#include <memory>
#include <string>

#include <supportgw/sdk/channel_context.hpp>
#include <supportgw/sdk/http_server.hpp>

#include "csrf.hpp"
#include "pages.hpp"
#include "random_pool.hpp"
#include "rate_limit.hpp"
#include "web_settings.hpp"

namespace spdlog {
class logger;
}

namespace web {

struct WebState {
  WebSettings settings;
  std::string channel_name;
  std::shared_ptr<spdlog::logger> logger;
  CsrfTokens csrf;
  std::filesystem::path files_dir;  // uploads, in the channel's storage folder
  bool tls = false;
  // Shared, not const: the handlers take tokens from it.
  std::shared_ptr<RateLimiter> form_limiter;
  // Shared, not const: the handlers take ids from it.
  std::shared_ptr<RandomPool> random = std::make_shared<RandomPool>();
};

// The server's Reply must be called exactly once; the paths to it here are several (the
// handler, the submit completion, the catch blocks), so the first call wins.
class ReplyOnce {
 public:
  explicit ReplyOnce(supportgw::sdk::HttpServer::Reply reply)
      : state_(std::make_shared<State>(std::move(reply))) {}
  void operator()(supportgw::sdk::HttpResponse response) const {
    if (!state_->replied.exchange(true)) {
      state_->reply(std::move(response));
    }
  }

 private:
  struct State {
    explicit State(supportgw::sdk::HttpServer::Reply r) : reply(std::move(r)) {}
    supportgw::sdk::HttpServer::Reply reply;
    std::atomic<bool> replied{false};
  };
  std::shared_ptr<State> state_;
};

using StatePtr = std::shared_ptr<const WebState>;

// The portal: "/", "/tickets", "/tickets/{reference}", "/tickets/{reference}/comments".
// Returns false when the path is none of these.
bool route_portal(const StatePtr& state, supportgw::sdk::ChannelContext& context,
                  supportgw::sdk::HttpRequest& request, const ReplyOnce& reply);
// The JSON API under /api/v1/ (every path there is answered, 404 included).
// GET /metrics (api_routes.cpp): the gateway's metrics for Prometheus, behind an API key
// unless the settings open them.
void serve_metrics(const StatePtr& state, supportgw::sdk::ChannelContext& context,
                   supportgw::sdk::HttpRequest& request, const ReplyOnce& reply);
void route_api(const StatePtr& state, supportgw::sdk::ChannelContext& context,
               supportgw::sdk::HttpRequest& request, const ReplyOnce& reply);

// The headers every HTML page carries: no scripts, no framing, no referrer (ticket links
// hold the customer's token), not cached.
void add_page_headers(supportgw::sdk::HttpResponse& response);

}  // namespace web
