// HttpServer on Boost.Beast. All Beast and Asio SSL code lives in this one translation
// unit: it is slow to compile, and plugins only ever see the plain structs of the header.
//
// Shape (Beast's advanced server): an acceptor on a strand, one Connection per socket,
// each on its own strand, a fresh parser per request. Lifetime: every object or queued
// handler that refers to the Impl holds a Hold, a counted reference; stop() closes the
// acceptor, asks each connection to finish, and waits until the count is zero. After
// that nothing in the executor's queues can reach the Impl, so the plugin that owns the
// server may be unloaded.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <ctime>
#include <exception>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include <openssl/ssl.h>

#include <spdlog/logger.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "supportgw/sdk/http_server.hpp"

namespace supportgw::sdk {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// How long a closing connection waits for the peer to finish sending (or to answer TLS
// close_notify). Without it, closing with unread request bytes makes the kernel send a
// reset that can destroy the response before the client reads it (e.g. a 413).
constexpr std::chrono::seconds kCloseLinger{2};
// A failed accept (out of file descriptors, usually) is retried after this pause rather
// than in a busy loop.
constexpr std::chrono::milliseconds kAcceptRetry{100};
constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// Connections as the Impl and the Reply callbacks see them, whatever their stream.
class ConnectionBase {
 public:
  virtual ~ConnectionBase() = default;
  virtual void start() = 0;
  // From any thread: `force` closes even a connection whose handler has not replied.
  virtual void post_stop(bool force) = 0;
  // From any thread; nullopt when the handler dropped its Reply without calling it.
  virtual void post_reply(std::optional<HttpResponse> response) = 0;
};

std::string to_std(beast::string_view text) { return std::string(text.data(), text.size()); }

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view text) {
  std::string lowered(text);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), ascii_lower);
  return lowered;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

// Whether a comma-separated header value holds `token` ("keep-alive, Close").
bool has_token(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) {
      item.remove_prefix(1);
    }
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) {
      item.remove_suffix(1);
    }
    if (iequals(item, token)) {
      return true;
    }
  }
  return false;
}

bool is_token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// A handler's header must not smuggle a second header or response into ours.
bool valid_header(std::string_view name, std::string_view value) {
  return !name.empty() && std::all_of(name.begin(), name.end(), is_token_char) &&
         value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

std::string format_endpoint(const tcp::endpoint& endpoint) {
  const asio::ip::address address = endpoint.address();
  const std::string port = std::to_string(endpoint.port());
  return address.is_v6() ? "[" + address.to_string() + "]:" + port
                         : address.to_string() + ":" + port;
}

// RFC 9110 IMF-fixdate of `when`, spelled out by hand because strftime's names follow
// the locale the host may have set.
std::string http_date(std::time_t when) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm utc{};
  gmtime_r(&when, &utc);
  std::array<char, 40> text{};
  std::snprintf(text.data(), text.size(), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                kDays[static_cast<std::size_t>(utc.tm_wday % 7)], utc.tm_mday,
                kMonths[static_cast<std::size_t>(utc.tm_mon % 12)], utc.tm_year + 1900, utc.tm_hour,
                utc.tm_min, utc.tm_sec);
  return text.data();
}

// The Date header of the current second, formatted once per second rather than for
// every response (gmtime_r and snprintf were a percent of a cached page's cost).
class HttpDateClock {
 public:
  std::string now() {
    const std::time_t second = std::time(nullptr);
    std::lock_guard lock(mutex_);
    if (second != second_) {
      second_ = second;
      text_ = http_date(second);
    }
    return text_;
  }

 private:
  std::mutex mutex_;
  std::time_t second_ = -1;
  std::string text_;
};

// Asio and Beast open descriptors without close-on-exec. A child the host spawns (curl,
// a helper program) would inherit the listening socket and keep it listening after
// stop(), and keep closed connections open. Marked right after opening; a fork on
// another thread in between is the remaining (small) window.
void set_close_on_exec(int fd) {
  const int flags = ::fcntl(fd, F_GETFD);
  if (flags >= 0) {
    ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  }
}

bool is_http_error(const error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category();
}

// The peer closed or reset, or we closed: nothing to answer and nothing to report.
bool peer_went_away(const error_code& ec) {
  return ec == asio::error::eof || ec == http::error::end_of_stream ||
         ec == http::error::partial_message || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::error::operation_aborted ||
         ec == ssl::error::stream_truncated;
}

// The target of a request without its query, for logs: queries may carry a customer's
// status token, which must not land in log files.
std::string target_for_log(std::string_view target) {
  return std::string(target.substr(0, target.find('?')));
}

}  // namespace

struct HttpServer::Impl {
  Impl(asio::any_io_executor executor_in, HttpServerOptions options_in, Handler handler_in,
       std::shared_ptr<spdlog::logger> logger_in, Planner planner_in)
      : executor(std::move(executor_in)),
        accept_strand(asio::make_strand(executor)),
        options(std::move(options_in)),
        handler(std::move(handler_in)),
        planner(std::move(planner_in)),
        logger(std::move(logger_in)),
        acceptor(accept_strand),
        accept_retry(accept_strand) {}

