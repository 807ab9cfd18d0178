// The service status page and incidents (issue 5) in a real `supportgw serve` with the
// web channel, driven by curl over loopback: /status, /status.atom, /api/v1/status, the
// incident API behind the API key, its problem documents, tickets linked to a known
// incident (the created page and API answer say so; updates reach the ticket's public
// history and its customer's mail through the outbox), and the German texts.

#include <gtest/gtest.h>

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
using testing::run_program;

const std::filesystem::path kExamples = SUPPORTGW_EXAMPLES_DIR;
constexpr const char* kApiKey = "status-test-key-0123456789";

using testing::read_file;
using testing::write_file;

struct Answer {
  int status = 0;  // 0 when curl failed
  std::string headers;
  std::string body;
  boost::json::object json() const { return boost::json::parse(body).as_object(); }
  bool has_header(const std::string& pattern) const {
    return std::regex_search(headers, std::regex(pattern, std::regex::icase));
  }
  bool contains(const std::string& text) const { return body.find(text) != std::string::npos; }
};

std::string hidden_value(const std::string& html, const std::string& name) {
  std::smatch match;
  if (std::regex_search(html, match, std::regex("name=\"" + name + "\" value=\"([^\"]*)\""))) {
    return match[1];
  }
  return {};
}

// A component for the NETCOR policy, which has none of its own.
constexpr const char* kNetcorComponents = R"toml(
[[status.component]]
id = "portal"
name = "Kundenportal"
products = ["NETCOR Portal"]
)toml";

class StatusPage : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(std::filesystem::path(SUPPORTGW_PLUGIN_DIR) / "web.so"));
    api_key_hash_ = run_program({"sha256sum"}, {}, kApiKey).out.substr(0, 64);
  }

  void TearDown() override {
    if (daemon_) {
      daemon_->signal(SIGTERM);
      daemon_->wait();
    }
  }

  void start(const std::filesystem::path& policy) {
    const auto config = dir_ / "gateway.toml";
    write_file(config, "policy = \"" + policy.string() + "\"\nplugins = \"" + SUPPORTGW_PLUGIN_DIR +
                           "\"\n[[channel]]\nname = \"web\"\nplugin = \"web\"\n"
                           "[channel.settings]\nlisten = \"127.0.0.1:0\"\n"
                           "api_keys = [\"" +
                           api_key_hash_ + "\"]\n");
    daemon_ = std::make_unique<DaemonProcess>(SUPPORTGW_BINARY, config, dir_ / "state");
    ASSERT_TRUE(daemon_->wait_ready()) << daemon_->log();
    address_ = daemon_->endpoint("web", "http");
    ASSERT_FALSE(address_.empty()) << daemon_->log();
  }

  Answer curl(std::vector<std::string> args, const std::string& path) {
    const auto body = dir_ / "body.out";
    const auto head = dir_ / "head.out";
    std::vector<std::string> argv = {
        "curl", "-sS",          "-o", body.string(),           "-D", head.string(),
        "-w",   "%{http_code}", "-c", (dir_ / "jar").string(), "-b", (dir_ / "jar").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("http://" + address_ + path);
    const auto result = run_program(argv);
    if (result.exit_code != 0) {
      return Answer{0, "", "curl failed: " + result.err};
    }
    return Answer{std::stoi(result.out), read_file(head), read_file(body)};
  }

  Answer get(const std::string& path, bool with_key = false) {
    return with_key ? curl({"-H", std::string("Authorization: Bearer ") + kApiKey}, path)
                    : curl({}, path);
  }

  Answer post_json(const std::string& path, const std::string& body, bool with_key = true,
                   const std::string& type = "application/json") {
    write_file(dir_ / "request.json", body);
    std::vector<std::string> args = {"-X",
                                     "POST",
                                     "-H",
                                     "Content-Type: " + type,
                                     "--data-binary",
                                     "@" + (dir_ / "request.json").string()};
    if (with_key) {
      args.insert(args.end(), {"-H", std::string("Authorization: Bearer ") + kApiKey});
    }
    return curl(args, path);
  }

  // Posts an incident and returns its id ("INC-1").
  std::string post_incident(const std::string& body) {
    const Answer created = post_json("/api/v1/incidents", body);
    EXPECT_EQ(created.status, 201) << created.body;
    if (created.status != 201) {
      return {};
    }
    return std::string(created.json().at("id").as_string());
  }

  // Every outbox message, any status, by /metrics.
  long outbox_messages() {
    const Answer metrics = get("/metrics", true);
    EXPECT_EQ(metrics.status, 200) << metrics.body;
    long total = 0;
    const std::regex row(R"(supportgw_outbox_messages\{status="[a-z]+"\} (\d+))");
    for (auto it = std::sregex_iterator(metrics.body.begin(), metrics.body.end(), row);
         it != std::sregex_iterator(); ++it) {
      total += std::stol((*it)[1]);
    }
    return total;
  }

  testing::TempDir dir_;
  std::unique_ptr<DaemonProcess> daemon_;
  std::string address_;
  std::string api_key_hash_;
};

