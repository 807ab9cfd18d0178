// The Alertmanager example plugin, built out of tree against the installed SDK (the
// sdk.build_alertmanager_out_of_tree fixture), in a real `supportgw serve`, fed
// Alertmanager's webhook payloads (payloads/*.json) over loopback by curl, as
// Alertmanager's webhook_config would post them.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <boost/json.hpp>

#include <csignal>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/support/daemon_process.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace supportgw {
namespace {

using testing::DaemonProcess;
using testing::read_file;
using testing::run_program;
using testing::write_file;

const std::filesystem::path kNetexPolicy =
    std::filesystem::path(SUPPORTGW_EXAMPLES_DIR) / "netex" / "policy.toml";
const std::filesystem::path kPayloads = ALERTMANAGER_PAYLOADS_DIR;
constexpr const char* kToken = "am-0123456789abcdef";

std::string text(const boost::json::value& value) { return std::string(value.as_string().c_str()); }

struct Answer {
  int status = 0;    // the HTTP status; 0 when curl failed
  std::string body;  // the response body, or curl's error
  boost::json::object json() const {
    const boost::json::value parsed = boost::json::parse(body);
    return parsed.as_object();
  }
};

class Alertmanager : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(
        std::filesystem::exists(std::filesystem::path(ALERTMANAGER_PLUGIN_DIR) / "alertmanager.so"))
        << "run the sdk.build_alertmanager_out_of_tree test first (ctest does, as a fixture)";
  }

  std::unique_ptr<DaemonProcess> start_daemon() {
    const auto config = dir_ / "gateway.toml";
    write_file(config, "policy = \"" + kNetexPolicy.string() + "\"\nplugins = \"" +
                           std::string(ALERTMANAGER_PLUGIN_DIR) +
                           "\"\n"
                           "[[channel]]\n"
                           "name = \"alerts\"\n"
                           "plugin = \"alertmanager\"\n"
                           "[channel.settings]\n"
                           "listen = \"127.0.0.1:0\"\n"
                           "bearer_token = \"" +
                           kToken +
                           "\"\n"
                           "max_body = \"64KiB\"\n"
                           "notify = \"ops@example.test\"\n"
                           "[channel.settings.severities]\n"
                           "critical = 1\n"
                           "warning = 3\n");
    auto daemon = std::make_unique<DaemonProcess>(SUPPORTGW_BINARY, config, dir_ / "state");
    return daemon;
  }

  std::string url(const std::string& path = "/alertmanager") const {
    return "http://" + daemon_->endpoint("alerts", "http") + path;
  }

  // curl as Alertmanager posts: JSON, a bearer token, the body from a file.
  Answer request(const std::string& method, const std::string& path,
                 const std::filesystem::path& body_file,
                 const std::optional<std::string>& authorization) const {
    std::vector<std::string> args = {"curl", "-sS",
                                     "-X",   method,
                                     "-o",   "-",
                                     "-w",   "\n%{http_code}",
                                     "-H",   "Content-Type: application/json",
                                     "-H",   "User-Agent: Alertmanager/0.25.0"};
    if (authorization) {
      args.insert(args.end(), {"-H", "Authorization: " + *authorization});
    }
    if (!body_file.empty()) {
      args.insert(args.end(), {"--data-binary", "@" + body_file.string()});
    }
    args.push_back(url(path));
    const auto result = run_program(args);
    if (result.exit_code != 0) {
      return Answer{0, "curl failed: " + result.err};
    }
    const auto newline = result.out.rfind('\n');
    return Answer{std::stoi(result.out.substr(newline + 1)), result.out.substr(0, newline)};
  }

  Answer post(const std::filesystem::path& body_file,
              const std::optional<std::string>& authorization = std::string("Bearer ") +
                                                                kToken) const {
    return request("POST", "/alertmanager", body_file, authorization);
  }

  // A payload of payloads/ with `from` replaced by `to`, as a file of the test's own.
  std::filesystem::path variant(const std::string& payload, const std::string& from,
                                const std::string& to) {
    std::string body = read_file(kPayloads / payload);
    for (auto at = body.find(from); at != std::string::npos; at = body.find(from, at + to.size())) {
      body.replace(at, from.size(), to);
    }
    const auto file = dir_ / ("variant-" + std::to_string(++variants_) + ".json");
    write_file(file, body);
    return file;
  }

  boost::json::object show(const std::string& reference) const {
    const auto shown = run_program({SUPPORTGW_BINARY, "--state-dir", (dir_ / "state").string(),
                                    "ticket", "show", reference, "--json"});
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    return boost::json::parse(shown.out).as_object();
  }

  void stop_daemon() {
    daemon_->signal(SIGTERM);
    const int status = daemon_->wait();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << "\n" << daemon_->log();
  }

  testing::TempDir dir_;
  std::unique_ptr<DaemonProcess> daemon_;
  int variants_ = 0;
};