  // Checks the options, loads the TLS files and binds; nothing runs yet.
  Status open();
  // Queues the first accept; from here on stop() must be called.
  void begin_accepting();
  void stop();

  // Counted references (see Hold).
  void acquire() {
    std::lock_guard lock(mutex);
    ++outstanding;
  }
  void release() {
    std::lock_guard lock(mutex);
    // Notified under the lock: the waiter in stop() may destroy this object as soon as
    // it can take the mutex again.
    if (--outstanding == 0) {
      drained.notify_all();
    }
  }

  void add_connection(const std::shared_ptr<ConnectionBase>& connection);
  void remove_connection(ConnectionBase* connection) noexcept;

  template <class... Args>
  void log(spdlog::level::level_enum level, spdlog::format_string_t<Args...> format,
           Args&&... args) {
    if (logger) {
      logger->log(level, format, std::forward<Args>(args)...);
    }
  }

  const asio::any_io_executor executor;
  asio::strand<asio::any_io_executor> accept_strand;
  std::size_t next_connection_executor = 0;  // on accept_strand
  const HttpServerOptions options;
  const Handler handler;
  const Planner planner;
  const std::shared_ptr<spdlog::logger> logger;
  std::optional<ssl::context> tls;
  HttpDateClock dates;
  // Both touched only on accept_strand once accepting began.
  tcp::acceptor acceptor;
  asio::steady_timer accept_retry;
  std::string local_address;

  std::atomic<bool> stopping{false};

 private:
  void accept();
  void on_accept(error_code ec, tcp::socket socket);
  std::vector<std::shared_ptr<ConnectionBase>> live_connections();  // mutex held

  std::mutex mutex;
  std::condition_variable drained;
  std::size_t outstanding = 0;  // Holds alive
  std::size_t connection_count = 0;
  bool accept_paused = false;  // at max_connections
  std::unordered_map<ConnectionBase*, std::weak_ptr<ConnectionBase>> connections;
};

namespace {

// A counted reference to the Impl. Every connection and every handler queued on the
// executor that may touch the Impl carries one; stop() returns when none is left.
class Hold {
 public:
  explicit Hold(HttpServer::Impl& impl) : impl_(&impl) { impl.acquire(); }
  Hold(Hold&& other) noexcept : impl_(std::exchange(other.impl_, nullptr)) {}
  Hold(const Hold&) = delete;
  Hold& operator=(const Hold&) = delete;
  Hold& operator=(Hold&&) = delete;
  ~Hold() {
    if (impl_ != nullptr) {
      impl_->release();
    }
  }
  HttpServer::Impl& operator*() const { return *impl_; }
  HttpServer::Impl* operator->() const { return impl_; }

 private:
  HttpServer::Impl* impl_;
};

// The state behind one request's Reply callback. It refers to its connection weakly: a
// reply that comes after the connection was closed (a forced stop) goes nowhere, and a
// Reply kept by a careless handler keeps nothing of the server alive.
class ReplyState {
 public:
  ReplyState(std::weak_ptr<ConnectionBase> connection, std::shared_ptr<spdlog::logger> logger,
             std::string request)
      : connection_(std::move(connection)),
        logger_(std::move(logger)),
        request_(std::move(request)) {}
  ReplyState(const ReplyState&) = delete;
  ReplyState& operator=(const ReplyState&) = delete;

  // The handler lost every copy of its Reply without calling it: without this guard
  // the client would wait for an answer that never comes.
  ~ReplyState() {
    if (called_.load()) {
      return;
    }
    try {
      if (auto connection = connection_.lock()) {
        connection->post_reply(std::nullopt);
      }
    } catch (...) {
      // Out of memory while posting: the connection's timeouts will end it.
    }
  }

  // True for the first caller only.
  bool claim() { return !called_.exchange(true); }

  void deliver(HttpResponse response) {
    if (!claim()) {
      if (logger_) {
        logger_->warn("http: handler replied twice to {}; ignoring the second reply", request_);
      }
      return;
    }
    if (auto connection = connection_.lock()) {
      connection->post_reply(std::move(response));
    } else if (logger_) {
      logger_->debug("http: reply to {} came after its connection closed", request_);
    }
  }

 private:
  std::weak_ptr<ConnectionBase> connection_;
  std::shared_ptr<spdlog::logger> logger_;
  std::string request_;  // "GET /path from 127.0.0.1:5555", for the log
  std::atomic<bool> called_{false};
};

template <class Stream>
class Connection final : public ConnectionBase,
                         public std::enable_shared_from_this<Connection<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  Connection(Hold hold, tcp::socket socket, std::string remote)
      : hold_(std::move(hold)),
        impl_(*hold_),
        strand_(socket.get_executor()),
        stream_(make_stream(std::move(socket), impl_)),
        remote_(std::move(remote)) {}

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  ~Connection() override {
    finish_request();
    impl_.remove_connection(this);
  }

  void start() override {
    asio::post(strand_, [self = this->shared_from_this()] { self->begin(); });
  }

  void post_stop(bool force) override {
    asio::post(strand_, [self = this->shared_from_this(), force] { self->do_stop(force); });
  }

