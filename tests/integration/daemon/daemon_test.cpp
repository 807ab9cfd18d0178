// `supportgw serve` as an operator runs it: a real daemon process loading real plugins
// (built in tests/plugins), real HTTP over loopback with curl, signals, and the CLI
// working on the same state while the daemon runs.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <csignal>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <boost/json.hpp>

#include "supportgw/sdk/version.hpp"
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

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> result;
  for (std::string word; in >> word;) {
    result.push_back(word);
  }
  return result;
}

class Daemon : public ::testing::Test {
 protected:
  // A gateway.toml with `channels` (TOML text) under the policy at `policy`.
  std::filesystem::path write_config(const std::string& channels,
                                     const std::filesystem::path& policy = kNetexPolicy) {
    const auto file = dir_ / "gateway.toml";
    write_file(file, "policy = \"" + policy.string() + "\"\nplugins = \"" +
                         std::string(SUPPORTGW_TEST_PLUGIN_DIR) +
                         "\"\n[outbox]\nfirst_retry = \"100ms\"\nmax_retry = \"1s\"\n" + channels);
    return file;
  }

  static std::string intake_channel(int fail_sends = 0) {
    return "[[channel]]\nname = \"intake\"\nplugin = \"fixture_channel\"\n"
           "[channel.settings]\nlisten = \"127.0.0.1:0\"\nfail_sends = " +
           std::to_string(fail_sends) + "\n";
  }

  std::unique_ptr<DaemonProcess> start(const std::filesystem::path& config) {
    return std::make_unique<DaemonProcess>(SUPPORTGW_BINARY, config, dir_ / "state");
  }

  // POST /submit; returns curl's output (the channel's answer) or the error.
  static std::string submit(const DaemonProcess& daemon, const std::string& query,
                            const std::string& text = "the database server is down") {
    const auto result =
        run_program({"curl", "-sS", "-X", "POST", "--data-binary", text,
                     "http://" + daemon.endpoint("intake", "http") + "/submit?" + query});
    return result.exit_code == 0 ? result.out : "curl failed: " + result.err;
  }

  testing::ProgramResult cli(std::vector<std::string> args) {
    args.insert(args.begin(), {SUPPORTGW_BINARY, "--state-dir", (dir_ / "state").string()});
    return run_program(args);
  }

  testing::TempDir dir_;
};

TEST_F(Daemon, ServesAChannelDeliversMailAndStopsCleanlyOnSigterm) {
  auto daemon = start(write_config(
      intake_channel(/*fail_sends=*/2) +
      "[[channel]]\nname = \"modem\"\nplugin = \"fixture_throwing_start\"\noptional = true\n"));
  ASSERT_TRUE(daemon->wait_ready()) << daemon->log();
  ASSERT_NE(daemon->endpoint("intake", "http"), "") << read_file(daemon->ready_file());
  // The optional channel that failed is left out, and the ready file says why.
  ASSERT_EQ(daemon->skipped().count("modem"), 1U);
  EXPECT_NE(daemon->skipped().at("modem").find("cannot open /dev/fixture-modem"),
            std::string::npos);

  const auto created =
      words(submit(*daemon, "origin=mail-1&subject=DB%20down&email=ann@example.test"));
  ASSERT_EQ(created.size(), 3U) << daemon->log();
  EXPECT_EQ(created[0], "created");
  const std::string reference = created[1];
  const std::string token = created[2];
  EXPECT_TRUE(std::regex_match(reference, std::regex("NX-[0-9]{6}"))) << reference;

  // The same contact again is the same ticket.
  const auto again =
      words(submit(*daemon, "origin=mail-1&subject=DB%20down&email=ann@example.test"));
  ASSERT_EQ(again.size(), 2U);
  EXPECT_EQ(again[0], "duplicate");
  EXPECT_EQ(again[1], reference);

  // Lookup by reference and token through the context; a wrong token is not found.
  const auto found = run_program({"curl", "-sS",
                                  "http://" + daemon->endpoint("intake", "http") +
                                      "/ticket?reference=" + reference + "&token=" + token});
  EXPECT_EQ(words(found.out).size(), 3U) << found.out;
  const auto refused = run_program({"curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                                    "http://" + daemon->endpoint("intake", "http") +
                                        "/ticket?reference=" + reference + "&token=wrong"});
  EXPECT_EQ(refused.out, "404");

  // The CLI works on the daemon's state while it runs.
  const auto shown = cli({"ticket", "show", reference});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("DB down"), std::string::npos) << shown.out;

  // The acknowledgement mail fails twice, then goes out once.
  const auto sent_log = dir_ / "state" / "channels" / "intake" / "sent.log";
  ASSERT_TRUE(daemon->wait_for_log("(mail) delivered, attempt 3")) << daemon->log();
  const auto sent = read_file(sent_log);
  EXPECT_NE(sent.find(" 3 mail ann@example.test " + reference), std::string::npos) << sent;
  EXPECT_EQ(std::count(sent.begin(), sent.end(), '\n'), 1) << sent;

  daemon->signal(SIGTERM);
  const int status = daemon->wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << daemon->log();
  EXPECT_NE(daemon->log().find("stopped channel 'intake'"), std::string::npos) << daemon->log();
  EXPECT_FALSE(std::filesystem::exists(daemon->ready_file()));

  // After a restart nothing is sent again, and the ticket is still there.
  auto restarted = start(write_config(intake_channel()));
  ASSERT_TRUE(restarted->wait_ready()) << restarted->log();
  const auto after =
      words(submit(*restarted, "origin=mail-1&subject=DB%20down&email=ann@example.test"));
  ASSERT_EQ(after.size(), 2U);
  EXPECT_EQ(after[0], "duplicate");
  restarted->signal(SIGINT);
  EXPECT_EQ(restarted->wait(), 0) << restarted->log();
  const auto sent_after = read_file(sent_log);
  EXPECT_EQ(std::count(sent_after.begin(), sent_after.end(), '\n'), 1) << sent_after;
}

