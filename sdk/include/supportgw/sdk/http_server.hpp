#pragma once
// An HTTP/1.1 server on Boost.Beast for plugins that take requests (web portal,
// telephony webhooks, Alertmanager). Written once here so every plugin gets the same
// limits, timeouts, keep-alive, TLS and graceful stop.
//
// The header holds no Beast types: requests and responses are plain structs, and the
// server lives behind a pointer. The handler is asynchronous — it may call
// ChannelContext::submit() and reply from the completion, so a request is answered
// only after its ticket is durable.
//
// Limits enforced before the handler sees anything: header bytes (431), body bytes
// (413), a read timeout per request (a slow client is dropped), an idle timeout between
// keep-alive requests, and a cap on open connections (more wait in the listen queue).
// TLS: when a certificate and key are configured, every connection speaks TLS 1.2+.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "supportgw/sdk/status.hpp"

namespace spdlog {
class logger;
}

namespace supportgw::sdk {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: "/api/v1/tickets?page=2"
  // The target's path, percent-decoded: "/api/v1/tickets". Always starts with '/'
  // (other targets get 400); dot segments are left as sent.
  std::string path;
  std::string query;  // the target's raw query, without '?': "page=2"
  // Header fields in arrival order, names lower-cased.
  std::vector<std::pair<std::string, std::string>> headers;
  // The body, unless BodyPlan sent it to a file.
  std::string body;
  // Set when BodyPlan::to_file: the complete body, its data fsynced, in
  // HttpServerOptions::spool_dir. Move it away (rename, then sync the target folder) to
  // keep it; it is deleted after the reply is written.
  std::filesystem::path body_file;
  std::uint64_t body_size = 0;
  std::string remote_address;  // "127.0.0.1:53422"
  bool tls = false;

  // The first value of a header field (name in any case), or null.
  const std::string* header(std::string_view name) const;
  // A query parameter, percent-decoded ('+' as space), or nullopt.
  std::optional<std::string> query_parameter(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When set, the body is this file, streamed (the `body` string is ignored).
  std::filesystem::path file;

  static HttpResponse text(int status, std::string body);
  static HttpResponse json(int status, std::string body);
  static HttpResponse html(int status, std::string body);
};

// Where a request's body goes, decided from its request line and headers.
struct BodyPlan {
  bool to_file = false;
  std::uint64_t limit = 0;  // 0: HttpServerOptions::max_body_bytes
};

struct HttpServerOptions {
  // "127.0.0.1:8080", "[::1]:0", "0.0.0.0:443"; port 0 takes a free one.
  std::string listen = "127.0.0.1:0";
  std::size_t max_header_bytes = 16 * 1024;
  std::uint64_t max_body_bytes = 1024 * 1024;
  std::chrono::milliseconds read_timeout{30'000};  // one request, head and body
  std::chrono::milliseconds idle_timeout{60'000};  // between keep-alive requests
  std::size_t max_connections = 1024;
  // TLS when both are set (PEM files).
  std::filesystem::path tls_certificate_file;
  std::filesystem::path tls_private_key_file;
  // Required when a BodyPlan sends bodies to files.
  std::filesystem::path spool_dir;
  // Value of the Server header.
  std::string server_name = "supportgw";
  // How long stop() waits for requests in flight to be answered before it closes their
  // connections anyway (a late handler's reply then goes nowhere).
  std::chrono::milliseconds stop_timeout{10'000};
  // How the server words its own refusals, made before any handler ran (400 malformed,
  // 413 body too large, 431 header too large, 500 body not storable): by default a
  // text/plain line. A channel with a JSON API answers its routes in its own format (RFC
  // 9457 problem documents). `target` is the request's path without the query ("" when
  // the head could not be read). Runs on the connection's strand; must not throw.
  std::function<HttpResponse(int status, const std::string& target, const std::string& reason)>
      refusal;
  // Executors the accepted connections are spread over, one after the other (each
  // connection lives on a strand of one of them): IoPool::executors() of a pool with a
  // context per thread. Empty: every connection on the executor given to start().
  std::vector<boost::asio::any_io_executor> connection_executors;
};

class HttpServer {
 public:
  using Reply = std::function<void(HttpResponse)>;
  // Must call `reply` exactly once, from any thread. An exception thrown by the handler
  // becomes a 500 (logged); the connection lives on. A Reply destroyed without being
  // called is answered with a 500 and the connection is closed. Called on the
  // connection's strand: requests of different connections may run concurrently when
  // the executor has several threads.
  //
  // The Planner runs after the request header is read (no body yet); it may throw (500).
  using Handler = std::function<void(HttpRequest&& request, Reply reply)>;
  using Planner = std::function<BodyPlan(const HttpRequest& head)>;

  // Binds and starts accepting on `executor`. Errors: invalid_argument (a bad listen
  // address, unreadable certificate), unavailable (the address is in use).
  static Result<std::unique_ptr<HttpServer>> start(boost::asio::any_io_executor executor,
                                                   HttpServerOptions options, Handler handler,
                                                   std::shared_ptr<spdlog::logger> logger,
                                                   Planner planner = {});

  // Stops (see stop()).
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The address actually bound: "127.0.0.1:41234".
  std::string local_address() const;
  // "http" or "https".
  std::string scheme() const;
  // Stops accepting, closes idle connections, waits until requests in flight are
  // answered (their handlers reply) and then closes those connections too; after
  // HttpServerOptions::stop_timeout it closes them unanswered. When it returns, nothing
  // of the server is left on the executor. Call from a thread that is not running the
  // executor, while the executor still runs. Idempotent.
  void stop();

  struct Impl;

 private:
  explicit HttpServer(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

// "host:port" / "[v6]:port" split; nullopt when malformed. Port may be 0.
struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};
std::optional<ListenAddress> parse_listen_address(std::string_view text);

// The credentials of "Authorization: Bearer <token>" (the scheme in any case, RFC 9110
// 11.1), without surrounding blanks; empty when the header is absent or another scheme.
// Compare it in constant time.
std::string bearer_token(const HttpRequest& request);

// HTML-escapes & < > " ' for text and attribute values.
std::string html_escape(std::string_view text);
// Percent-decodes; '+' becomes a space when `plus_is_space` (form bodies, queries).
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

}  // namespace supportgw::sdk