  // A handler that answers at once (a page read from a snapshot) calls this on the
  // connection's own strand: dispatch then sends without a trip through the scheduler,
  // which would wake the other io thread for every request.
  void post_reply(std::optional<HttpResponse> response) override {
    asio::dispatch(strand_,
                   [self = this->shared_from_this(), response = std::move(response)]() mutable {
                     self->on_reply(std::move(response));
                   });
  }

 private:
  // handshake: TLS handshake. idle: waiting for a request's first bytes (closed at once
  // by stop). reading: a request is arriving. handling: the handler has it. writing: the
  // response is going out. closing: lingering before the close.
  enum class State { handshake, idle, reading, handling, writing, closing, closed };

  using HeaderParser = http::request_parser<http::empty_body>;
  using StringParser = http::request_parser<http::string_body>;
  using FileParser = http::request_parser<http::file_body>;

  // A response and its serializer, which refers to it and so must not move.
  template <class Body>
  struct Outgoing {
    explicit Outgoing(http::response<Body>&& m) : message(std::move(m)), serializer(message) {}
    http::response<Body> message;
    http::response_serializer<Body> serializer;
  };

  static Stream make_stream(tcp::socket socket, HttpServer::Impl& impl) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *impl.tls);
    } else {
      (void)impl;
      return Stream(std::move(socket));
    }
  }

  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }
  const HttpServerOptions& options() const { return impl_.options; }
  bool stopping() const { return stopping_ || impl_.stopping.load(); }

  void begin() {
    if (stopping()) {
      return close_now();
    }
    if constexpr (kTls) {
      state_ = State::handshake;
      lowest().expires_after(options().read_timeout);
      stream_.async_handshake(
          ssl::stream_base::server,
          [self = this->shared_from_this()](error_code ec) { self->on_handshake(ec); });
    } else {
      wait_for_request(true);
    }
  }

  void on_handshake(error_code ec) {
    if (state_ == State::closed) {
      return;
    }
    if (ec) {
      impl_.log(spdlog::level::debug, "http: TLS handshake with {} failed: {}", remote_,
                ec.message());
      return close_now();
    }
    wait_for_request(true);
  }

  // Waits for the first bytes of the next request under the idle timeout (the read
  // timeout for a connection's first request); the read timeout starts with them.
  void wait_for_request(bool first) {
    if (stopping()) {
      return close_now();
    }
    state_ = State::idle;
    if (buffer_.size() > 0) {
      return read_header();
    }
    lowest().expires_after(first ? options().read_timeout : options().idle_timeout);
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = this->shared_from_this()](error_code ec, std::size_t n) {
                              self->on_first_bytes(ec, n);
                            });
  }

  void on_first_bytes(error_code ec, std::size_t bytes) {
    buffer_.commit(bytes);
    if (state_ == State::closed) {
      return;
    }
    if (ec) {
      if (ec == beast::error::timeout) {
        impl_.log(spdlog::level::debug, "http: closing idle connection from {}", remote_);
      } else if (!peer_went_away(ec)) {
        impl_.log(spdlog::level::debug, "http: connection from {}: {}", remote_, ec.message());
      }
      return close_now();
    }
    read_header();
  }

  void read_header() {
    state_ = State::reading;
    request_started_ = std::chrono::steady_clock::now();
    request_ = HttpRequest{};
    version_ = 11;
    keep_alive_ = false;
    head_request_ = false;
    log_method_.clear();
    log_target_.clear();
    header_parser_.emplace();
    header_parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(
        options().max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    // The body limit is the plan's, known only once the header is in.
    header_parser_->body_limit(boost::none);
    lowest().expires_after(options().read_timeout);
    http::async_read_header(
        stream_, buffer_, *header_parser_,
        [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(error_code ec) {
    if (state_ == State::closed) {
      return;
    }
    if (ec == http::error::header_limit) {
      return reject(431, "Request header fields too large");
    }
    if (ec) {
      return on_read_error(ec, "reading a request header");
    }
    const auto& head = header_parser_->get();
    request_.method = to_std(head.method_string());
    request_.target = to_std(head.target());
    for (const auto& field : head) {
      request_.headers.emplace_back(lower(to_std(field.name_string())), to_std(field.value()));
    }
    request_.remote_address = remote_;
    request_.tls = kTls;
    version_ = head.version();
    keep_alive_ = head.keep_alive();
    head_request_ = head.method() == http::verb::head;
    log_method_ = request_.method;
    log_target_ = target_for_log(request_.target);

    if (!split_target()) {
      return reject(400, "Malformed request target");
    }

    BodyPlan plan;
    if (impl_.planner) {
      try {
        plan = impl_.planner(request_);
      } catch (const std::exception& e) {
        impl_.log(spdlog::level::err, "http: body planner threw on {} {} from {}: {}", log_method_,
                  log_target_, remote_, e.what());
        return reject(500, "Internal server error");
      } catch (...) {
        impl_.log(spdlog::level::err, "http: body planner threw on {} {} from {}", log_method_,
                  log_target_, remote_);
        return reject(500, "Internal server error");
      }
    }
    const std::uint64_t limit = plan.limit != 0 ? plan.limit : options().max_body_bytes;
    if (const auto length = header_parser_->content_length(); length && *length > limit) {
      return reject(413, "Request body too large: " + std::to_string(*length) +
                             " bytes, the limit is " + std::to_string(limit));
    }
    const bool expects_continue =
        version_ >= 11 && has_token(to_std(head[http::field::expect]), "100-continue");

    if (plan.to_file) {
      error_code file_error;
      beast::file file = make_spool_file(file_error);
      if (file_error) {
        impl_.log(spdlog::level::err, "http: cannot make a spool file in \"{}\" for {} {}: {}",
                  options().spool_dir.string(), log_method_, log_target_, file_error.message());
        return reject(500, "Cannot store the request body");
      }
      file_parser_.emplace(std::move(*header_parser_));
      file_parser_->body_limit(limit);
      file_parser_->get().body().reset(std::move(file), file_error);
      if (file_error) {
        impl_.log(spdlog::level::err, "http: spool file {}: {}", spool_file_.string(),
                  file_error.message());
        return reject(500, "Cannot store the request body");
      }
    } else {
      string_parser_.emplace(std::move(*header_parser_));
      string_parser_->body_limit(limit);
    }
    header_parser_.reset();

    if (body_parser_done()) {
      return on_body({});
    }
    if (expects_continue) {
      // curl waits a second for this before it sends a large body.
      return asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                               [self = this->shared_from_this()](error_code ec, std::size_t) {
                                 if (self->state_ == State::closed) {
                                   return;
                                 }
                                 if (ec) {
                                   return self->on_read_error(ec, "writing 100 Continue");
                                 }
                                 self->read_body();
                               });
    }
    read_body();
  }

  // Origin form only ("/path?query"): absolute and authority forms and "*" are for
  // proxies, which this server is not.
  bool split_target() {
    const std::string& target = request_.target;
    if (target.empty() || target.front() != '/') {
      return false;
    }
    const std::size_t question = target.find('?');
    std::optional<std::string> path =
        percent_decode(std::string_view(target).substr(0, question), false);
    if (!path || path->find('\0') != std::string::npos) {
      return false;
    }
    request_.path = std::move(*path);
    request_.query = question == std::string::npos ? std::string() : target.substr(question + 1);
    return true;
  }

  beast::file make_spool_file(error_code& ec) {
    if (options().spool_dir.empty()) {
      ec = std::make_error_code(std::errc::no_such_file_or_directory);
      return {};
    }
    std::string pattern = (options().spool_dir / "http-body-XXXXXX").string();
    const int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (fd < 0) {
      ec = error_code(errno, boost::system::system_category());
      return {};
    }
    spool_file_ = pattern;
    beast::file file;
    file.native_handle(fd);
    return file;
  }

  bool body_parser_done() const {
    return file_parser_ ? file_parser_->is_done() : string_parser_->is_done();
  }

  void read_body() {
    auto done = [self = this->shared_from_this()](error_code ec, std::size_t) {
      self->on_body(ec);
    };
    if (file_parser_) {
      http::async_read(stream_, buffer_, *file_parser_, std::move(done));
    } else {
      http::async_read(stream_, buffer_, *string_parser_, std::move(done));
    }
  }

  void on_body(error_code ec) {
    if (state_ == State::closed) {
      return;
    }
    if (ec == http::error::body_limit) {
      return reject(413, "Request body too large");
    }
    if (ec && file_parser_ && !is_http_error(ec) && !peer_went_away(ec) &&
        ec != beast::error::timeout) {
      impl_.log(spdlog::level::err, "http: writing the body of {} {} to {}: {}", log_method_,
                log_target_, spool_file_.string(), ec.message());
      return reject(500, "Cannot store the request body");
    }
    if (ec) {
      return on_read_error(ec, "reading a request body");
    }
    if (file_parser_) {
      beast::file& file = file_parser_->get().body().file();
      const int synced = ::fsync(file.native_handle());
      const int sync_errno = errno;
      error_code size_error;
      const std::uint64_t size = file.size(size_error);
      if (synced != 0 || size_error) {
        const std::string reason =
            synced != 0 ? std::system_category().message(sync_errno) : size_error.message();
        impl_.log(spdlog::level::err, "http: syncing {}: {}", spool_file_.string(), reason);
        return reject(500, "Cannot store the request body");
      }
      file_parser_.reset();  // closes the file
      request_.body_file = spool_file_;
      request_.body_size = size;
    } else {
      request_.body = std::move(string_parser_->get().body());
      request_.body_size = request_.body.size();
      string_parser_.reset();
    }
    call_handler();
  }

  void on_read_error(error_code ec, const char* what) {
    if (ec == beast::error::timeout) {
      impl_.log(spdlog::level::info, "http: dropping {}: read timeout while {}", remote_, what);
    } else if (is_http_error(ec) && !peer_went_away(ec)) {
      impl_.log(spdlog::level::info, "http: bad request from {}: {}", remote_, ec.message());
      return reject(400, "Bad request");
    } else if (!peer_went_away(ec)) {
      impl_.log(spdlog::level::debug, "http: {} from {}: {}", what, remote_, ec.message());
    }
    close_now();
  }

  // Answers an error the server found itself and closes: the rest of the request, if
  // any, is not read.
  void reject(int status, const std::string& reason) {
    impl_.log(spdlog::level::info, "http: {} {} {} from {}: {}", status, log_method_, log_target_,
              remote_, reason);
    keep_alive_ = false;
    HttpResponse response;
    try {
      response = options().refusal ? options().refusal(status, log_target_, reason)
                                   : HttpResponse::text(status, reason + "\n");
    } catch (...) {
      // The channel's formatter broke its promise; the refusal still goes out.
      response = HttpResponse::text(status, reason + "\n");
    }
    response.status = status;
    send_response(std::move(response));
  }

  void call_handler() {
    state_ = State::handling;
    // No operation is pending while the handler works; this keeps the connection alive
    // until the reply comes, the Reply is dropped, or stop() forces it closed.
    self_ = this->shared_from_this();
    auto reply_state = std::make_shared<ReplyState>(
        this->weak_from_this(), impl_.logger, log_method_ + " " + log_target_ + " from " + remote_);
    HttpServer::Reply reply = [reply_state](HttpResponse response) {
      reply_state->deliver(std::move(response));
    };
    // reply_state outlives the call on purpose: if the handler throws, its copy of the
    // Reply is gone before the catch, and the guard must not fire first.
    try {
      impl_.handler(std::move(request_), std::move(reply));
      return;
    } catch (const std::exception& e) {
      impl_.log(spdlog::level::err, "http: handler threw on {} {} from {}: {}", log_method_,
                log_target_, remote_, e.what());
    } catch (...) {
      impl_.log(spdlog::level::err, "http: handler threw on {} {} from {}", log_method_,
                log_target_, remote_);
    }
    if (reply_state->claim()) {
      post_reply(HttpResponse::text(500, "Internal server error\n"));
    }
  }

  void on_reply(std::optional<HttpResponse> response) {
    if (state_ != State::handling) {
      return;  // closed by a forced stop
    }
    self_.reset();  // the caller holds another reference
    if (!response) {
      impl_.log(spdlog::level::warn,
                "http: handler for {} {} from {} dropped its reply without answering", log_method_,
                log_target_, remote_);
      keep_alive_ = false;
      response = HttpResponse::text(500, "Internal server error\n");
    }
    send_response(std::move(*response));
  }

  void send_response(HttpResponse response) {
    state_ = State::writing;
    if (response.status < 200 || response.status > 599) {
      impl_.log(spdlog::level::err, "http: handler for {} {} answered status {}", log_method_,
                log_target_, response.status);
      response = HttpResponse::text(500, "Internal server error\n");
    }
    for (const auto& [name, value] : response.headers) {
      if (!valid_header(name, value)) {
        impl_.log(spdlog::level::err, "http: handler for {} {} set a malformed header \"{}\"",
                  log_method_, log_target_, name);
        response = HttpResponse::text(500, "Internal server error\n");
        break;
      }
    }
    bool close = !keep_alive_ || stopping();
    http::response_header<> header;
    header.version(version_);
    header.result(static_cast<unsigned>(response.status));
    if (!options().server_name.empty()) {
      header.set(http::field::server, options().server_name);
    }
    header.set(http::field::date, impl_.dates.now());
    if (!response.content_type.empty()) {
      header.set(http::field::content_type, response.content_type);
    }
    for (const auto& [name, value] : response.headers) {
      if (iequals(name, "connection")) {
        close = close || has_token(value, "close");
        continue;
      }
      // Framing is ours to decide.
      if (iequals(name, "content-length") || iequals(name, "transfer-encoding")) {
        continue;
      }
      // The handler's word replaces our defaults; other fields may repeat (Set-Cookie).
      if (iequals(name, "server") || iequals(name, "date") || iequals(name, "content-type")) {
        header.set(name, value);
      } else {
        header.insert(name, value);
      }
    }
    response_status_ = response.status;
    response_close_ = close;
    const bool no_content = response.status == 204 || response.status == 304;

    if (!response.file.empty() && !no_content) {
      http::file_body::value_type file;
      error_code ec;
      std::error_code fs_error;
      if (!std::filesystem::is_regular_file(response.file, fs_error)) {
        ec = std::make_error_code(std::errc::no_such_file_or_directory);
      } else {
        file.open(response.file.c_str(), beast::file_mode::scan, ec);
        if (!ec) {
          set_close_on_exec(file.file().native_handle());
        }
      }
      if (ec) {
        impl_.log(spdlog::level::err, "http: cannot open {} for {} {}: {}", response.file.string(),
                  log_method_, log_target_, ec.message());
        return send_response(HttpResponse::text(500, "Internal server error\n"));
      }
      const std::uint64_t size = file.size();
      response_bytes_ = head_request_ ? 0 : size;
      if (head_request_) {
        http::response<http::empty_body> message{std::move(header)};
        message.content_length(size);
        message.keep_alive(!close);
        return write(std::move(message));
      }
      http::response<http::file_body> message{std::move(header), std::move(file)};
      message.content_length(size);
      message.keep_alive(!close);
      return write(std::move(message));
    }
    if (no_content || head_request_) {
      http::response<http::empty_body> message{std::move(header)};
      if (!no_content) {
        message.content_length(response.body.size());
      }
      message.keep_alive(!close);
      response_bytes_ = 0;
      return write(std::move(message));
    }
    response_bytes_ = response.body.size();
    write_serialized(std::make_shared<Serialized>(serialize(header, response.body, close)));
  }

  // A response with a body in memory, serialised whole: status line, fields, framing
  // and body in one string. Beast's serializer would send it as a chain of a dozen small
  // buffers (one per field), and walking that chain was a tenth of the user time of a
  // ticket page (perf, web_bench).
  struct Serialized {
    std::string bytes;
    std::size_t sent = 0;
  };

  std::string serialize(const http::response_header<>& header, const std::string& body,
                        bool close) const {
    std::string text;
    text.reserve(256 + body.size());
    text += version_ == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    text += std::to_string(header.result_int());
    text += ' ';
    text += header.reason();
    text += "\r\n";
    for (const auto& field : header) {
      text += field.name_string();
      text += ": ";
      text += field.value();
      text += "\r\n";
    }
    text += "Content-Length: ";
    text += std::to_string(body.size());
    text += "\r\n";
    // As http::message::keep_alive() frames it: HTTP/1.1 says when it closes, HTTP/1.0
    // when it stays open.
    if (version_ == 10 && !close) {
      text += "Connection: keep-alive\r\n";
    } else if (version_ != 10 && close) {
      text += "Connection: close\r\n";
    }
    text += "\r\n";
    text += body;
    return text;
  }

  // Piece by piece like write_some(): the timeout bounds each write to a stalled client.
  void write_serialized(std::shared_ptr<Serialized> out) {
    lowest().expires_after(options().read_timeout);
    const asio::const_buffer rest(out->bytes.data() + out->sent, out->bytes.size() - out->sent);
    stream_.async_write_some(rest, [self = this->shared_from_this(), out = std::move(out)](
                                       error_code ec, std::size_t written) mutable {
      self->on_write_serialized(std::move(out), ec, written);
    });
  }

  // After a piece of a response went out: true when the connection is done with the
  // response (closed by a forced stop, or closed here because the write failed).
  bool write_ended(error_code ec) {
    if (state_ == State::closed) {
      return true;
    }
    if (!ec) {
      return false;
    }
    if (!peer_went_away(ec)) {
      impl_.log(spdlog::level::info, "http: writing the response to {} {} for {}: {}", log_method_,
                log_target_, remote_, ec.message());
    }
    finish_request();
    close_now();
    return true;
  }

  void on_write_serialized(std::shared_ptr<Serialized> out, error_code ec, std::size_t written) {
    if (write_ended(ec)) {
      return;
    }
    out->sent += written;
    if (out->sent < out->bytes.size()) {
      return write_serialized(std::move(out));
    }
    out.reset();
    on_written();
  }

  template <class Body>
  void write(http::response<Body>&& message) {
    write_some(std::make_shared<Outgoing<Body>>(std::move(message)));
  }

  // Piece by piece, so that the timeout bounds a stalled client rather than the whole
  // transfer of a large file.
  template <class Out>
  void write_some(std::shared_ptr<Out> out) {
    lowest().expires_after(options().read_timeout);
    Out& outgoing = *out;
    http::async_write_some(
        stream_, outgoing.serializer,
        [self = this->shared_from_this(), out = std::move(out)](
            error_code ec, std::size_t) mutable { self->on_write_some(std::move(out), ec); });
  }

  template <class Out>
  void on_write_some(std::shared_ptr<Out> out, error_code ec) {
    if (write_ended(ec)) {
      return;
    }
    if (!out->serializer.is_done()) {
      return write_some(std::move(out));
    }
    out.reset();
    on_written();
  }

  void on_written() {
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - request_started_);
    impl_.log(response_status_ >= 500 ? spdlog::level::warn : spdlog::level::debug,
              "http: {} \"{} {}\" {} {} bytes {} ms", remote_, log_method_, log_target_,
              response_status_, response_bytes_, elapsed.count());
    finish_request();
    if (response_close_ || stopping()) {
      return close_gracefully();
    }
    wait_for_request(false);
  }

  // Removes what the request left behind. The spool file is gone unless the handler
  // moved it away.
  void finish_request() noexcept {
    header_parser_.reset();
    string_parser_.reset();
    file_parser_.reset();
    if (!spool_file_.empty()) {
      std::error_code ignored;
      std::filesystem::remove(spool_file_, ignored);
      spool_file_.clear();
    }
  }

  void close_gracefully() {
    state_ = State::closing;
    lowest().expires_after(kCloseLinger);
    if constexpr (kTls) {
      stream_.async_shutdown([self = this->shared_from_this()](error_code) { self->close_now(); });
    } else {
      error_code ignored;
      lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
      drain();
    }
  }

  // Reads and discards until the peer closes or the linger deadline passes.
  void drain() {
    buffer_.clear();
    lowest().async_read_some(buffer_.prepare(kReadChunk),
                             [self = this->shared_from_this()](error_code ec, std::size_t) {
                               if (self->state_ == State::closed) {
                                 return;
                               }
                               if (ec) {
                                 return self->close_now();
                               }
                               self->drain();
                             });
  }

  void close_now() {
    state_ = State::closed;
    // Released at the end, not here: it may be the last reference to this object.
    const std::shared_ptr<Connection> keep = std::move(self_);
    error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    lowest().close();
  }

  void do_stop(bool force) {
    stopping_ = true;
    switch (state_) {
      case State::handshake:
      case State::idle:
      case State::closing:
        close_now();
        break;
      case State::reading:
      case State::writing:
        // Left to finish (read_timeout bounds them) unless forced.
        if (force) {
          close_now();
        }
        break;
      case State::handling:
        if (force) {
          impl_.log(spdlog::level::warn,
                    "http: stopping without the reply to {} {} from {}: the handler is late",
                    log_method_, log_target_, remote_);
          close_now();
        }
        break;
      case State::closed:
        break;
    }
  }

  Hold hold_;  // first member: released last
  HttpServer::Impl& impl_;
  const asio::any_io_executor strand_;
  Stream stream_;
  const std::string remote_;
  beast::flat_buffer buffer_;
  State state_ = State::handshake;
  bool stopping_ = false;
  std::shared_ptr<Connection> self_;

  std::optional<HeaderParser> header_parser_;
  std::optional<StringParser> string_parser_;
  std::optional<FileParser> file_parser_;
  HttpRequest request_;
  std::filesystem::path spool_file_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_request_ = false;

  std::string log_method_;
  std::string log_target_;
  std::chrono::steady_clock::time_point request_started_;
  int response_status_ = 0;
  std::uint64_t response_bytes_ = 0;
  bool response_close_ = false;
};

}  // namespace