TEST_F(Daemon, ConcurrentDeliveriesOfOneContactMakeOneTicket) {
  auto daemon = start(write_config(intake_channel()));
  ASSERT_TRUE(daemon->wait_ready()) << daemon->log();
  const std::string url = "http://" + daemon->endpoint("intake", "http") +
                          "/submit?origin=voicemail-77&subject=Outage&email=bo@example.test";
  std::vector<std::string> args = {"curl",           "-sS", "--parallel", "--parallel-immediate",
                                   "--parallel-max", "16"};
  for (int i = 0; i < 16; ++i) {
    args.insert(args.end(), {"-X", "POST", "--data-binary", "everything is down", url});
  }
  const auto result = run_program(args);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  int created = 0;
  int duplicates = 0;
  std::set<std::string> references;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    const auto answer = words(line);
    ASSERT_GE(answer.size(), 2U) << line;
    created += answer[0] == "created";
    duplicates += answer[0] == "duplicate";
    references.insert(answer[1]);
  }
  EXPECT_EQ(created, 1) << result.out;
  EXPECT_EQ(duplicates, 15) << result.out;
  EXPECT_EQ(references.size(), 1U);
  const auto listed = cli({"ticket", "list"});
  EXPECT_EQ(std::count(listed.out.begin(), listed.out.end(), '\n'), 1) << listed.out;
  daemon->signal(SIGTERM);
  EXPECT_EQ(daemon->wait(), 0);
}

TEST_F(Daemon, SighupReloadsThePolicyAndKeepsTheOldOneWhenTheNewIsBroken) {
  const auto policy = dir_ / "policy.toml";
  const std::string original = read_file(kNetexPolicy);
  write_file(policy, original);
  auto daemon = start(write_config(intake_channel(), policy));
  ASSERT_TRUE(daemon->wait_ready()) << daemon->log();

  // A broken policy is refused with its line, and the gateway goes on.
  write_file(policy, original + "\n[intake]\nunknown_switch = true\n");
  daemon->signal(SIGHUP);
  ASSERT_TRUE(daemon->wait_for_log("policy reload refused")) << daemon->log();
  EXPECT_NE(daemon->log().find(policy.string() + ":"), std::string::npos) << daemon->log();
  const auto before = words(submit(*daemon, "origin=a&subject=Export%20report&email=c@example.test",
                                   "the export takes a while"));
  ASSERT_EQ(before.size(), 3U);
  const auto severity_of = [&](const std::vector<std::string>& created) {
    const auto found =
        run_program({"curl", "-sS",
                     "http://" + daemon->endpoint("intake", "http") +
                         "/ticket?reference=" + created[1] + "&token=" + created[2]});
    return words(found.out).at(1);
  };
  EXPECT_EQ(severity_of(before), "3");  // NetEx's default

  // A good one takes effect for the next contact.
  std::string changed = original;
  changed.replace(changed.find("default_severity = 3"), 20, "default_severity = 2");
  write_file(policy, changed);
  daemon->signal(SIGHUP);
  ASSERT_TRUE(daemon->wait_for_log("policy reloaded")) << daemon->log();
  const auto after = words(submit(*daemon, "origin=b&subject=Export%20report&email=d@example.test",
                                  "the export takes a while"));
  ASSERT_EQ(after.size(), 3U);
  EXPECT_EQ(severity_of(after), "2");

  daemon->signal(SIGTERM);
  EXPECT_EQ(daemon->wait(), 0) << daemon->log();
}