TEST_F(Alertmanager, OneTicketPerAlertGroupFromFiringToResolved) {
  daemon_ = start_daemon();
  ASSERT_TRUE(daemon_->wait_ready()) << daemon_->log();
  ASSERT_NE(daemon_->endpoint("alerts", "http"), "") << read_file(daemon_->ready_file());

  // The group's first notification opens its ticket, at the severity its label maps to.
  const Answer created = post(kPayloads / "firing-one.json");
  ASSERT_EQ(created.status, 200) << created.body << daemon_->log();
  EXPECT_EQ(text(created.json().at("outcome")), "created");
  const std::string reference = text(created.json().at("reference"));
  EXPECT_TRUE(std::regex_match(reference, std::regex("NX-[0-9]{6}"))) << reference;
  auto ticket = show(reference);
  EXPECT_EQ(ticket.at("severity").as_int64(), 1) << ticket;
  EXPECT_EQ(text(ticket.at("subject")),
            "[FIRING:1] HighLatency (prod api-1.example.net:9090 api critical)")
      << ticket;
  EXPECT_EQ(text(ticket.at("customer").at("email")), "ops@example.test");
  EXPECT_EQ(text(ticket.at("customer").at("name")), "Alertmanager");
  EXPECT_NE(text(ticket.at("description")).find("p99 latency of api-1.example.net:9090"),
            std::string::npos)
      << ticket;

  // Alertmanager retrying the same notification: the same ticket, nothing new.
  const Answer retried = post(kPayloads / "firing-one.json");
  ASSERT_EQ(retried.status, 200) << retried.body;
  EXPECT_EQ(text(retried.json().at("outcome")), "duplicate");
  EXPECT_EQ(text(retried.json().at("reference")), reference);

  // A second alert joins the group: a follow-up of the same ticket.
  const Answer grown = post(kPayloads / "firing-two.json");
  ASSERT_EQ(grown.status, 200) << grown.body;
  EXPECT_EQ(text(grown.json().at("outcome")), "updated");
  EXPECT_EQ(text(grown.json().at("reference")), reference);
  ticket = show(reference);
  EXPECT_NE(text(ticket.at("status")), "solved");

  // The group resolves: the ticket is solved.
  const Answer resolved = post(kPayloads / "resolved.json");
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_EQ(text(resolved.json().at("outcome")), "updated");
  EXPECT_EQ(text(resolved.json().at("reference")), reference);
  ticket = show(reference);
  EXPECT_EQ(text(ticket.at("status")), "solved") << ticket;
  const Answer resolved_again = post(kPayloads / "resolved.json");
  EXPECT_EQ(text(resolved_again.json().at("outcome")), "duplicate");

  // It fires again within the policy's reopen window: the same ticket, reopened.
  const Answer refired =
      post(variant("firing-one.json", "2026-03-02T09:14:30.123Z", "2026-03-02T11:02:00Z"));
  ASSERT_EQ(refired.status, 200) << refired.body;
  EXPECT_EQ(text(refired.json().at("outcome")), "reopened");
  EXPECT_EQ(text(refired.json().at("reference")), reference);
  EXPECT_NE(text(show(reference).at("status")), "solved");

  // Another group is another ticket; "warning" maps to 3.
  const Answer other = post(kPayloads / "warning-disk.json");
  ASSERT_EQ(other.status, 200) << other.body;
  EXPECT_EQ(text(other.json().at("outcome")), "created");
  const std::string other_reference = text(other.json().at("reference"));
  EXPECT_NE(other_reference, reference);
  EXPECT_EQ(show(other_reference).at("severity").as_int64(), 3);
  EXPECT_EQ(text(show(other_reference).at("subject")),
            "[FIRING:1] DiskFillingUp eu-1 (/dev/nvme0n1p2 node warning)");

  EXPECT_TRUE(daemon_->wait_for_log(reference)) << daemon_->log();
  stop_daemon();
}