void expect_problem(const Answer& answer, int status, const std::string& detail_part) {
  EXPECT_EQ(answer.status, status) << answer.body;
  EXPECT_TRUE(answer.has_header("content-type: application/problem\\+json")) << answer.headers;
  if (answer.status == status) {
    const auto problem = answer.json();
    EXPECT_EQ(problem.at("status").as_int64(), status);
    EXPECT_NE(std::string(problem.at("detail").as_string()).find(detail_part), std::string::npos)
        << answer.body;
  }
}

TEST_F(StatusPage, AllOperationalWithoutIncidents) {
  start(kExamples / "jetnet" / "policy.toml");
  const Answer page = get("/status");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(page.has_header("content-type: text/html"));
  EXPECT_TRUE(page.contains("Internet connectivity"));
  EXPECT_TRUE(page.contains("Web hosting"));
  EXPECT_TRUE(page.contains("st-operational\">Operational<"));
  EXPECT_FALSE(page.contains("<script"));

  const Answer summary = get("/api/v1/status");
  ASSERT_EQ(summary.status, 200) << summary.body;
  const auto json = summary.json();
  EXPECT_EQ(json.at("overall").as_string(), "operational");
  ASSERT_EQ(json.at("components").as_array().size(), 3u);
  EXPECT_EQ(json.at("components").as_array()[1].as_object().at("id").as_string(), "email");
  EXPECT_TRUE(json.at("incidents").as_array().empty());

  // The form links the status page.
  const Answer form = get("/");
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(form.contains("id=\"service-status\" href=\"/status\"")) << form.body;
}

TEST_F(StatusPage, IncidentApiNeedsTheKey) {
  start(kExamples / "jetnet" / "policy.toml");
  expect_problem(get("/api/v1/incidents"), 401, "API key");
  expect_problem(get("/api/v1/incidents/INC-1"), 401, "API key");
  expect_problem(post_json("/api/v1/incidents",
                           R"({"title":"x","impact":"degraded","components":["email"]})", false),
                 401, "API key");
  expect_problem(post_json("/api/v1/incidents/INC-1/updates", R"({"status":"resolved"})", false),
                 401, "API key");
  // Nothing was posted.
  EXPECT_TRUE(get("/api/v1/status").json().at("incidents").as_array().empty());
}