Status HttpServer::Impl::open() {
  const std::optional<ListenAddress> address = parse_listen_address(options.listen);
  if (!address) {
    return {StatusCode::invalid_argument,
            "HTTP listen address \"" + options.listen + "\": expected host:port or [ipv6]:port"};
  }
  if (options.max_connections == 0) {
    return {StatusCode::invalid_argument,
            "HTTP server on " + options.listen + ": max_connections must be at least 1"};
  }
  const bool has_certificate = !options.tls_certificate_file.empty();
  const bool has_key = !options.tls_private_key_file.empty();
  if (has_certificate != has_key) {
    return {StatusCode::invalid_argument,
            "HTTP server on " + options.listen +
                ": TLS needs both a certificate file and a private key file"};
  }
  if (has_certificate) {
    tls.emplace(ssl::context::tls_server);
    tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                     ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(tls->native_handle(), TLS1_2_VERSION);
    const std::string certificate = options.tls_certificate_file.string();
    const std::string key = options.tls_private_key_file.string();
    error_code ec;
    tls->use_certificate_chain_file(certificate, ec);
    if (ec) {
      return {StatusCode::invalid_argument,
              "TLS certificate file " + certificate + ": " + ec.message()};
    }
    tls->use_private_key_file(key, ssl::context::pem, ec);
    if (ec) {
      return {StatusCode::invalid_argument, "TLS private key file " + key + ": " + ec.message()};
    }
    if (SSL_CTX_check_private_key(tls->native_handle()) != 1) {
      return {StatusCode::invalid_argument,
              "TLS private key file " + key + " does not match certificate " + certificate};
    }
  }

  error_code ec;
  tcp::endpoint endpoint;
  const asio::ip::address ip = asio::ip::make_address(address->host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(ip, address->port);
  } else {
    tcp::resolver resolver(executor);
    const auto results =
        resolver.resolve(address->host, std::to_string(address->port),
                         tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec || results.empty()) {
      return {StatusCode::invalid_argument, "HTTP listen address \"" + options.listen +
                                                "\": cannot resolve " + address->host +
                                                (ec ? ": " + ec.message() : std::string())};
    }
    endpoint = results.begin()->endpoint();
  }
  const auto fail = [&](const error_code& error) {
    return Status(StatusCode::unavailable,
                  "cannot listen on " + options.listen + ": " + error.message());
  };
  if (acceptor.open(endpoint.protocol(), ec); ec) {
    return fail(ec);
  }
  set_close_on_exec(acceptor.native_handle());
  if (acceptor.set_option(asio::socket_base::reuse_address(true), ec); ec) {
    return fail(ec);
  }
  if (acceptor.bind(endpoint, ec); ec) {
    return fail(ec);
  }
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
    return fail(ec);
  }
  const tcp::endpoint bound = acceptor.local_endpoint(ec);
  if (ec) {
    return fail(ec);
  }
  local_address = format_endpoint(bound);
  return {};
}