TEST_F(Alertmanager, RefusesBadRequestsAndGoesOnServing) {
  daemon_ = start_daemon();
  ASSERT_TRUE(daemon_->wait_ready()) << daemon_->log();
  const auto firing = kPayloads / "firing-one.json";

  // Without the token, with a wrong one, or with another scheme: 401, nothing kept.
  EXPECT_EQ(post(firing, std::nullopt).status, 401);
  EXPECT_EQ(post(firing, std::string("Bearer wrong-token")).status, 401);
  EXPECT_EQ(post(firing, std::string("Bearer ") + kToken + "x").status, 401);
  EXPECT_EQ(post(firing, std::string("Basic YWxlcnQ6bWFuYWdlcg==")).status, 401);

  // Not JSON, or not Alertmanager's: 400 with a JSON message, so Alertmanager gives up.
  write_file(dir_ / "malformed.json", "{\"version\": \"4\", \"status\": \"firing\", \"alerts\": [");
  // (The scheme is case-insensitive: this one gets past the token check.)
  EXPECT_EQ(post(dir_ / "malformed.json", std::string("bearer ") + kToken).status, 400);
  const Answer malformed = post(dir_ / "malformed.json");
  EXPECT_EQ(malformed.status, 400) << malformed.body;
  EXPECT_NE(text(malformed.json().at("error")).find("not JSON"), std::string::npos)
      << malformed.body;
  const Answer old_version = post(kPayloads / "wrong-version.json");
  EXPECT_EQ(old_version.status, 400);
  EXPECT_NE(text(old_version.json().at("error")).find("version"), std::string::npos)
      << old_version.body;
  const Answer no_group = post(variant("firing-one.json", "\"groupKey\"", "\"group_key\""));
  EXPECT_EQ(no_group.status, 400);
  EXPECT_NE(text(no_group.json().at("error")).find("groupKey: missing"), std::string::npos)
      << no_group.body;
  const Answer wrong_type =
      post(variant("firing-one.json", "\"truncatedAlerts\": 0", "\"truncatedAlerts\": \"none\""));
  EXPECT_EQ(wrong_type.status, 400) << wrong_type.body;

  // Over max_body (64KiB here): 413 from the server, before the channel reads it.
  write_file(dir_ / "large.json", "{\"pad\": \"" + std::string(80 * 1024, 'x') + "\"}");
  const Answer large = post(dir_ / "large.json");
  EXPECT_EQ(large.status, 413) << large.body;

  // Only POST on the path; nothing elsewhere but the health check.
  EXPECT_EQ(request("GET", "/alertmanager", {}, std::string("Bearer ") + kToken).status, 405);
  EXPECT_EQ(request("POST", "/elsewhere", firing, std::string("Bearer ") + kToken).status, 404);
  const Answer health = request("GET", "/healthz", {}, std::nullopt);
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok\n");

  // None of that made a ticket, and the channel still takes a good notification.
  const auto listed = run_program(
      {SUPPORTGW_BINARY, "--state-dir", (dir_ / "state").string(), "ticket", "list", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_TRUE(boost::json::parse(listed.out).at("tickets").as_array().empty()) << listed.out;
  const Answer created = post(firing);
  ASSERT_EQ(created.status, 200) << created.body << daemon_->log();
  EXPECT_EQ(text(created.json().at("outcome")), "created");
  EXPECT_TRUE(daemon_->wait_for_log("refused a notification")) << daemon_->log();

  stop_daemon();
}

TEST_F(Alertmanager, RefusesToStartWithAMisspeltSetting) {
  const auto config = dir_ / "gateway.toml";
  write_file(config, "policy = \"" + kNetexPolicy.string() + "\"\nplugins = \"" +
                         std::string(ALERTMANAGER_PLUGIN_DIR) +
                         "\"\n[[channel]]\nname = \"alerts\"\nplugin = \"alertmanager\"\n"
                         "[channel.settings]\nbearer_tokn = \"x\"\n");
  DaemonProcess daemon(SUPPORTGW_BINARY, config, dir_ / "state");
  EXPECT_FALSE(daemon.wait_ready());
  const int status = daemon.wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << status;
  EXPECT_NE(daemon.log().find("unknown setting 'bearer_tokn'"), std::string::npos) << daemon.log();
}

}  // namespace
}  // namespace supportgw
