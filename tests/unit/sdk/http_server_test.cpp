// The SDK's HTTP server driven by the real curl (and a raw socket where curl is too
// polite), on an io_context run by two threads as a plugin's executor would be.

#include "supportgw/sdk/http_server.hpp"
#include "supportgw/sdk/io_pool.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace supportgw::sdk {
namespace {

namespace fs = std::filesystem;
using supportgw::testing::ProgramResult;
using supportgw::testing::run_program;
using supportgw::testing::TempDir;

// --- the Beast-free helpers -------------------------------------------------------------

TEST(HttpUtil, PercentDecodeDecodesEscapesAndOptionallyPlus) {
  EXPECT_EQ(percent_decode("a%20b", false), "a b");
  EXPECT_EQ(percent_decode("J%C3%B6rg", false), "J\xC3\xB6rg");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_EQ(percent_decode("%2f%2F", false), "//");
  EXPECT_EQ(percent_decode("", false), "");
}

TEST(HttpUtil, PercentDecodeRejectsMalformedEscapes) {
  EXPECT_EQ(percent_decode("%", false), std::nullopt);
  EXPECT_EQ(percent_decode("abc%4", false), std::nullopt);
  EXPECT_EQ(percent_decode("%zz", false), std::nullopt);
  EXPECT_EQ(percent_decode("%4g", true), std::nullopt);
  EXPECT_EQ(percent_decode("100%", true), std::nullopt);
}

TEST(HttpUtil, BearerTokenTakesTheSchemeInAnyCaseAndTrimsBlanks) {
  HttpRequest request;
  EXPECT_EQ(bearer_token(request), "");
  request.headers = {{"authorization", "Bearer  abc123 \t"}};
  EXPECT_EQ(bearer_token(request), "abc123");
  request.headers = {{"authorization", "bEaReR xyz"}};
  EXPECT_EQ(bearer_token(request), "xyz");
  request.headers = {{"authorization", "Basic dXNlcjpwdw=="}};
  EXPECT_EQ(bearer_token(request), "");
  request.headers = {{"authorization", "Bearer "}};
  EXPECT_EQ(bearer_token(request), "");
}

TEST(HttpUtil, HtmlEscapeCoversTextAndAttributes) {
  EXPECT_EQ(html_escape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  EXPECT_EQ(html_escape("plain"), "plain");
  EXPECT_EQ(html_escape(""), "");
}

TEST(HttpUtil, ParseListenAddressAcceptsHostPortAndBracketedIpv6) {
  auto v4 = parse_listen_address("127.0.0.1:8080");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 8080);
  auto v6 = parse_listen_address("[::1]:0");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  auto any = parse_listen_address("0.0.0.0:443");
  ASSERT_TRUE(any);
  EXPECT_EQ(any->port, 443);
  auto name = parse_listen_address("localhost:65535");
  ASSERT_TRUE(name);
  EXPECT_EQ(name->host, "localhost");
  EXPECT_EQ(name->port, 65535);
}

TEST(HttpUtil, ParseListenAddressRejectsMalformed) {
  for (const char* bad :
       {"", "127.0.0.1", ":80", "127.0.0.1:", "::1:80", "[::1]80", "[]:80", "[::1]:", "host:65536",
        "host:99999", "host:-1", "host:80x", "host:+80", "[::1:80"}) {
    EXPECT_EQ(parse_listen_address(bad), std::nullopt) << bad;
  }
}

TEST(HttpUtil, RequestHeaderAndQueryParameter) {
  HttpRequest request;
  request.headers = {{"content-type", "text/plain"}, {"x-twice", "first"}, {"x-twice", "second"}};
  request.query = "a=1&b=x+y%21&c&d=%zz&e%5B%5D=array";
  ASSERT_NE(request.header("Content-Type"), nullptr);
  EXPECT_EQ(*request.header("Content-Type"), "text/plain");
  EXPECT_EQ(*request.header("X-TWICE"), "first");
  EXPECT_EQ(request.header("missing"), nullptr);
  EXPECT_EQ(request.query_parameter("a"), "1");
  EXPECT_EQ(request.query_parameter("b"), "x y!");
  EXPECT_EQ(request.query_parameter("c"), "");
  EXPECT_EQ(request.query_parameter("d"), std::nullopt);
  EXPECT_EQ(request.query_parameter("e[]"), "array");
  EXPECT_EQ(request.query_parameter("missing"), std::nullopt);
}

TEST(HttpUtil, ResponseShorthandsSetContentType) {
  EXPECT_EQ(HttpResponse::text(404, "x").content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(HttpResponse::json(201, "{}").content_type, "application/json");
  HttpResponse html = HttpResponse::html(200, "<p>");
  EXPECT_EQ(html.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(html.status, 200);
  EXPECT_EQ(html.body, "<p>");
}

// --- the server --------------------------------------------------------------------------

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

// Bytes that differ from position to position, so a shifted or truncated copy shows.
std::string pattern_bytes(std::size_t size) {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    bytes[i] = static_cast<char>((i * 31 + 7) % 251);
  }
  return bytes;
}

ProgramResult curl(const std::vector<std::string>& arguments) {
  std::vector<std::string> argv = {"curl",       "--silent", "--show-error", "--noproxy", "*",
                                   "--max-time", "60"};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return run_program(argv);
}

// A plain client socket for what curl will not do: send half a request, send a
// malformed target, keep a connection open and silent.
class RawClient {
 public:
  explicit RawClient(const std::string& address) {
    const std::size_t colon = address.rfind(':');
    sockaddr_in peer{};
    peer.sin_family = AF_INET;
    peer.sin_port = htons(static_cast<std::uint16_t>(std::stoi(address.substr(colon + 1))));
    if (inet_pton(AF_INET, address.substr(0, colon).c_str(), &peer.sin_addr) != 1) {
      throw std::runtime_error("not an IPv4 address: " + address);
    }
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    // A safety net against a hanging test, not a measurement.
    timeval timeout{60, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&peer), sizeof peer) != 0) {
      throw std::runtime_error("connect to " + address + " failed");
    }
  }
  ~RawClient() { close(); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  void send(const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) {
        throw std::runtime_error("send failed");
      }
      sent += static_cast<std::size_t>(n);
    }
  }

  // Reads until the server closes (or resets) the connection; false when the safety
  // timeout ran out first.
  bool read_until_closed(std::string& data) {
    char chunk[4096];
    for (;;) {
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n > 0) {
        data.append(chunk, static_cast<std::size_t>(n));
      } else if (n == 0 || errno == ECONNRESET) {
        return true;
      } else if (errno != EINTR) {
        return false;
      }
    }
  }

  // Reads until `data` ends with `suffix`; false when the connection ended first.
  bool read_until_suffix(std::string& data, const std::string& suffix) {
    char chunk[4096];
    while (data.size() < suffix.size() ||
           data.compare(data.size() - suffix.size(), suffix.size(), suffix) != 0) {
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n > 0) {
        data.append(chunk, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        return false;
      }
    }
    return true;
  }

  void close() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

 private:
  int fd_ = -1;
};

