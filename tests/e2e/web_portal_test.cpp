// The web portal in headless Chromium (tests/e2e/web_portal.cjs, playwright-core with
// Debian's chromium) against a real `supportgw serve`; the ticket it makes is then
// checked with the CLI. Screenshots land in the build tree (SUPPORTGW_E2E_SHOTS).

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <csignal>
#include <fstream>

#include "tests/support/daemon_process.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace supportgw {
namespace {

using testing::DaemonProcess;
using testing::run_program;

TEST(WebPortalInChromium, CustomerOpensTicketWithFileAndComments) {
  const std::filesystem::path node_modules = SUPPORTGW_E2E_NODE_MODULES;
  if (!std::filesystem::exists("/usr/bin/chromium") ||
      !std::filesystem::exists(node_modules / "playwright-core")) {
    GTEST_SKIP() << "needs /usr/bin/chromium (apt-get install chromium) and playwright-core "
                    "(the e2e.install_playwright test installs it into "
                 << node_modules << ")";
  }
  testing::TempDir dir;
  std::ofstream(dir / "gateway.toml")
      << "policy = \"" << SUPPORTGW_EXAMPLES_DIR << "/netex/policy.toml\"\n"
      << "plugins = \"" << SUPPORTGW_PLUGIN_DIR << "\"\n"
      << "[[channel]]\nname = \"web\"\nplugin = \"web\"\n[channel.settings]\n"
      << "listen = \"127.0.0.1:0\"\nmax_upload = \"16MiB\"\n";
  std::ofstream(dir / "hyperip.log") << "00:00:01 tunnel down\n00:00:09 tunnel up\n";
  DaemonProcess daemon(SUPPORTGW_BINARY, dir / "gateway.toml", dir / "state");
  ASSERT_TRUE(daemon.wait_ready()) << daemon.log();

  const std::filesystem::path shots = SUPPORTGW_E2E_SHOTS;
  std::filesystem::create_directories(shots);
  const auto browser =
      run_program({"node", SUPPORTGW_E2E_SCRIPT, "http://" + daemon.endpoint("web", "http"),
                   shots.string(), (dir / "hyperip.log").string()},
                  {"NODE_PATH=" + node_modules.string()});
  ASSERT_EQ(browser.exit_code, 0) << browser.out << browser.err << daemon.log();
  const auto result = boost::json::parse(browser.out).as_object();
  const std::string reference(result.at("reference").as_string());
  for (const char* shot : {"1-form.png", "3-created.png", "4-ticket.png", "5-commented.png"}) {
    EXPECT_TRUE(std::filesystem::exists(shots / shot)) << shot;
  }

  const auto shown = run_program({SUPPORTGW_BINARY, "--state-dir", (dir / "state").string(),
                                  "ticket", "show", reference, "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("hyperip.log"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("It happened again at 14:00."), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("chromium@example.com"), std::string::npos) << shown.out;
  daemon.signal(SIGTERM);
  daemon.wait();
}

}  // namespace
}  // namespace supportgw