TEST_F(Daemon, StopWaitsUntilThePluginsCompletionsAreGoneBeforeUnloading) {
  // Regression: the completion of a submit is a callable the plugin made; the host
  // destroyed it on an io thread after the reply had reached the client, and a stop
  // right then unloaded the plugin under it (SEGV in unmapped code, seen under ASan).
  auto daemon = start(write_config(intake_channel() + "slow_release_ms = 500\n"));
  ASSERT_TRUE(daemon->wait_ready()) << daemon->log();
  const auto created = words(submit(*daemon, "origin=r&subject=Slow&email=r@example.test"));
  ASSERT_EQ(created.size(), 3U) << daemon->log();
  daemon->signal(SIGTERM);
  const int status = daemon->wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << daemon->log();
}

TEST_F(Daemon, LogsJsonLinesWhenAsked) {
  auto daemon = std::make_unique<DaemonProcess>(SUPPORTGW_BINARY, write_config(intake_channel()),
                                                dir_ / "state",
                                                std::vector<std::string>{"--log-format", "json"});
  ASSERT_TRUE(daemon->wait_ready()) << daemon->log();
  // A subject with quotes and a newline must not break the stream.
  submit(*daemon, "origin=j&subject=%22quoted%22%0Aline&email=j@example.test");
  daemon->signal(SIGTERM);
  EXPECT_EQ(daemon->wait(), 0);
  std::istringstream lines(daemon->log());
  int parsed = 0;
  for (std::string line; std::getline(lines, line);) {
    const boost::json::value entry = boost::json::parse(line);
    EXPECT_TRUE(entry.as_object().contains("time")) << line;
    EXPECT_TRUE(entry.as_object().contains("level")) << line;
    EXPECT_TRUE(entry.as_object().contains("logger")) << line;
    EXPECT_TRUE(entry.as_object().contains("message")) << line;
    ++parsed;
  }
  EXPECT_GT(parsed, 3);
}

struct BrokenPlugin {
  std::string plugin;
  std::string expected;  // part of the error
};

void PrintTo(const BrokenPlugin& broken, std::ostream* out) { *out << broken.plugin; }

class DaemonRefuses : public Daemon, public ::testing::WithParamInterface<BrokenPlugin> {};

TEST_P(DaemonRefuses, ARequiredChannelWhosePluginIsBroken) {
  const auto config =
      write_config(intake_channel() + "[[channel]]\nname = \"broken\"\nplugin = \"" +
                   GetParam().plugin + "\"\n");
  auto daemon = start(config);
  EXPECT_FALSE(daemon->wait_ready());
  const int status = daemon->wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << status;
  const std::string log = daemon->log();
  EXPECT_NE(log.find("plugin '" + GetParam().plugin + "'"), std::string::npos) << log;
  EXPECT_NE(log.find(GetParam().plugin + ".so"), std::string::npos) << log;
  EXPECT_NE(log.find(GetParam().expected), std::string::npos) << log;
  // The channel started before it was stopped again.
  EXPECT_NE(log.find("stopped channel 'intake'"), std::string::npos) << log;
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, DaemonRefuses,
    ::testing::Values(
        BrokenPlugin{"fixture_wrong_abi",
                     "built against SDK ABI " + std::to_string(SUPPORTGW_SDK_ABI_MAJOR + 1) +
                         ".0, but this gateway provides SDK ABI " SUPPORTGW_SDK_VERSION_STRING},
        BrokenPlugin{"fixture_no_factory", "exports no factory supportgw_create_channel"},
        BrokenPlugin{"fixture_throwing_start",
                     "failed to start: start: fixture: cannot open /dev/fixture-modem"},
        BrokenPlugin{"fixture_not_a_library", "cannot be loaded"},
        BrokenPlugin{"fixture_missing", "no such file"}),
    [](const auto& info) { return info.param.plugin; });

TEST_F(Daemon, RefusesAGatewayFileWithAnUnknownKeyNamingItsLine) {
  // Lands in [outbox], which has no such key.
  const auto config = write_config("listen_everywhere = true\n" + intake_channel());
  auto daemon = start(config);
  EXPECT_FALSE(daemon->wait_ready());
  const int status = daemon->wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 4) << status << daemon->log();
  EXPECT_NE(daemon->log().find(config.string() + ":"), std::string::npos) << daemon->log();
}

}  // namespace
}  // namespace supportgw