void HttpServer::Impl::begin_accepting() {
  log(spdlog::level::info, "http: listening on {}://{}", tls ? "https" : "http", local_address);
  asio::post(accept_strand, [hold = Hold(*this)] { hold->accept(); });
}

void HttpServer::Impl::accept() {
  bool paused = false;
  {
    std::lock_guard lock(mutex);
    if (stopping) {
      return;
    }
    if (connection_count >= options.max_connections) {
      // Left in the listen queue until a connection closes (remove_connection).
      accept_paused = true;
      paused = true;
    }
  }
  if (paused) {
    log(spdlog::level::debug, "http: {} connections open on {}; not accepting more for now",
        options.max_connections, local_address);
    return;
  }
  // Touched only here, on accept_strand.
  const asio::any_io_executor& target =
      options.connection_executors.empty()
          ? executor
          : options.connection_executors[next_connection_executor++ %
                                         options.connection_executors.size()];
  acceptor.async_accept(asio::make_strand(target),
                        [hold = Hold(*this)](error_code ec, tcp::socket socket) {
                          hold->on_accept(ec, std::move(socket));
                        });
}

void HttpServer::Impl::on_accept(error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || stopping) {
    return;
  }
  if (ec) {
    log(spdlog::level::warn, "http: accepting on {} failed: {}", local_address, ec.message());
    accept_retry.expires_after(kAcceptRetry);
    accept_retry.async_wait([hold = Hold(*this)](error_code wait_error) {
      if (!wait_error) {
        hold->accept();
      }
    });
    return;
  }
  set_close_on_exec(socket.native_handle());
  error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  const tcp::endpoint peer = socket.remote_endpoint(ignored);
  std::string remote = format_endpoint(peer);
  try {
    std::shared_ptr<ConnectionBase> connection;
    if (tls) {
      connection = std::make_shared<Connection<TlsStream>>(Hold(*this), std::move(socket),
                                                           std::move(remote));
    } else {
      connection = std::make_shared<Connection<PlainStream>>(Hold(*this), std::move(socket),
                                                             std::move(remote));
    }
    add_connection(connection);
    connection->start();
  } catch (const std::exception& e) {
    log(spdlog::level::err, "http: cannot serve a connection on {}: {}", local_address, e.what());
  }
  accept();
}

