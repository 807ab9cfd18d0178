// The `supportgw` program as a user runs it: real processes, a real database file.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/util/time.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace supportgw {
namespace {

using testing::ProgramResult;
using testing::run_program;

class Cli : public ::testing::Test {
 protected:
  ProgramResult run(std::vector<std::string> args, std::vector<std::string> environment = {}) {
    args.insert(args.begin(), {SUPPORTGW_CLI, "--db", database()});
    return run_program(args, environment);
  }
  std::string database() const { return (dir_ / "cli.db").string(); }

  boost::json::object create_json(const std::string& subject, int severity = 2) {
    const auto result =
        run({"ticket", "create", "--subject", subject, "--severity", std::to_string(severity),
             "--customer-email", "ann@example.test", "--json"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return boost::json::parse(result.out).as_object();
  }

  testing::TempDir dir_;
};

std::string text(const boost::json::value& value) { return std::string(value.as_string().c_str()); }

TEST_F(Cli, VersionNamesProgramAndSchema) {
  const auto result = run_program({SUPPORTGW_CLI, "--version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("supportgw 0.1.0"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("schema"), std::string::npos) << result.out;
}

TEST_F(Cli, CreatePrintsReferenceAndTokenOnce) {
  const auto result = run({"ticket", "create", "--subject", "Router down", "--severity", "1"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("reference: SR-"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("token:"), std::string::npos) << result.out;

  const auto created = create_json("Second");
  EXPECT_EQ(text(created.at("reference")).substr(0, 3), "SR-");
  EXPECT_EQ(text(created.at("token")).size(), 26U);
  EXPECT_FALSE(created.at("duplicate").as_bool());
  // Nowhere else is the token shown again.
  const auto shown = run({"ticket", "show", text(created.at("reference")), "--json"});
  EXPECT_EQ(shown.out.find(text(created.at("token"))), std::string::npos);
}

TEST_F(Cli, ApiKeysAreShownOnceStoredHashedAndRevocable) {
  const auto made = run({"apikey", "create", "--name", "crm-sync", "--json"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const auto key = boost::json::parse(made.out).as_object();
  const std::string secret = text(key.at("key"));
  EXPECT_TRUE(secret.starts_with("sgw_")) << secret;
  EXPECT_EQ(text(key.at("name")), "crm-sync");
  const auto id = key.at("id").as_int64();
  // Text mode prints the bare key on stdout (for scripts) and the advice on stderr.
  const auto plain = run({"apikey", "create"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_TRUE(plain.out.starts_with("sgw_")) << plain.out;
  EXPECT_NE(plain.err.find("shown only now"), std::string::npos) << plain.err;

  // Only the hash is kept: neither the list nor the database file holds the key.
  const auto listed = run({"apikey", "list", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(listed.out.find(secret), std::string::npos);
  const auto keys = boost::json::parse(listed.out).as_object().at("keys").as_array();
  ASSERT_EQ(keys.size(), 2U);
  EXPECT_TRUE(keys[0].as_object().at("revoked").is_null());
  const auto dump = run_program({"sqlite3", database(), ".dump api_keys"});
  EXPECT_EQ(dump.out.find(secret), std::string::npos);
  const auto hashed = run_program({"sha256sum"}, {}, secret);
  EXPECT_NE(dump.out.find(hashed.out.substr(0, 64)), std::string::npos) << dump.out;

  const auto revoked = run({"apikey", "revoke", std::to_string(id)});
  EXPECT_EQ(revoked.exit_code, 0) << revoked.err;
  const auto again = run({"apikey", "revoke", std::to_string(id)});
  EXPECT_EQ(again.exit_code, 3);
  EXPECT_NE(again.err.find("no API key " + std::to_string(id)), std::string::npos) << again.err;
  const auto after = run({"apikey", "list"});
  EXPECT_NE(after.out.find("revoked"), std::string::npos) << after.out;

  const auto bad = run({"apikey", "create", "--name", std::string(101, 'n')});
  EXPECT_EQ(bad.exit_code, 4);
  EXPECT_NE(bad.err.find("--name"), std::string::npos) << bad.err;
}

TEST_F(Cli, ShowListAndJsonAgree) {
  const auto first = create_json("Printer on fire", 1);
  create_json("Question", 4);
  const auto listed = run({"ticket", "list", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto tickets = boost::json::parse(listed.out).at("tickets").as_array();
  ASSERT_EQ(tickets.size(), 2U);
  EXPECT_EQ(text(tickets[0].at("subject")), "Printer on fire");
  EXPECT_EQ(text(tickets[0].at("status")), "new");

  const auto severe = run({"ticket", "list", "--severity", "1", "--json"});
  EXPECT_EQ(boost::json::parse(severe.out).at("tickets").as_array().size(), 1U);

  const auto text_list = run({"ticket", "list"});
  EXPECT_NE(text_list.out.find("Printer on fire"), std::string::npos);
  EXPECT_NE(text_list.out.find("Question"), std::string::npos);

  const auto shown = run({"ticket", "show", text(first.at("reference"))});
  EXPECT_EQ(shown.exit_code, 0);
  EXPECT_NE(shown.out.find("history:"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("created"), std::string::npos) << shown.out;
}

TEST_F(Cli, LifecycleThroughTheCommands) {
  const std::string reference = text(create_json("Lifecycle").at("reference"));
  EXPECT_EQ(run({"ticket", "respond", reference, "--message", "On it"}).exit_code, 0);
  EXPECT_EQ(run({"ticket", "update", reference, "--severity", "1", "--flag", "after-hours",
                 "--note", "hotline call"})
                .exit_code,
            0);
  const auto resolved = run({"ticket", "resolve", reference, "--note", "fixed", "--json"});
  ASSERT_EQ(resolved.exit_code, 0) << resolved.err;
  EXPECT_EQ(text(boost::json::parse(resolved.out).at("status")), "solved");
  EXPECT_EQ(run({"ticket", "reopen", reference, "--note", "not fixed"}).exit_code, 0);
  EXPECT_EQ(run({"ticket", "resolve", reference}).exit_code, 0);
  EXPECT_EQ(run({"ticket", "close", reference}).exit_code, 0);

  const auto shown = run({"ticket", "show", reference, "--json"});
  const auto detail = boost::json::parse(shown.out).as_object();
  EXPECT_EQ(text(detail.at("status")), "closed");
  EXPECT_EQ(detail.at("severity").as_int64(), 1);
  EXPECT_TRUE(detail.at("flags").as_object().contains("after-hours"));
  std::vector<std::string> kinds;
  for (const auto& event : detail.at("events").as_array()) {
    kinds.push_back(text(event.at("kind")));
  }
  EXPECT_EQ(kinds,
            (std::vector<std::string>{"created", "responded", "fields-changed", "status-changed",
                                      "reopened", "status-changed", "status-changed"}));
}

TEST_F(Cli, IllegalTransitionExitsNonZeroNamingTheTicket) {
  const std::string reference = text(create_json("Refused").at("reference"));
  const auto closed = run({"ticket", "close", reference});
  EXPECT_EQ(closed.exit_code, 4);
  EXPECT_NE(closed.err.find(reference), std::string::npos) << closed.err;
  EXPECT_NE(closed.err.find("cannot close"), std::string::npos) << closed.err;
  // One line, nothing on stdout.
  EXPECT_EQ(std::count(closed.err.begin(), closed.err.end(), '\n'), 1);
  EXPECT_TRUE(closed.out.empty());
}

TEST_F(Cli, UnknownReferenceExitsNonZeroNamingIt) {
  create_json("Exists");
  const auto missing = run({"ticket", "resolve", "SR-2026-999999"});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_NE(missing.err.find("SR-2026-999999"), std::string::npos) << missing.err;
  EXPECT_EQ(run({"ticket", "show", "SR-2026-999999"}).exit_code, 3);
}

TEST_F(Cli, ReadingAMissingDatabaseDoesNotCreateOne) {
  const auto result = run({"ticket", "list"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find(database()), std::string::npos) << result.err;
  EXPECT_FALSE(std::filesystem::exists(database()));
}

TEST_F(Cli, DatabaseComesFromTheEnvironment) {
  const std::string path = (dir_ / "from-env.db").string();
  const auto created =
      run_program({SUPPORTGW_CLI, "ticket", "create", "--subject", "Env", "--severity", "3"},
                  {"SUPPORTGW_DB=" + path});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST_F(Cli, BadUsageExitsWithTwo) {
  EXPECT_EQ(run({"ticket", "create", "--severity", "1"}).exit_code, 2);  // no subject
  EXPECT_EQ(run({"ticket", "create", "--subject", "x", "--severity", "0"}).exit_code, 2);
  EXPECT_EQ(run({"ticket", "frobnicate"}).exit_code, 2);
  EXPECT_EQ(run({}).exit_code, 2);
}

TEST_F(Cli, RepeatedOriginReturnsTheFirstTicketWithoutToken) {
  const std::vector<std::string> args = {"ticket",           "create", "--subject",   "Mail",
                                         "--severity",       "3",      "--origin-id", "<m1@x>",
                                         "--origin-channel", "email",  "--json"};
  const auto first = boost::json::parse(run(args).out).as_object();
  const auto second = boost::json::parse(run(args).out).as_object();
  EXPECT_EQ(second.at("reference"), first.at("reference"));
  EXPECT_TRUE(second.at("duplicate").as_bool());
  EXPECT_FALSE(second.contains("token"));
}

TEST_F(Cli, CustomReferenceFormatAndBadOne) {
  const auto created = run({"--reference-format", "INC-{seq:5}", "ticket", "create", "--subject",
                            "Custom", "--severity", "2", "--json"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(text(boost::json::parse(created.out).at("reference")), "INC-00001");
  const auto bad = run({"--reference-format", "INC-{nope}", "ticket", "create", "--subject", "x",
                        "--severity", "2"});
  EXPECT_EQ(bad.exit_code, 4);
  EXPECT_NE(bad.err.find("{nope}"), std::string::npos) << bad.err;
}

TEST_F(Cli, WithAPolicyTicketsGetItsReferencesLevelsAndEscalations) {
  const std::string policy = std::string(SUPPORTGW_EXAMPLES_DIR) + "/netex/policy.toml";
  const std::vector<std::string> with_policy = {"SUPPORTGW_POLICY=" + policy};
  const auto created = run(
      {"ticket", "create", "--subject", "System down", "--severity", "1", "--json"}, with_policy);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string reference = text(boost::json::parse(created.out).at("reference"));
  EXPECT_EQ(reference, "NX-000001");  // the policy's format, not the default

  const auto bad_level =
      run({"ticket", "create", "--subject", "x", "--severity", "7"}, with_policy);
  EXPECT_EQ(bad_level.exit_code, 4);
  EXPECT_NE(bad_level.err.find("1..4"), std::string::npos) << bad_level.err;

  // Two days on: the first-response breach and both NetEx steps are due.
  const std::string later = format_utc(SystemClock().now() + std::chrono::hours(48));
  const auto due = run({"escalations", "due", "--at", later, "--json"}, with_policy);
  ASSERT_EQ(due.exit_code, 0) << due.err;
  const auto listed = boost::json::parse(due.out).at("due").as_array();
  ASSERT_EQ(listed.size(), 3U) << due.out;
  EXPECT_EQ(text(listed[1].at("what")), "escalation 'Director of Customer Services'");

  const auto fired = run({"escalations", "run", "--at", later, "--json"}, with_policy);
  ASSERT_EQ(fired.exit_code, 0) << fired.err;
  EXPECT_EQ(boost::json::parse(fired.out).at("actions").as_array().size(), 3U) << fired.out;
  // Run again: each action fires once.
  const auto again = run({"escalations", "run", "--at", later, "--json"}, with_policy);
  EXPECT_TRUE(boost::json::parse(again.out).at("actions").as_array().empty()) << again.out;

  const auto shown = run({"ticket", "show", reference, "--json"}, with_policy);
  int escalated = 0;
  const auto detail = boost::json::parse(shown.out);  // the loop below must not outlive it
  for (const auto& event : detail.at("events").as_array()) {
    escalated += text(event.at("kind")) == "escalated" ? 1 : 0;
  }
  EXPECT_GE(escalated, 2);

  EXPECT_EQ(run({"ticket", "acknowledge", reference}, with_policy).exit_code, 0);
  EXPECT_EQ(run({"ticket", "assign", reference, "--owner", "pat"}, with_policy).exit_code, 0);
  const auto flags =
      boost::json::parse(run({"ticket", "show", reference, "--json"}).out).at("flags").as_object();
  EXPECT_TRUE(flags.contains("acknowledged"));
  EXPECT_EQ(text(flags.at("owner")), "pat");
}

TEST_F(Cli, EscalationCommandsNeedAPolicy) {
  create_json("No policy");
  const auto result = run({"escalations", "due"});
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_NE(result.err.find("--policy"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace supportgw