TEST_F(StatusPage, IncidentLifecycleThroughTheApi) {
  start(kExamples / "jetnet" / "policy.toml");
  const Answer created =
      post_json("/api/v1/incidents",
                R"({"title":"Mail <delayed>","impact":"major-outage","components":["email"],
          "body":"Inbound mail is queued."})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_TRUE(created.has_header("location: /api/v1/incidents/INC-1\\r"));
  auto incident = created.json();
  EXPECT_EQ(incident.at("id").as_string(), "INC-1");
  EXPECT_EQ(incident.at("status").as_string(), "investigating");
  EXPECT_TRUE(incident.at("resolved_at").is_null());
  ASSERT_EQ(incident.at("updates").as_array().size(), 1u);

  auto summary = get("/api/v1/status").json();
  EXPECT_EQ(summary.at("overall").as_string(), "major-outage");
  EXPECT_EQ(summary.at("components").as_array()[1].as_object().at("status").as_string(),
            "major-outage");
  EXPECT_EQ(summary.at("components").as_array()[0].as_object().at("status").as_string(),
            "operational");
  ASSERT_EQ(summary.at("incidents").as_array().size(), 1u);

  const Answer page = get("/status");
  EXPECT_TRUE(page.contains("INC-1: Mail &lt;delayed&gt;")) << page.body;
  EXPECT_FALSE(page.contains("<delayed>"));
  EXPECT_TRUE(page.contains("Major outage"));
  EXPECT_TRUE(page.contains("Inbound mail is queued."));

  const Answer identified = post_json("/api/v1/incidents/INC-1/updates",
                                      R"({"status":"identified","body":"A disk filled up."})");
  ASSERT_EQ(identified.status, 200) << identified.body;
  EXPECT_EQ(identified.json().at("status").as_string(), "identified");
  EXPECT_EQ(identified.json().at("updates").as_array().size(), 2u);
  // A body alone keeps the status; an impact alone changes the rollup.
  ASSERT_EQ(post_json("/api/v1/incidents/INC-1/updates", R"({"impact":"degraded"})").status, 200);
  EXPECT_EQ(get("/api/v1/status").json().at("overall").as_string(), "degraded");

  const Answer shown = get("/api/v1/incidents/INC-1", true);
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(shown.json().at("updates").as_array().size(), 3u);
  EXPECT_TRUE(shown.json().at("tickets").as_array().empty());
  const Answer listed = get("/api/v1/incidents", true);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json().at("incidents").as_array().size(), 1u);

  const Answer resolved = post_json("/api/v1/incidents/INC-1/updates", R"({"status":"resolved"})");
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_FALSE(resolved.json().at("resolved_at").is_null());
  summary = get("/api/v1/status").json();
  EXPECT_EQ(summary.at("overall").as_string(), "operational");
  EXPECT_TRUE(summary.at("incidents").as_array().empty());  // the summary lists open ones
  EXPECT_TRUE(get("/status").contains("The incident has been resolved."));
  // A resolved incident takes no more updates.
  expect_problem(post_json("/api/v1/incidents/INC-1/updates", R"({"body":"again"})"), 409,
                 "resolved");
}