void HttpServer::Impl::add_connection(const std::shared_ptr<ConnectionBase>& connection) {
  std::lock_guard lock(mutex);
  connections.emplace(connection.get(), connection);
  ++connection_count;
}

void HttpServer::Impl::remove_connection(ConnectionBase* connection) noexcept {
  bool resume = false;
  {
    std::lock_guard lock(mutex);
    if (connections.erase(connection) == 0) {
      return;
    }
    --connection_count;
    resume = accept_paused && !stopping;
    if (resume) {
      accept_paused = false;
    }
  }
  if (resume) {
    // The closing connection still holds its Hold, so stop() cannot return before this
    // task has taken its own.
    try {
      asio::post(accept_strand, [hold = Hold(*this)] { hold->accept(); });
    } catch (...) {
      std::lock_guard lock(mutex);
      accept_paused = true;  // the next closing connection tries again
    }
  }
}

std::vector<std::shared_ptr<ConnectionBase>> HttpServer::Impl::live_connections() {
  std::vector<std::shared_ptr<ConnectionBase>> live;
  for (const auto& [raw, weak] : connections) {
    if (auto connection = weak.lock()) {
      live.push_back(std::move(connection));
    }
  }
  return live;
}

void HttpServer::Impl::stop() {
  std::unique_lock lock(mutex);
  if (!stopping.exchange(true)) {
    std::vector<std::shared_ptr<ConnectionBase>> live = live_connections();
    lock.unlock();
    log(spdlog::level::info, "http: stopping {} ({} connections open)", local_address, live.size());
    asio::post(accept_strand, [hold = Hold(*this)] {
      error_code ignored;
      hold->acceptor.close(ignored);
      hold->accept_retry.cancel();
    });
    for (const auto& connection : live) {
      connection->post_stop(false);
    }
    // Dropped outside the lock: the last reference to a connection may be this one.
    live.clear();
    lock.lock();
    if (!drained.wait_for(lock, options.stop_timeout, [this] { return outstanding == 0; })) {
      std::vector<std::shared_ptr<ConnectionBase>> busy = live_connections();
      lock.unlock();
      log(spdlog::level::warn, "http: {} requests on {} still unanswered after {} ms; closing",
          busy.size(), local_address, options.stop_timeout.count());
      for (const auto& connection : busy) {
        connection->post_stop(true);
      }
      busy.clear();
      lock.lock();
    }
  }
  drained.wait(lock, [this] { return outstanding == 0; });
}

Result<std::unique_ptr<HttpServer>> HttpServer::start(boost::asio::any_io_executor executor,
                                                      HttpServerOptions options, Handler handler,
                                                      std::shared_ptr<spdlog::logger> logger,
                                                      Planner planner) {
  try {
    if (!handler) {
      return Status(StatusCode::invalid_argument,
                    "HTTP server on " + options.listen + ": no request handler");
    }
    auto impl = std::make_shared<Impl>(std::move(executor), std::move(options), std::move(handler),
                                       std::move(logger), std::move(planner));
    if (Status status = impl->open(); !status.ok()) {
      return status;
    }
    std::unique_ptr<HttpServer> server(new HttpServer(impl));
    impl->begin_accepting();
    return server;
  } catch (const std::exception& e) {
    return Status(StatusCode::internal, std::string("starting the HTTP server: ") + e.what());
  }
}

HttpServer::HttpServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { stop(); }

std::string HttpServer::local_address() const { return impl_->local_address; }

std::string HttpServer::scheme() const { return impl_->tls ? "https" : "http"; }

void HttpServer::stop() {
  if (impl_) {
    impl_->stop();
  }
}

}  // namespace supportgw::sdk