class HttpServerTest : public ::testing::Test {
 protected:
  HttpServerTest() {
    logger_ = std::make_shared<spdlog::logger>(
        "http-test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_));
    logger_->set_level(spdlog::level::debug);
    for (int i = 0; i < 2; ++i) {
      threads_.emplace_back([this] { io_.run(); });
    }
  }
  ~HttpServerTest() override {
    work_.reset();
    for (std::thread& thread : threads_) {
      thread.join();
    }
  }

  std::unique_ptr<HttpServer> start(HttpServerOptions options, HttpServer::Handler handler,
                                    HttpServer::Planner planner = {}) {
    Result<std::unique_ptr<HttpServer>> server = HttpServer::start(
        io_.get_executor(), std::move(options), std::move(handler), logger_, std::move(planner));
    if (!server.ok()) {
      ADD_FAILURE() << server.status().message();
      return nullptr;
    }
    return std::move(server).value();
  }

  static std::string url(const HttpServer& server, const std::string& target) {
    return server.scheme() + "://" + server.local_address() + target;
  }

  static HttpServer::Handler answer(std::string text) {
    return [text](HttpRequest&&, HttpServer::Reply reply) { reply(HttpResponse::text(200, text)); };
  }

  // Read only once the servers are stopped: the sink writes from the io threads.
  std::string log_text() const { return log_.str(); }

  TempDir dir_;
  std::ostringstream log_;
  std::shared_ptr<spdlog::logger> logger_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
      boost::asio::make_work_guard(io_);
  std::vector<std::thread> threads_;
};

TEST_F(HttpServerTest, GetAndPostRoundTrip) {
  HttpServerOptions options;
  options.server_name = "test-server";
  auto server = start(options, [](HttpRequest&& request, HttpServer::Reply reply) {
    const std::string* test_header = request.header("x-test");
    HttpResponse response = HttpResponse::text(
        200, request.method + "|" + request.path + "|" +
                 request.query_parameter("name").value_or("-") + "|" +
                 (test_header != nullptr ? *test_header : "-") + "|" + request.body + "|" +
                 (request.remote_address.rfind("127.0.0.1:", 0) == 0 ? "local" : "?") + "|" +
                 (request.tls ? "tls" : "plain"));
    response.headers.emplace_back("X-Reply", "yes");
    reply(std::move(response));
  });
  ASSERT_TRUE(server);
  EXPECT_EQ(server->scheme(), "http");
  EXPECT_EQ(server->local_address().rfind("127.0.0.1:", 0), 0u) << server->local_address();

  ProgramResult get =
      curl({"-i", "-H", "X-Test: abc", url(*server, "/hello%20world?name=J%C3%B6rg")});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  EXPECT_NE(get.out.find("HTTP/1.1 200 OK\r\n"), std::string::npos) << get.out;
  EXPECT_NE(get.out.find("Server: test-server\r\n"), std::string::npos) << get.out;
  EXPECT_NE(get.out.find("X-Reply: yes\r\n"), std::string::npos) << get.out;
  EXPECT_NE(get.out.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(get.out.find("\r\n\r\nGET|/hello world|J\xC3\xB6rg|abc||local|plain"),
            std::string::npos)
      << get.out;

  ProgramResult post = curl({"--data-binary", "some body", url(*server, "/submit")});
  ASSERT_EQ(post.exit_code, 0) << post.err;
  EXPECT_EQ(post.out, "POST|/submit|-|-|some body|local|plain");
}

TEST_F(HttpServerTest, KeepAliveReusesTheConnection) {
  auto server = start({}, answer("ok"));
  ASSERT_TRUE(server);
  ProgramResult two = curl({"-w", "[%{num_connects}]", url(*server, "/a"), url(*server, "/b")});
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_EQ(two.out, "ok[1]ok[0]");
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  auto server = start({}, answer("ok"));
  ASSERT_TRUE(server);
  ProgramResult two = curl({"-i", "-H", "Connection: close", "-w", "[%{num_connects}]",
                            url(*server, "/a"), url(*server, "/b")});
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_NE(two.out.find("Connection: close\r\n"), std::string::npos) << two.out;
  EXPECT_NE(two.out.find("ok[1]"), std::string::npos) << two.out;
  EXPECT_EQ(two.out.find("[0]"), std::string::npos) << two.out;
}

// A body in memory goes out serialised in one piece: the status line, every field once,
// the framing, then the body, as Beast's serializer would have written it.
TEST_F(HttpServerTest, HttpOneZeroKeepsTheConnectionOnlyWhenAsked) {
  auto server = start({}, [](HttpRequest&& request, HttpServer::Reply reply) {
    HttpResponse response = HttpResponse::text(200, request.path);
    response.headers.emplace_back("Set-Cookie", "a=1");
    response.headers.emplace_back("Set-Cookie", "b=2");
    reply(std::move(response));
  });
  ASSERT_TRUE(server);
  RawClient client(server->local_address());
  client.send("GET /first HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /second HTTP/1.0\r\n\r\n");
  std::string received;
  EXPECT_TRUE(client.read_until_closed(received)) << "closed after the second, as 1.0 asks";
  const auto second = received.find("HTTP/1.0 200 OK\r\n", 1);
  ASSERT_EQ(received.rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << received;
  ASSERT_NE(second, std::string::npos) << received;
  const std::string first_response = received.substr(0, second);
  const std::string second_response = received.substr(second);
  EXPECT_NE(first_response.find("\r\nConnection: keep-alive\r\n"), std::string::npos)
      << first_response;
  EXPECT_NE(first_response.find("\r\nContent-Length: 6\r\n"), std::string::npos);
  EXPECT_NE(first_response.find("\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n"), std::string::npos)
      << first_response;
  EXPECT_NE(first_response.find("\r\nDate: "), std::string::npos);
  EXPECT_EQ(first_response.substr(first_response.size() - 10), "\r\n\r\n/first");
  EXPECT_EQ(second_response.find("Connection: keep-alive"), std::string::npos) << second_response;
  EXPECT_EQ(second_response.substr(second_response.size() - 11), "\r\n\r\n/second");
}

TEST_F(HttpServerTest, ALargeBodyInMemoryArrivesWhole) {
  const std::string body = pattern_bytes(6 * 1024 * 1024 + 5);
  auto server = start(
      {}, [&](HttpRequest&&, HttpServer::Reply reply) { reply(HttpResponse::text(200, body)); });
  ASSERT_TRUE(server);
  ProgramResult got = curl({"--limit-rate", "20M", url(*server, "/big")});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  EXPECT_EQ(got.out.size(), body.size());
  EXPECT_TRUE(got.out == body);
}

// A pool with a context per thread, its executors given as connection_executors: the
// connections take turns, so two connections are served by the two threads, and each
// connection's requests stay on its thread.
TEST_F(HttpServerTest, ConnectionsAreSpreadOverThePoolsContexts) {
  IoPool pool(2, IoPool::Sharing::context_per_thread);
  ASSERT_EQ(pool.executors().size(), 2u);
  std::mutex mutex;
  std::map<std::string, std::set<std::thread::id>> threads_by_client;
  HttpServerOptions options;
  options.connection_executors = pool.executors();
  Result<std::unique_ptr<HttpServer>> started = HttpServer::start(
      pool.executor(), options,
      [&](HttpRequest&& request, HttpServer::Reply reply) {
        {
          std::lock_guard lock(mutex);
          threads_by_client[request.query].insert(std::this_thread::get_id());
        }
        reply(HttpResponse::text(200, "ok"));
      },
      logger_);
  ASSERT_TRUE(started.ok()) << started.status().message();
  std::unique_ptr<HttpServer> server = std::move(started).value();
  const std::string base = server->scheme() + "://" + server->local_address();
  for (const char* client : {"a", "b"}) {
    // One curl, one keep-alive connection, three requests.
    ProgramResult run = curl({base + "/?" + client, base + "/?" + client, base + "/?" + client});
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  server->stop();
  pool.stop();
  ASSERT_EQ(threads_by_client.size(), 2u);
  ASSERT_EQ(threads_by_client["a"].size(), 1u) << "a connection stays on its thread";
  ASSERT_EQ(threads_by_client["b"].size(), 1u);
  EXPECT_NE(*threads_by_client["a"].begin(), *threads_by_client["b"].begin());
}

TEST_F(HttpServerTest, BodyOverTheLimitGets413) {
  HttpServerOptions options;
  options.max_body_bytes = 1024;
  std::atomic<int> handled{0};
  auto server = start(
      options,
      [&](HttpRequest&& request, HttpServer::Reply reply) {
        ++handled;
        reply(HttpResponse::text(200, std::to_string(request.body.size())));
      },
      [](const HttpRequest& head) {
        // A larger allowance for one path.
        return head.path == "/big" ? BodyPlan{false, 100'000} : BodyPlan{};
      });
  ASSERT_TRUE(server);
  write_file(dir_ / "body", pattern_bytes(4096));
  const std::string body = "@" + (dir_ / "body").string();

  ProgramResult declared = curl(
      {"-o", "/dev/null", "-w", "%{http_code}", "--data-binary", body, url(*server, "/small")});
  EXPECT_EQ(declared.out, "413") << declared.err;
  ProgramResult chunked =
      curl({"-o", "/dev/null", "-w", "%{http_code}", "-H", "Transfer-Encoding: chunked",
            "--data-binary", body, url(*server, "/small")});
  EXPECT_EQ(chunked.out, "413") << chunked.err;
  EXPECT_EQ(handled.load(), 0);

  ProgramResult allowed = curl({"--data-binary", body, url(*server, "/big")});
  EXPECT_EQ(allowed.out, "4096") << allowed.err;
}

TEST_F(HttpServerTest, HugeHeaderGets431) {
  HttpServerOptions options;
  options.max_header_bytes = 4096;
  auto server = start(options, answer("ok"));
  ASSERT_TRUE(server);
  ProgramResult result = curl({"-o", "/dev/null", "-w", "%{http_code}", "-H",
                               "X-Big: " + std::string(20'000, 'a'), url(*server, "/")});
  EXPECT_EQ(result.out, "431") << result.err;
  ProgramResult fine = curl({"-H", "X-Small: " + std::string(1000, 'a'), url(*server, "/")});
  EXPECT_EQ(fine.out, "ok") << fine.err;
}

struct SeenUpload {
  fs::path body_file;
  std::uint64_t body_size = 0;
  bool existed = false;
  bool content_matches = false;
  bool body_string_empty = false;
  std::string expect;
};

TEST_F(HttpServerTest, PlannerSendsTheBodyToAFileThatIsDeletedAfterTheReply) {
  const fs::path spool = dir_ / "spool";
  fs::create_directories(spool);
  const std::string content = pattern_bytes(5 * 1024 * 1024);
  write_file(dir_ / "dump.bin", content);

  HttpServerOptions options;
  options.spool_dir = spool;
  std::mutex mutex;
  std::optional<SeenUpload> seen;
  auto server = start(
      options,
      [&](HttpRequest&& request, HttpServer::Reply reply) {
        SeenUpload upload;
        upload.body_file = request.body_file;
        upload.body_size = request.body_size;
        upload.existed = fs::exists(request.body_file);
        upload.content_matches = read_file(request.body_file) == content;
        upload.body_string_empty = request.body.empty();
        upload.expect = request.header("expect") != nullptr ? *request.header("expect") : "";
        {
          std::lock_guard lock(mutex);
          seen = upload;
        }
        reply(HttpResponse::text(201, "stored"));
      },
      [](const HttpRequest& head) {
        EXPECT_TRUE(head.body.empty());
        return head.path == "/upload" ? BodyPlan{true, 64ull * 1024 * 1024} : BodyPlan{};
      });
  ASSERT_TRUE(server);

  ProgramResult upload = curl({"-w", "|%{http_code}", "--data-binary",
                               "@" + (dir_ / "dump.bin").string(), url(*server, "/upload")});
  ASSERT_EQ(upload.exit_code, 0) << upload.err;
  EXPECT_EQ(upload.out, "stored|201");
  // Waits until every connection is gone, and with it the reply's clean-up.
  server.reset();

  std::lock_guard lock(mutex);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->body_file.parent_path(), spool);
  EXPECT_EQ(seen->body_size, content.size());
  EXPECT_TRUE(seen->existed);
  EXPECT_TRUE(seen->content_matches);
  EXPECT_TRUE(seen->body_string_empty);
  EXPECT_EQ(seen->expect, "100-continue");  // curl asks before sending a large body
  EXPECT_FALSE(fs::exists(seen->body_file));
  EXPECT_TRUE(fs::is_empty(spool));
}

TEST_F(HttpServerTest, ASpoolFileTheHandlerMovedAwayIsKept) {
  const fs::path spool = dir_ / "spool";
  fs::create_directories(spool);
  write_file(dir_ / "dump.bin", pattern_bytes(300'000));
  HttpServerOptions options;
  options.spool_dir = spool;
  const fs::path kept = dir_ / "kept.bin";
  auto server = start(
      options,
      [&](HttpRequest&& request, HttpServer::Reply reply) {
        fs::rename(request.body_file, kept);
        reply(HttpResponse::text(201, std::to_string(request.body_size)));
      },
      [](const HttpRequest&) {
        return BodyPlan{true, 0};
      });
  ASSERT_TRUE(server);
  ProgramResult upload =
      curl({"--data-binary", "@" + (dir_ / "dump.bin").string(), url(*server, "/upload")});
  EXPECT_EQ(upload.out, "300000") << upload.err;
  server.reset();
  EXPECT_EQ(read_file(kept), pattern_bytes(300'000));
  EXPECT_TRUE(fs::is_empty(spool));
}

TEST_F(HttpServerTest, ReplyFromAnotherThread) {
  std::mutex mutex;
  std::vector<std::thread> repliers;
  auto server = start({}, [&](HttpRequest&& request, HttpServer::Reply reply) {
    std::lock_guard lock(mutex);
    repliers.emplace_back([path = request.path, reply = std::move(reply)] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      reply(HttpResponse::text(200, "later:" + path));
    });
  });
  ASSERT_TRUE(server);
  ProgramResult result =
      curl({"-w", "[%{num_connects}]", url(*server, "/one"), url(*server, "/two")});
  EXPECT_EQ(result.out, "later:/one[1]later:/two[0]") << result.err;

  // Many at once, over both io threads.
  std::vector<std::string> parallel = {"--parallel", "--parallel-immediate"};
  for (int i = 0; i < 16; ++i) {
    parallel.push_back(url(*server, "/p"));
  }
  ProgramResult many = curl(parallel);
  EXPECT_EQ(many.exit_code, 0) << many.err;
  std::string expected;
  for (int i = 0; i < 16; ++i) {
    expected += "later:/p";
  }
  EXPECT_EQ(many.out, expected);

  server.reset();
  std::lock_guard lock(mutex);
  for (std::thread& thread : repliers) {
    thread.join();
  }
}

TEST_F(HttpServerTest, HandlerThatThrowsGets500AndTheConnectionLivesOn) {
  auto server = start({}, [](HttpRequest&& request, HttpServer::Reply reply) {
    if (request.path == "/throw") {
      throw std::runtime_error("boom in the handler");
    }
    reply(HttpResponse::text(200, "fine"));
  });
  ASSERT_TRUE(server);
  ProgramResult result =
      curl({"-o", "/dev/null", "-o", "/dev/null", "-w", "[%{http_code}:%{num_connects}]",
            url(*server, "/throw"), url(*server, "/fine")});
  EXPECT_EQ(result.out, "[500:1][200:0]") << result.err;
  server.reset();
  EXPECT_NE(log_text().find("boom in the handler"), std::string::npos) << log_text();
}

TEST_F(HttpServerTest, ReplyDroppedUnansweredGets500AndCloses) {
  auto server = start({}, [](HttpRequest&&, HttpServer::Reply) {});
  ASSERT_TRUE(server);
  ProgramResult result =
      curl({"-o", "/dev/null", "-o", "/dev/null", "-w", "[%{http_code}:%{num_connects}]",
            url(*server, "/a"), url(*server, "/b")});
  EXPECT_EQ(result.out, "[500:1][500:1]") << result.err;
}

TEST_F(HttpServerTest, SlowClientIsDroppedByTheReadTimeout) {
  HttpServerOptions options;
  options.read_timeout = std::chrono::milliseconds(300);
  std::atomic<int> handled{0};
  auto server = start(options, [&](HttpRequest&&, HttpServer::Reply reply) {
    ++handled;
    reply(HttpResponse::text(200, "ok"));
  });
  ASSERT_TRUE(server);
  RawClient client(server->local_address());
  client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
  std::string received;
  EXPECT_TRUE(client.read_until_closed(received)) << "the server kept a half request open";
  EXPECT_EQ(received, "");
  EXPECT_EQ(handled.load(), 0);
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosed) {
  HttpServerOptions options;
  options.idle_timeout = std::chrono::milliseconds(300);
  auto server = start(options, answer("ok"));
  ASSERT_TRUE(server);
  RawClient client(server->local_address());
  client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string received;
  EXPECT_TRUE(client.read_until_closed(received));
  EXPECT_EQ(received.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << received;
  EXPECT_NE(received.find("\r\n\r\nok"), std::string::npos) << received;
}

TEST_F(HttpServerTest, TargetsThatAreNotOriginFormGet400) {
  std::atomic<int> handled{0};
  auto server = start({}, [&](HttpRequest&&, HttpServer::Reply reply) {
    ++handled;
    reply(HttpResponse::text(200, "ok"));
  });
  ASSERT_TRUE(server);
  for (const char* request_line :
       {"GET http://example.com/ HTTP/1.1", "OPTIONS * HTTP/1.1", "GET /a%zz HTTP/1.1",
        "GET /nul%00byte HTTP/1.1", "GET example.com:80 HTTP/1.1"}) {
    RawClient client(server->local_address());
    client.send(std::string(request_line) + "\r\nHost: x\r\n\r\n");
    std::string received;
    EXPECT_TRUE(client.read_until_closed(received)) << request_line;
    EXPECT_EQ(received.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u)
        << request_line << ": " << received;
  }
  EXPECT_EQ(handled.load(), 0);
}

TEST_F(HttpServerTest, HeadGetsTheHeadersWithoutTheBody) {
  auto server = start({}, answer("hello world"));
  ASSERT_TRUE(server);
  RawClient client(server->local_address());
  client.send("HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::string received;
  EXPECT_TRUE(client.read_until_closed(received));
  EXPECT_NE(received.find("Content-Length: 11\r\n"), std::string::npos) << received;
  EXPECT_EQ(received.size() - received.find("\r\n\r\n"), 4u) << received;
}

TEST_F(HttpServerTest, FileResponsesAreStreamed) {
  const std::string content = pattern_bytes(3 * 1024 * 1024 + 17);
  write_file(dir_ / "download.bin", content);
  auto server = start({}, [&](HttpRequest&& request, HttpServer::Reply reply) {
    HttpResponse response;
    response.content_type = "application/octet-stream";
    response.file = dir_ / (request.path == "/file" ? "download.bin" : "missing.bin");
    reply(std::move(response));
  });
  ASSERT_TRUE(server);
  ProgramResult download =
      curl({"-o", (dir_ / "got.bin").string(), "-w", "%{http_code}", url(*server, "/file")});
  EXPECT_EQ(download.out, "200") << download.err;
  EXPECT_TRUE(read_file(dir_ / "got.bin") == content);
  ProgramResult missing = curl({"-o", "/dev/null", "-w", "%{http_code}", url(*server, "/missing")});
  EXPECT_EQ(missing.out, "500") << missing.err;
}

TEST_F(HttpServerTest, TlsWithASelfSignedCertificate) {
  const fs::path certificate = dir_ / "cert.pem";
  const fs::path key = dir_ / "key.pem";
  ProgramResult openssl = run_program({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                                       "-subj", "/CN=localhost", "-days", "1", "-addext",
                                       "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout",
                                       key.string(), "-out", certificate.string()});
  ASSERT_EQ(openssl.exit_code, 0) << openssl.err;

  HttpServerOptions options;
  options.tls_certificate_file = certificate;
  options.tls_private_key_file = key;
  auto server = start(options, [](HttpRequest&& request, HttpServer::Reply reply) {
    reply(HttpResponse::text(200, request.tls ? "secure" : "plain"));
  });
  ASSERT_TRUE(server);
  EXPECT_EQ(server->scheme(), "https");
  const std::string port = server->local_address().substr(server->local_address().rfind(':') + 1);
  const std::string base = "https://localhost:" + port;
  ProgramResult result =
      curl({"--cacert", certificate.string(), "--resolve", "localhost:" + port + ":127.0.0.1", "-w",
            "[%{num_connects}]", base + "/a", base + "/b"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "secure[1]secure[0]");

  ProgramResult old_protocol = curl({"-k", "--tlsv1.0", "--tls-max", "1.1", url(*server, "/")});
  EXPECT_NE(old_protocol.exit_code, 0) << old_protocol.out;

  ProgramResult plain = curl({"-w", "%{http_code}", "http://" + server->local_address() + "/"});
  EXPECT_NE(plain.out, "200");
}

TEST_F(HttpServerTest, UnreadableCertificateIsAnInvalidArgumentNamingTheFile) {
  HttpServerOptions options;
  options.tls_certificate_file = dir_ / "no-such-cert.pem";
  options.tls_private_key_file = dir_ / "no-such-key.pem";
  Result<std::unique_ptr<HttpServer>> server =
      HttpServer::start(io_.get_executor(), options, answer("x"), logger_);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), StatusCode::invalid_argument);
  EXPECT_NE(server.status().message().find("no-such-cert.pem"), std::string::npos)
      << server.status().message();

  options.tls_private_key_file.clear();
  Result<std::unique_ptr<HttpServer>> half =
      HttpServer::start(io_.get_executor(), options, answer("x"), logger_);
  ASSERT_FALSE(half.ok());
  EXPECT_EQ(half.status().code(), StatusCode::invalid_argument);
}

TEST_F(HttpServerTest, BadListenAddressIsAnInvalidArgument) {
  for (const char* listen : {"nonsense", "127.0.0.1:70000", "127.0.0.1", "[::1:80"}) {
    HttpServerOptions options;
    options.listen = listen;
    Result<std::unique_ptr<HttpServer>> server =
        HttpServer::start(io_.get_executor(), options, answer("x"), logger_);
    ASSERT_FALSE(server.ok()) << listen;
    EXPECT_EQ(server.status().code(), StatusCode::invalid_argument) << listen;
    EXPECT_NE(server.status().message().find(listen), std::string::npos)
        << server.status().message();
  }
}

TEST_F(HttpServerTest, PortInUseIsUnavailable) {
  auto first = start({}, answer("first"));
  ASSERT_TRUE(first);
  HttpServerOptions options;
  options.listen = first->local_address();
  Result<std::unique_ptr<HttpServer>> second =
      HttpServer::start(io_.get_executor(), options, answer("second"), logger_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::unavailable);
  EXPECT_NE(second.status().message().find(first->local_address()), std::string::npos)
      << second.status().message();
  EXPECT_NE(second.status().message().find("in use"), std::string::npos)
      << second.status().message();
}

TEST_F(HttpServerTest, RestartsOnTheSamePortAndResolvesNames) {
  auto first = start({}, answer("first"));
  ASSERT_TRUE(first);
  EXPECT_EQ(curl({url(*first, "/")}).out, "first");
  const std::string address = first->local_address();
  first->stop();
  first->stop();  // idempotent
  first.reset();

  HttpServerOptions options;
  options.listen = address;
  auto again = start(options, answer("again"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->local_address(), address);
  EXPECT_EQ(curl({url(*again, "/")}).out, "again");
  again.reset();

  HttpServerOptions named;
  named.listen = "localhost:0";
  auto by_name = start(named, answer("named"));
  ASSERT_TRUE(by_name);
  EXPECT_EQ(curl({url(*by_name, "/")}).out, "named");
}

TEST_F(HttpServerTest, ListensOnIpv6Loopback) {
  HttpServerOptions options;
  options.listen = "[::1]:0";
  Result<std::unique_ptr<HttpServer>> server =
      HttpServer::start(io_.get_executor(), options, answer("six"), logger_);
  if (!server.ok()) {
    GTEST_SKIP() << "no IPv6 loopback here: " << server.status().message();
  }
  EXPECT_EQ(server.value()->local_address().rfind("[::1]:", 0), 0u)
      << server.value()->local_address();
  EXPECT_EQ(curl({url(*server.value(), "/")}).out, "six");
}

TEST_F(HttpServerTest, StopWaitsForTheReplyToARequestInFlight) {
  std::promise<HttpServer::Reply> handed_over;
  auto server = start(
      {}, [&](HttpRequest&&, HttpServer::Reply reply) { handed_over.set_value(std::move(reply)); });
  ASSERT_TRUE(server);
  const std::string target = url(*server, "/slow");
  auto client = std::async(std::launch::async, [&] { return curl({"-i", target}); });
  HttpServer::Reply reply = handed_over.get_future().get();

  auto stopping = std::async(std::launch::async, [&] { server->stop(); });
  // Cannot be ready whatever the timing: the reply has not been given.
  EXPECT_EQ(stopping.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
  // Not accepting any more.
  EXPECT_NE(curl({target}).exit_code, 0);

  reply(HttpResponse::text(200, "worth the wait"));
  stopping.get();
  ProgramResult result = client.get();
  ASSERT_EQ(result.exit_code, 0) << result.err << log_text();
  EXPECT_NE(result.out.find("HTTP/1.1 200 OK"), std::string::npos);
  EXPECT_NE(result.out.find("Connection: close"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("worth the wait"), std::string::npos);
}

TEST_F(HttpServerTest, StopGivesUpOnAHandlerThatNeverReplies) {
  HttpServerOptions options;
  options.stop_timeout = std::chrono::milliseconds(300);
  std::promise<HttpServer::Reply> handed_over;
  auto server = start(options, [&](HttpRequest&&, HttpServer::Reply reply) {
    handed_over.set_value(std::move(reply));
  });
  ASSERT_TRUE(server);
  const std::string target = url(*server, "/never");
  auto client = std::async(std::launch::async, [&] { return curl({target}); });
  HttpServer::Reply reply = handed_over.get_future().get();
  server->stop();
  EXPECT_NE(client.get().exit_code, 0);
  // A reply after stop() goes nowhere, harmlessly.
  reply(HttpResponse::text(200, "too late"));
}

TEST_F(HttpServerTest, MaxConnectionsHoldsFurtherClientsBackUntilOneCloses) {
  HttpServerOptions options;
  options.max_connections = 1;
  std::atomic<int> handled{0};
  auto server = start(options, [&](HttpRequest&&, HttpServer::Reply reply) {
    ++handled;
    reply(HttpResponse::text(200, "ok"));
  });
  ASSERT_TRUE(server);
  RawClient first(server->local_address());
  first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string received;
  ASSERT_TRUE(first.read_until_suffix(received, "\r\n\r\nok"));
  EXPECT_EQ(handled.load(), 1);

  const std::string target = url(*server, "/second");
  auto second = std::async(std::launch::async, [&] { return curl({target}); });
  // However long this waits, the second client cannot be served while the first
  // connection (idle, kept alive) holds the only place.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(handled.load(), 1);
  first.close();
  EXPECT_EQ(second.get().out, "ok");
  EXPECT_EQ(handled.load(), 2);
}

}  // namespace
}  // namespace supportgw::sdk