// GET /api/v1/incidents pages through incidents of any age, newest first, by position;
// status filters open or resolved ones; bad parameters are 400 problems.
TEST_F(StatusPage, IncidentsArePagedNewestFirst) {
  start(kExamples / "jetnet" / "policy.toml");
  for (int i = 1; i <= 5; ++i) {
    const Answer created =
        post_json("/api/v1/incidents", R"({"title":"Incident )" + std::to_string(i) +
                                           R"(","impact":"degraded","components":["email"]})");
    ASSERT_EQ(created.status, 201) << created.body;
  }
  for (const char* id : {"INC-1", "INC-3"}) {
    ASSERT_EQ(
        post_json(std::string("/api/v1/incidents/") + id + "/updates", R"({"status":"resolved"})")
            .status,
        200);
  }
  const auto ids_of = [](const boost::json::value& page) {
    std::vector<std::string> ids;
    for (const auto& item : page.at("incidents").as_array()) {
      ids.emplace_back(item.at("id").as_string());
    }
    return ids;
  };
  using Ids = std::vector<std::string>;
  Answer first = get("/api/v1/incidents?limit=2", true);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(ids_of(first.json()), (Ids{"INC-5", "INC-4"}));
  ASSERT_TRUE(first.json().at("next").is_string()) << first.body;
  const std::string after(first.json().at("next").as_string());
  Answer second = get("/api/v1/incidents?limit=2&after=" + after, true);
  EXPECT_EQ(ids_of(second.json()), (Ids{"INC-3", "INC-2"}));
  // Incidents posted meanwhile do not shift the pages already handed out.
  ASSERT_EQ(post_json("/api/v1/incidents",
                      R"({"title":"Incident 6","impact":"degraded","components":["email"]})")
                .status,
            201);
  EXPECT_EQ(ids_of(get("/api/v1/incidents?limit=2&after=" + after, true).json()),
            (Ids{"INC-3", "INC-2"}));
  const std::string last_after(second.json().at("next").as_string());
  Answer last = get("/api/v1/incidents?limit=2&after=" + last_after, true);
  EXPECT_EQ(ids_of(last.json()), (Ids{"INC-1"}));
  EXPECT_TRUE(last.json().at("next").is_null());
  // Each incident comes with its updates, never with linked tickets.
  const boost::json::value last_page = last.json();
  const auto& resolved = last_page.at("incidents").as_array().at(0);
  EXPECT_EQ(resolved.at("updates").as_array().size(), 2u);
  EXPECT_FALSE(resolved.as_object().contains("tickets"));

  EXPECT_EQ(ids_of(get("/api/v1/incidents?status=open", true).json()),
            (Ids{"INC-6", "INC-5", "INC-4", "INC-2"}));
  EXPECT_EQ(ids_of(get("/api/v1/incidents?status=resolved", true).json()), (Ids{"INC-3", "INC-1"}));
  expect_problem(get("/api/v1/incidents?status=gone", true), 400, "status");
  expect_problem(get("/api/v1/incidents?limit=0", true), 400, "limit");
  expect_problem(get("/api/v1/incidents?limit=201", true), 400, "limit");
  expect_problem(get("/api/v1/incidents?limit=abc", true), 400, "limit");
  expect_problem(get("/api/v1/incidents?after=INC-2", true), 400, "after");
}

TEST_F(StatusPage, ValidationErrorsAreProblems) {
  start(kExamples / "jetnet" / "policy.toml");
  expect_problem(
      post_json("/api/v1/incidents", R"({"title":"x","impact":"degraded","components":["dns"]})"),
      400, "unknown component 'dns'");
  expect_problem(
      post_json("/api/v1/incidents", R"({"title":"x","impact":"down","components":["email"]})"),
      400, "impact");
  expect_problem(post_json("/api/v1/incidents", R"({"title":"x","impact":"operational",
                           "components":["email"]})"),
                 400, "impact");
  expect_problem(post_json("/api/v1/incidents",
                           R"({"title":"x","impact":"degraded","components":["email"],
                               "status":"fixed"})"),
                 400, "status");
  expect_problem(post_json("/api/v1/incidents", R"({"title":"x","impact":"degraded"})"), 400,
                 "components");
  expect_problem(post_json("/api/v1/incidents", R"({"impact":"degraded","components":["email"]})"),
                 400, "title");
  expect_problem(post_json("/api/v1/incidents", R"({"title":"x","colour":"red"})"), 400,
                 "unknown member 'colour'");
  expect_problem(post_json("/api/v1/incidents", "{not json"), 400, "not JSON");
  expect_problem(post_json("/api/v1/incidents", R"({"title":"x"})", true, "text/plain"), 415,
                 "application/json");

  const std::string id =
      post_incident(R"({"title":"Slow pages","impact":"degraded","components":["web-hosting"]})");
  ASSERT_EQ(id, "INC-1");
  expect_problem(post_json("/api/v1/incidents/INC-1/updates", R"({"status":"fixed"})"), 400,
                 "status");
  expect_problem(post_json("/api/v1/incidents/INC-1/updates", R"({})"), 400, "expected");
  expect_problem(post_json("/api/v1/incidents/INC-9/updates", R"({"body":"x"})"), 404,
                 "no incident INC-9");
  expect_problem(get("/api/v1/incidents/INC-9", true), 404, "no incident INC-9");
  const Answer wrong = curl({"-X", "DELETE", "-H", std::string("Authorization: Bearer ") + kApiKey},
                            "/api/v1/incidents/INC-1");
  expect_problem(wrong, 405, "allows");
  // Nothing of the refused requests reached the page.
  EXPECT_EQ(get("/api/v1/status").json().at("incidents").as_array().size(), 1u);
}

TEST_F(StatusPage, AtomFeedHasAnEntryPerUpdate) {
  start(kExamples / "jetnet" / "policy.toml");
  ASSERT_EQ(post_incident(R"({"title":"Dial-up <busy>","impact":"partial-outage",
                              "components":["connectivity"],"body":"Modems answer busy & drop."})"),
            "INC-1");
  ASSERT_EQ(post_json("/api/v1/incidents/INC-1/updates", R"({"status":"monitoring"})").status, 200);
  ASSERT_EQ(post_incident(R"({"title":"Planned work","impact":"maintenance",
                              "components":["web-hosting"]})"),
            "INC-2");

  const Answer feed = get("/status.atom");
  ASSERT_EQ(feed.status, 200) << feed.body;
  EXPECT_TRUE(feed.has_header("content-type: application/atom\\+xml"));
  write_file(dir_ / "feed.xml", feed.body);
  // A real XML parser reads it, and the Atom elements are where they must be.
  const auto parsed = run_program(
      {"python3", "-c",
       "import sys, xml.dom.minidom as m\n"
       "d = m.parse(sys.argv[1]).documentElement\n"
       "A = 'http://www.w3.org/2005/Atom'\n"
       "assert d.tagName == 'feed' and d.namespaceURI == A, d.tagName\n"
       "def kids(e, n): return [c for c in e.childNodes if c.nodeType == 1 and c.tagName == n]\n"
       "for n in ('id', 'title', 'updated'): assert len(kids(d, n)) == 1, n\n"
       "es = kids(d, 'entry')\n"
       "for e in es:\n"
       "  for n in ('id', 'title', 'updated', 'content'): assert len(kids(e, n)) == 1, n\n"
       "ids = [kids(e, 'id')[0].firstChild.data for e in es]\n"
       "assert len(set(ids)) == len(ids)\n"
       "print(len(es))\n"
       "for e in es: print(kids(e, 'title')[0].firstChild.data)\n"
       "print(kids(es[-1], 'content')[0].firstChild.data)\n",
       (dir_ / "feed.xml").string()},
      {});
  ASSERT_EQ(parsed.exit_code, 0) << parsed.err << feed.body;
  std::istringstream lines(parsed.out);
  std::string count;
  std::getline(lines, count);
  EXPECT_EQ(count, "3");
  std::string newest;
  std::getline(lines, newest);
  EXPECT_NE(newest.find("INC-2: Planned work"), std::string::npos) << parsed.out;
  EXPECT_NE(parsed.out.find("INC-1: Dial-up <busy> – Monitoring"), std::string::npos) << parsed.out;
  EXPECT_NE(parsed.out.find("Modems answer busy & drop."), std::string::npos) << parsed.out;
}

TEST_F(StatusPage, TicketsOfAnAffectedProductAreLinkedAndHearOfUpdates) {
  start(kExamples / "jetnet" / "policy.toml");
  ASSERT_EQ(post_incident(R"({"title":"Mail delayed","impact":"major-outage",
                              "components":["email"]})"),
            "INC-1");

  // Through the API: the answer names the incident.
  const Answer created =
      post_json("/api/v1/tickets",
                R"({"subject":"No mail since 9","description":"Nothing arrives.","severity":1,
          "product":"email","customer":{"name":"Ann","email":"ann@example.com"}})");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto answer = created.json();
  ASSERT_TRUE(answer.contains("known_incidents")) << created.body;
  ASSERT_EQ(answer.at("known_incidents").as_array().size(), 1u);
  EXPECT_EQ(answer.at("known_incidents").as_array()[0].as_object().at("id").as_string(), "INC-1");
  EXPECT_EQ(answer.at("known_incidents").as_array()[0].as_object().at("url").as_string(),
            "/status#INC-1");
  const std::string reference(answer.at("reference").as_string());

  // A ticket for another product is not linked.
  const Answer other = post_json(
      "/api/v1/tickets",
      R"({"subject":"Site down","description":"404s.","severity":2,"product":"Web hosting",
          "customer":{"name":"Bob","email":"bob@example.com"}})");
  ASSERT_EQ(other.status, 201) << other.body;
  EXPECT_FALSE(other.json().contains("known_incidents")) << other.body;

  // Through the form: the form lists the incident, the created page says so.
  const Answer form = get("/");
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(form.contains("id=\"known-incidents\"")) << form.body;
  const Answer posted =
      curl({"--form-string", "csrf=" + hidden_value(form.body, "csrf"), "--form-string",
            "submission=" + hidden_value(form.body, "submission"), "--form-string",
            "subject=Mail bounces", "--form-string", "description=Every mail bounces.",
            "--form-string", "customer_name=Cy", "--form-string", "customer_phone=555-0100",
            "--form-string", "customer_email=cy@example.com", "--form-string",
            "field_account_name=cy", "--form-string", "product=Email"},
           "/tickets");
  ASSERT_EQ(posted.status, 201) << posted.body;
  EXPECT_TRUE(
      posted.contains("This looks like known incident <a href=\"/status#INC-1\">INC-1</a>: "
                      "Mail delayed"))
      << posted.body;

  auto ticket = get("/api/v1/tickets/" + reference, true);
  ASSERT_EQ(ticket.status, 200) << ticket.body;
  EXPECT_TRUE(ticket.contains("known incident INC-1: Mail delayed")) << ticket.body;
  EXPECT_EQ(get("/api/v1/incidents/INC-1", true).json().at("tickets").as_array().size(), 2u);

  // Each update reaches the linked tickets' history and queues a mail to each customer.
  const long before = outbox_messages();
  ASSERT_EQ(post_json("/api/v1/incidents/INC-1/updates",
                      R"({"status":"identified","body":"A full disk on the mail relay."})")
                .status,
            200);
  EXPECT_EQ(outbox_messages(), before + 2);
  ticket = get("/api/v1/tickets/" + reference, true);
  EXPECT_TRUE(ticket.contains("INC-1 Mail delayed (identified): A full disk on the mail relay."))
      << ticket.body;
  // Resolving notifies them all.
  ASSERT_EQ(post_json("/api/v1/incidents/INC-1/updates",
                      R"({"status":"resolved","body":"Mail flows again."})")
                .status,
            200);
  EXPECT_EQ(outbox_messages(), before + 4);
  ticket = get("/api/v1/tickets/" + reference, true);
  EXPECT_TRUE(ticket.contains("(resolved): Mail flows again.")) << ticket.body;
  // Public history: the customer sees it with the token as well.
  const auto history = ticket.json().at("history").as_array();
  EXPECT_EQ(history.back().as_object().at("kind").as_string(), "incident");
}

TEST_F(StatusPage, GermanTextsForNetcor) {
  const auto policy = dir_ / "netcor.toml";
  write_file(policy, read_file(kExamples / "netcor" / "policy.toml") + kNetcorComponents);
  start(policy);
  Answer page = get("/status");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(page.contains("<html lang=\"de\""));
  EXPECT_TRUE(page.contains("<h1>Servicestatus</h1>"));
  EXPECT_TRUE(page.contains("Kundenportal"));
  EXPECT_TRUE(page.contains("Betriebsbereit"));
  EXPECT_TRUE(page.contains("Keine Störungen."));
  ASSERT_EQ(post_incident(R"({"title":"Anmeldung gestört","impact":"partial-outage",
                              "components":["portal"],"body":"Wir prüfen das."})"),
            "INC-1");
  page = get("/status");
  EXPECT_TRUE(page.contains("Teilweiser Ausfall")) << page.body;
  EXPECT_TRUE(page.contains("Wird untersucht"));
  EXPECT_TRUE(page.contains("Aktuelle Störungen"));
  const Answer feed = get("/status.atom");
  EXPECT_TRUE(feed.contains("xml:lang=\"de\""));
  EXPECT_TRUE(feed.contains("NETCOR – Servicestatus"));
}

}  // namespace
}  // namespace supportgw
