// The ftp channel plugin (plugins/ftp/server) in a real `supportgw serve`, beside the web
// channel that makes the tickets, driven by real clients over loopback: curl (upload,
// resume), lftp (put, ls) and Python's ftplib in small scripts written by the tests (one
// per command group, limit and hostile input). Attachments are checked through the JSON
// API against sha256sum of the file sent.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <sys/wait.h>

#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/daemon_process.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/ticket_api.hpp"

namespace supportgw {
namespace {

namespace fs = std::filesystem;
using testing::DaemonProcess;
using testing::ProgramResult;
using testing::run_program;

const fs::path kExamples = SUPPORTGW_EXAMPLES_DIR;
constexpr const char* kApiKey = "ftp-test-key-0123456789";

std::string sha256_of_file(const fs::path& file) {
  return run_program({"sha256sum", file.string()}).out.substr(0, 64);
}

void random_file(const fs::path& file, std::size_t mebibytes) {
  run_program({"dd", "if=/dev/urandom", "of=" + file.string(), "bs=1M",
               "count=" + std::to_string(mebibytes), "status=none"});
}

struct Ticket {
  std::string reference;
  std::string token;
};

// What every ftplib script starts with: a logged-in connection `ftp` (unless LOGIN is
// false) and `send(line)`/`reply()` for raw commands.
constexpr const char* kPythonPrelude = R"(import ftplib, hashlib, os, socket, sys, time
HOST, PORT, USER, TOKEN = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def connect(login=True):
    f = ftplib.FTP()
    f.connect(HOST, PORT, timeout=60)
    if login:
        f.login(USER, TOKEN)
    return f
def cmd(f, line):
    try:
        return f.sendcmd(line)
    except ftplib.all_errors as e:
        return str(e)
)";

class FtpChannel : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(fs::path(SUPPORTGW_PLUGIN_DIR) / "ftp.so"));
    api_key_hash_ = run_program({"sha256sum"}, {}, kApiKey).out.substr(0, 64);
  }

  void TearDown() override { stop(); }

  void write_config(const std::string& ftp_settings) {
    testing::write_file(dir_ / "gateway.toml",
                        "policy = \"" + (kExamples / "netex" / "policy.toml").string() +
                            "\"\nplugins = \"" + SUPPORTGW_PLUGIN_DIR +
                            "\"\n"
                            "[[channel]]\nname = \"web\"\nplugin = \"web\"\n[channel.settings]\n"
                            "listen = \"127.0.0.1:0\"\napi_keys = [\"" +
                            api_key_hash_ +
                            "\"]\n"
                            "[[channel]]\nname = \"ftp\"\nplugin = \"ftp\"\n[channel.settings]\n"
                            "listen = \"127.0.0.1:0\"\nlogin_failure_delay = \"50ms\"\n" +
                            ftp_settings);
  }

  // Starts a daemon on `ftp_settings` that must refuse them, and returns its log.
  std::string log_of_refused_start(const std::string& ftp_settings) {
    write_config(ftp_settings);
    DaemonProcess daemon(SUPPORTGW_BINARY, dir_ / "gateway.toml", dir_ / "state");
    EXPECT_FALSE(daemon.wait_ready());
    return daemon.log();
  }

  void start(const std::string& ftp_settings = "") {
    write_config(ftp_settings);
    launch();
  }

  // (Re)starts the daemon on the config and state already there.
  void launch() {
    daemon_ =
        std::make_unique<DaemonProcess>(SUPPORTGW_BINARY, dir_ / "gateway.toml", dir_ / "state");
    ASSERT_TRUE(daemon_->wait_ready()) << daemon_->log();
    web_ = daemon_->endpoint("web", "http");
    const std::string ftp = daemon_->endpoint("ftp", "ftp");
    ASSERT_FALSE(web_.empty()) << daemon_->log();
    ASSERT_FALSE(ftp.empty()) << daemon_->log();
    host_ = ftp.substr(0, ftp.rfind(':'));
    port_ = ftp.substr(ftp.rfind(':') + 1);
  }

  void stop() {
    if (daemon_) {
      daemon_->signal(SIGTERM);
      daemon_->wait();
      daemon_.reset();
    }
  }

  Ticket create_ticket() {
    const auto made = testing::create_ticket_via_api(web_, kApiKey, dir_ / "ticket.json");
    return {made.reference, made.token};
  }

  boost::json::array files_of(const Ticket& ticket) {
    return testing::ticket_files_via_api(web_, kApiKey, ticket.reference);
  }

  // A Python ftplib script that sends 1,000 bytes of `name` and then nothing, prints the
  // server's reply to the stall ("REPLY 426 ..." under a short data_timeout) and closes
  // the data connection: the upload's partial stays. Later lines may go on with `f`.
  static std::string stalled_store_script(const std::string& name) {
    return "\nf = connect()\nf.voidcmd(\"TYPE I\")\nconn = f.transfercmd(\"STOR " + name +
           "\")\nconn.sendall(b\"x\" * 1000)\nprint(\"REPLY\", f.getline())\nconn.close()\n";
  }

  // Resolves and closes `ticket` with the CLI, beside the running daemon.
  void close_ticket(const Ticket& ticket) {
    for (const char* step : {"resolve", "close"}) {
      const auto changed = run_program({SUPPORTGW_BINARY, "--state-dir", (dir_ / "state").string(),
                                        "ticket", step, ticket.reference});
      ASSERT_EQ(changed.exit_code, 0) << changed.out << changed.err;
    }
  }

  fs::path folder(const Ticket& ticket) const {
    return dir_ / "state" / "channels" / "ftp" / "uploads" / ticket.reference;
  }
  fs::path partial(const Ticket& ticket, const std::string& name) const {
    return folder(ticket) / ".partial" / name;
  }

  // curl uploading `file` at `rate` ("5M"), in the background, so a test can stop or kill
  // the daemon in the middle.
  testing::ChildProcess throttled_upload(const Ticket& ticket, const fs::path& file,
                                         const std::string& rate) const {
    return testing::ChildProcess({"curl", "-sS", "--limit-rate", rate, "--user",
                                  ticket.reference + ":" + ticket.token, "-T", file.string(),
                                  url()});
  }

  // After the daemon stopped or was killed mid-upload: its ready file goes (a killed daemon
  // leaves it, and the restarted one must not be taken for ready before it writes its
  // own), and the interrupted client is reaped.
  void forget_daemon(testing::ChildProcess& upload) {
    fs::remove(daemon_->ready_file());
    daemon_.reset();
    upload.wait();
  }

  // Waits until `file` holds more than `bytes` (an upload in flight got that far). Not a
  // timed assertion: the minute's limit only stops a hung test; the caller checks.
  static void wait_until_larger(const fs::path& file, std::uintmax_t bytes) {
    for (int i = 0; i < 1200; ++i) {
      std::error_code error;
      if (fs::file_size(file, error) > bytes && !error) {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  // Moves a time column of the ticket's row `days` into the past, as waiting that long
  // would (Python's sqlite3 beside the daemon; WAL lets both in).
  void backdate(const Ticket& ticket, const std::string& column, int days) {
    const auto done =
        run_program({"python3", "-c",
                     "import sqlite3, sys, time\n"
                     "db = sqlite3.connect(sys.argv[1])\n"
                     "db.execute('UPDATE tickets SET ' + sys.argv[2] + ' = ? WHERE reference = ?',"
                     " (int((time.time() - int(sys.argv[3]) * 86400) * 1000), sys.argv[4]))\n"
                     "db.commit()\n",
                     (dir_ / "state" / "supportgw.db").string(), column, std::to_string(days),
                     ticket.reference});
    ASSERT_EQ(done.exit_code, 0) << done.err;
  }

  // An upload the server cut for its size or the quota. The server stops reading and
  // closes the data connection, then answers 552: curl reports that reply (70,
  // CURLE_REMOTE_DISK_FULL) when it had already handed all its bytes to the socket, or
  // the reset of the connection it was still writing to (55, CURLE_SEND_ERROR), which
  // depends on socket buffers and timing. Either way the file was refused.
  static void expect_refused_as_full(const ProgramResult& result) {
    EXPECT_TRUE(result.exit_code == 70 || result.exit_code == 55)
        << result.exit_code << ": " << result.err;
  }

  // Waits until `file` is gone: the server removes a refused upload's partial after it
  // closed the data connection, which the client may see first. The limit only stops a
  // hung test; the caller checks the result.
  static bool wait_until_gone(const fs::path& file) {
    for (int i = 0; i < 1200; ++i) {
      if (!fs::exists(file)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  std::string url(const std::string& path = "/") const {
    return "ftp://" + host_ + ":" + port_ + path;
  }

  ProgramResult curl_upload(const Ticket& ticket, const fs::path& file,
                            std::vector<std::string> more = {}) {
    std::vector<std::string> argv = {
        "curl", "-sS", "--user", ticket.reference + ":" + ticket.token, "-T", file.string()};
    argv.insert(argv.end(), more.begin(), more.end());
    argv.push_back(url());
    return run_program(argv);
  }

  // Runs kPythonPrelude + `body` as ticket's user (`extra` from sys.argv[5] on).
  ProgramResult python(const Ticket& ticket, const std::string& body,
                       const std::vector<std::string>& extra = {}) {
    const auto script = dir_ / "script.py";
    testing::write_file(script, std::string(kPythonPrelude) + body);
    std::vector<std::string> argv = {"python3", script.string(),  host_,
                                     port_,     ticket.reference, ticket.token};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_program(argv);
  }

  void expect_attached_once(const Ticket& ticket, const std::string& name, const fs::path& sent) {
    testing::expect_attached_once(files_of(ticket), name, fs::file_size(sent),
                                  sha256_of_file(sent));
  }

  testing::TempDir dir_;
  std::unique_ptr<DaemonProcess> daemon_;
  std::string web_;
  std::string host_;
  std::string port_;
  std::string api_key_hash_;
};

TEST_F(FtpChannel, ReportsItsEndpointAndTakesACurlUpload) {
  start();
  const Ticket ticket = create_ticket();
  random_file(dir_ / "core.dump", 3);
  const auto result = curl_upload(ticket, dir_ / "core.dump");
  ASSERT_EQ(result.exit_code, 0) << result.err << daemon_->log();
  expect_attached_once(ticket, "core.dump", dir_ / "core.dump");
  EXPECT_EQ(sha256_of_file(folder(ticket) / "core.dump"), sha256_of_file(dir_ / "core.dump"));
  EXPECT_FALSE(fs::exists(partial(ticket, "core.dump")));
  // The content note comes after the 226, off the reply's path.
  EXPECT_TRUE(daemon_->wait_for_log("received core.dump")) << daemon_->log();
}

// After the 226, off the reply's path: the file type and an archive's entries go into the
// ticket's history as an internal note (seen through the CLI, as support sees it).
TEST_F(FtpChannel, AnArchivesEntriesAreNotedAfterTheUpload) {
  start();
  const Ticket ticket = create_ticket();
  testing::write_file(dir_ / "router.log", "boot\n");
  testing::write_file(dir_ / "crash.txt", "panic\n");
  ASSERT_EQ(run_program({"tar", "-czf", (dir_ / "logs.tar.gz").string(), "-C", dir_.path().string(),
                         "router.log", "crash.txt"})
                .exit_code,
            0);
  ASSERT_EQ(curl_upload(ticket, dir_ / "logs.tar.gz").exit_code, 0);
  std::string shown;
  for (int i = 0; i < 600; ++i) {  // a limit for a hung test, not a timing assertion
    shown = run_program({SUPPORTGW_BINARY, "--state-dir", (dir_ / "state").string(), "ticket",
                         "show", ticket.reference})
                .out;
    if (shown.find("crash.txt") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_NE(shown.find("logs.tar.gz: type: application/gzip"), std::string::npos) << shown;
  EXPECT_NE(shown.find("router.log"), std::string::npos) << shown;
  EXPECT_NE(shown.find("crash.txt"), std::string::npos) << shown;
}

TEST_F(FtpChannel, TheSameNameTwiceKeepsBothFiles) {
  start();
  const Ticket ticket = create_ticket();
  testing::write_file(dir_ / "log.txt", "first\n");
  ASSERT_EQ(curl_upload(ticket, dir_ / "log.txt").exit_code, 0);
  testing::write_file(dir_ / "log.txt", "second\n");
  ASSERT_EQ(curl_upload(ticket, dir_ / "log.txt").exit_code, 0);
  EXPECT_EQ(testing::read_file(folder(ticket) / "log.txt"), "first\n");
  EXPECT_EQ(testing::read_file(folder(ticket) / "log-2.txt"), "second\n");
  EXPECT_EQ(files_of(ticket).size(), 2u);
}

TEST_F(FtpChannel, WrongPasswordIsRefusedAndTheThirdEndsTheSession) {
  start();
  const Ticket ticket = create_ticket();
  testing::write_file(dir_ / "a.txt", "a\n");
  const auto curl = curl_upload(Ticket{ticket.reference, "wrong-token"}, dir_ / "a.txt");
  EXPECT_EQ(curl.exit_code, 67) << curl.err;  // CURLE_LOGIN_DENIED
  const auto out = python(ticket, R"(
f = connect(login=False)
for i in range(3):
    print(cmd(f, "USER " + USER))
    print(cmd(f, "PASS not-the-token"))
print(cmd(f, "NOOP"))
g = connect(login=False)
print(cmd(g, "USER ../../etc"))
print(cmd(g, "PASS " + TOKEN))
print(cmd(g, "USER SR-0000-999999"))
print(cmd(g, "PASS " + TOKEN))
)");
  EXPECT_NE(out.out.find("530 Login incorrect"), std::string::npos) << out.out << out.err;
  EXPECT_NE(out.out.find("421 Login incorrect, too many times"), std::string::npos) << out.out;
  EXPECT_EQ(out.out.rfind("230"), std::string::npos) << out.out;
  EXPECT_TRUE(files_of(ticket).empty());
}

TEST_F(FtpChannel, AClosedTicketRefusesLogin) {
  start();
  const Ticket ticket = create_ticket();
  ASSERT_NO_FATAL_FAILURE(close_ticket(ticket));
  const auto out = python(ticket, R"(
f = connect(login=False)
print(cmd(f, "USER " + USER))
print(cmd(f, "PASS " + TOKEN))
)");
  EXPECT_NE(out.out.find("530 Ticket " + ticket.reference + " is closed"), std::string::npos)
      << out.out << out.err;
}

// NetEx's policy gives a token 30 days of uploads ([uploads] token_lifetime). A token
// issued 31 days ago is refused at login with what to do; `ticket renew-token` opens
// uploads again with the same token, `--new` replaces it.
TEST_F(FtpChannel, AnExpiredTokenIsRefusedUntilSupportRenewsIt) {
  start();
  const Ticket ticket = create_ticket();
  // Backdate the issue, as 31 days of waiting would.
  backdate(ticket, "token_issued_at", 31);
  const std::string login = R"(
f = connect(login=False)
print(cmd(f, "USER " + USER))
print(cmd(f, "PASS " + TOKEN))
)";
  const auto refused = python(ticket, login);
  EXPECT_NE(refused.out.find("530 The token of ticket " + ticket.reference +
                             " stopped opening uploads at "),
            std::string::npos)
      << refused.out << refused.err;
  EXPECT_NE(refused.out.find("ask support to renew it"), std::string::npos) << refused.out;

  const std::string state = (dir_ / "state").string();
  const auto renewed = run_program({SUPPORTGW_BINARY, "--state-dir", state, "--policy",
                                    (kExamples / "netex" / "policy.toml").string(), "ticket",
                                    "renew-token", ticket.reference});
  ASSERT_EQ(renewed.exit_code, 0) << renewed.out << renewed.err;
  EXPECT_NE(renewed.out.find(ticket.reference + ": token renewed at "), std::string::npos)
      << renewed.out;
  EXPECT_NE(renewed.out.find("uploads:   open until "), std::string::npos) << renewed.out;
  testing::write_file(dir_ / "after.txt", "renewed\n");
  const auto upload = curl_upload(ticket, dir_ / "after.txt");
  ASSERT_EQ(upload.exit_code, 0) << upload.err << daemon_->log();
  expect_attached_once(ticket, "after.txt", dir_ / "after.txt");

  // A new token: printed once (and mailed); the old one stops working.
  const auto replaced = run_program({SUPPORTGW_BINARY, "--state-dir", state, "--json", "ticket",
                                     "renew-token", "--new", ticket.reference});
  ASSERT_EQ(replaced.exit_code, 0) << replaced.out << replaced.err;
  const auto answer = boost::json::parse(replaced.out).as_object();
  const Ticket renewed_ticket{ticket.reference, std::string(answer.at("token").as_string())};
  EXPECT_NE(renewed_ticket.token, ticket.token);
  EXPECT_NE(python(ticket, login).out.find("530 Login incorrect"), std::string::npos);
  EXPECT_NE(python(renewed_ticket, login).out.find("230 "), std::string::npos);

  // Closed: no renewal.
  ASSERT_NO_FATAL_FAILURE(close_ticket(ticket));
  const auto too_late = run_program(
      {SUPPORTGW_BINARY, "--state-dir", state, "ticket", "renew-token", ticket.reference});
  EXPECT_NE(too_late.exit_code, 0);
  EXPECT_NE(too_late.err.find("is closed"), std::string::npos) << too_late.err;
}

// NetEx keeps a closed ticket's files 90 days ([uploads] retention). The daemon's sweep
// (at start, then once a minute) deletes them from disk, notes it in the history, and the
// ticket stops listing them.
TEST_F(FtpChannel, AClosedTicketsUploadsAreDeletedAfterTheRetentionPeriod) {
  start();
  const Ticket ticket = create_ticket();
  random_file(dir_ / "core.dump", 1);
  ASSERT_EQ(curl_upload(ticket, dir_ / "core.dump").exit_code, 0);
  ASSERT_TRUE(fs::exists(folder(ticket) / "core.dump"));
  const std::string state = (dir_ / "state").string();
  ASSERT_NO_FATAL_FAILURE(close_ticket(ticket));
  stop();
  // Closed 91 days ago, as far as the store knows.
  backdate(ticket, "updated_at", 91);
  launch();
  ASSERT_TRUE(daemon_->wait_for_log("retention: deleted 1 file(s) of 1 closed ticket(s)"))
      << daemon_->log();
  EXPECT_FALSE(fs::exists(folder(ticket) / "core.dump"));
  EXPECT_TRUE(files_of(ticket).empty());
  const auto shown =
      run_program({SUPPORTGW_BINARY, "--state-dir", state, "ticket", "show", ticket.reference});
  EXPECT_NE(shown.out.find("core.dump"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("(deleted "), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("Deleted after the retention period of closed tickets:\ncore.dump "
                           "(1048576 bytes, SHA-256 " +
                           sha256_of_file(dir_ / "core.dump") + ")"),
            std::string::npos)
      << shown.out;
}

// Red Hat's model, with `incoming = true`: an anonymous drop box beside the per-ticket
// logins. A file named <reference>_<name> goes to that open ticket as <name>; anything
// else is refused at STOR with the rule, and nothing can be listed.
TEST_F(FtpChannel, TheIncomingDropBoxTakesFilesNamedAfterTheirTicket) {
  start("incoming = true\n");
  const Ticket ticket = create_ticket();
  random_file(dir_ / "core.dump", 2);
  // curl logs in as anonymous when the URL names no user.
  const auto dropped = run_program({"curl", "-sS", "-T", (dir_ / "core.dump").string(),
                                    url("/" + ticket.reference + "_core.dump")});
  ASSERT_EQ(dropped.exit_code, 0) << dropped.err << daemon_->log();
  expect_attached_once(ticket, "core.dump", dir_ / "core.dump");
  EXPECT_TRUE(fs::exists(folder(ticket) / "core.dump"));

  const auto out = python(Ticket{"anonymous", "drop@example.com"}, R"(
import io
f = connect()
print("PWD", cmd(f, "PWD"))
print("NLST", f.nlst())
for name in ("core.dump", "NX-999999_core.dump", "../x_core.dump", sys.argv[5] + "_.hidden"):
    try:
        print("STOR", f.storbinary("STOR " + name, io.BytesIO(b"data")))
    except ftplib.all_errors as e:
        print("STOR", e)
print("MDTM", cmd(f, "MDTM " + sys.argv[5] + "_core.dump"))
print("STOR", f.storbinary("STOR " + sys.argv[5] + "_notes.txt", io.BytesIO(b"notes\n")))
)",
                          {ticket.reference});
  EXPECT_NE(out.out.find("PWD 257 \"/\" is the drop box."), std::string::npos)
      << out.out << out.err;
  EXPECT_NE(out.out.find("NLST []"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("STOR 553 File name refused: name the file <reference>_<name>"),
            std::string::npos)
      << out.out;
  EXPECT_NE(out.out.find("STOR 553 No open ticket NX-999999"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("MDTM 550 The drop box cannot be listed."), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("STOR 226 Transfer complete: notes.txt"), std::string::npos) << out.out;
  EXPECT_EQ(files_of(ticket).size(), 2u);
  // What came in through the drop box says so in the history.
  const auto shown = run_program({SUPPORTGW_BINARY, "--state-dir", (dir_ / "state").string(),
                                  "ticket", "show", ticket.reference});
  EXPECT_NE(shown.out.find("left in the FTP drop box from 127.0.0.1"), std::string::npos)
      << shown.out;
}

TEST_F(FtpChannel, WithoutIncomingAnAnonymousLoginIsRefused) {
  start();
  const Ticket ticket = create_ticket();
  testing::write_file(dir_ / "a.txt", "a\n");
  const auto dropped = run_program(
      {"curl", "-sS", "-T", (dir_ / "a.txt").string(), url("/" + ticket.reference + "_a.txt")});
  EXPECT_EQ(dropped.exit_code, 67) << dropped.err;  // CURLE_LOGIN_DENIED
  EXPECT_TRUE(files_of(ticket).empty());
}

// The ticket closes while its customer is logged in: the file is received, but attach()
// refuses it, and the client hears why instead of a 226.
TEST_F(FtpChannel, AnAttachRefusalIsTheUploadsReply) {
  start();
  const Ticket ticket = create_ticket();
  const auto out = python(ticket, R"(
import io, subprocess
f = connect()
for step in ("resolve", "close"):
    subprocess.run([sys.argv[5], "--state-dir", sys.argv[6], "ticket", step, USER], check=True,
                   stdout=subprocess.DEVNULL)
try:
    print("STOR", f.storbinary("STOR late.txt", io.BytesIO(b"too late")))
except ftplib.all_errors as e:
    print("STOR", e)
)",
                          {SUPPORTGW_BINARY, (dir_ / "state").string()});
  EXPECT_NE(out.out.find("STOR 550 The file was received but not attached"), std::string::npos)
      << out.out << out.err;
  EXPECT_NE(out.out.find("closed"), std::string::npos) << out.out;
  EXPECT_TRUE(files_of(ticket).empty());
  EXPECT_FALSE(fs::exists(folder(ticket) / "late.txt"));  // nothing left lying unattached
}

// The store cannot take the attachment just now (another process holds its write lock
// longer than the daemon's busy timeout): the reply says so, and the file neither lies in
// the folder unattached nor turns the retry into "busy-2.bin". It is a complete partial
// again, which REST <size> + STOR finishes without sending the bytes again.
TEST_F(FtpChannel, AFileThatCannotBeAttachedNowStaysAResumablePartial) {
  start();
  const Ticket ticket = create_ticket();
  random_file(dir_ / "busy.bin", 1);
  const auto size = fs::file_size(dir_ / "busy.bin");
  const fs::path locked = dir_ / "locked";
  testing::ChildProcess lock_holder({"python3", "-c",
                                     "import sqlite3, sys, time\n"
                                     "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                                     "db.execute('BEGIN IMMEDIATE')\n"
                                     "open(sys.argv[2], 'w').close()\n"
                                     "time.sleep(600)\n",
                                     (dir_ / "state" / "supportgw.db").string(), locked.string()});
  for (int i = 0; i < 1200 && !fs::exists(locked); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(fs::exists(locked));

  const auto refused = python(ticket, R"(
import io
f = connect()
try:
    print("STOR", f.storbinary("STOR busy.bin", open(sys.argv[5], "rb")))
except ftplib.all_errors as e:
    print("STOR", e)
)",
                              {(dir_ / "busy.bin").string()});
  EXPECT_NE(refused.out.find("STOR 451 The file was received but could not be attached now"),
            std::string::npos)
      << refused.out << refused.err << daemon_->log();
  EXPECT_NE(refused.out.find("REST " + std::to_string(size)), std::string::npos) << refused.out;
  EXPECT_FALSE(fs::exists(folder(ticket) / "busy.bin"));
  ASSERT_TRUE(fs::exists(partial(ticket, "busy.bin")));
  EXPECT_EQ(fs::file_size(partial(ticket, "busy.bin")), size);

  lock_holder.kill(SIGKILL);
  lock_holder.wait();
  const auto finished = python(ticket, R"(
import io
f = connect()
f.voidcmd("TYPE I")
print("SIZE", f.size("busy.bin"))
print("REST", f.storbinary("STOR busy.bin", io.BytesIO(b""), rest=int(sys.argv[5])))
print("NLST", f.nlst())
)",
                               {std::to_string(size)});
  EXPECT_NE(finished.out.find("SIZE " + std::to_string(size)), std::string::npos)
      << finished.out << finished.err;
  EXPECT_NE(finished.out.find("REST 226"), std::string::npos) << finished.out << daemon_->log();
  EXPECT_NE(finished.out.find("NLST ['busy.bin']"), std::string::npos) << finished.out;
  EXPECT_FALSE(fs::exists(partial(ticket, "busy.bin")));
  expect_attached_once(ticket, "busy.bin", dir_ / "busy.bin");
}

// What a daemon killed between an upload's rename and its attachment's commit leaves: a
// finished file the ticket does not list, and the journal's note. The next start puts it
// back as a complete partial before taking connections, so the client's retry does not
// land beside it as "crash-2.bin", and REST finishes it: attached once.
TEST_F(FtpChannel, AFileLeftUnattachedByAKilledDaemonIsAPartialAfterRestart) {
  start();
  const Ticket ticket = create_ticket();
  stop();
  fs::create_directories(folder(ticket));
  random_file(folder(ticket) / "crash.bin", 1);
  const auto size = fs::file_size(folder(ticket) / "crash.bin");
  const fs::path notes = dir_ / "state" / "channels" / "ftp" / "uploads" / ".attaching";
  fs::create_directories(notes);
  testing::write_file(notes / "left-by-the-killed-daemon", ticket.reference + "\ncrash.bin\n");

  launch();
  EXPECT_FALSE(fs::exists(folder(ticket) / "crash.bin")) << daemon_->log();
  ASSERT_TRUE(fs::exists(partial(ticket, "crash.bin"))) << daemon_->log();
  EXPECT_EQ(fs::file_size(partial(ticket, "crash.bin")), size);
  EXPECT_TRUE(fs::is_empty(notes));
  EXPECT_NE(daemon_->log().find("crash.bin was never attached"), std::string::npos)
      << daemon_->log();

  const auto finished = python(ticket, R"(
import io
f = connect()
f.voidcmd("TYPE I")
print("REST", f.storbinary("STOR crash.bin", io.BytesIO(b""), rest=int(sys.argv[5])))
print("NLST", f.nlst())
)",
                               {std::to_string(size)});
  EXPECT_NE(finished.out.find("REST 226"), std::string::npos) << finished.out << finished.err;
  EXPECT_NE(finished.out.find("NLST ['crash.bin']"), std::string::npos) << finished.out;
  EXPECT_EQ(files_of(ticket).size(), 1u);
  EXPECT_TRUE(fs::is_empty(notes));  // the upload's own note went after its attachment
}

TEST_F(FtpChannel, LftpPutsAndLists) {
  start();
  const Ticket ticket = create_ticket();
  random_file(dir_ / "trace.bin", 1);
  const auto result =
      run_program({"lftp", "-c",
                   "set cmd:fail-exit yes; set net:max-retries 1; set ftp:ssl-allow no; open -u " +
                       ticket.reference + "," + ticket.token + " -p " + port_ + " " + host_ +
                       "; put " + (dir_ / "trace.bin").string() + "; ls; cls -1"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("trace.bin"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(std::to_string(fs::file_size(dir_ / "trace.bin"))), std::string::npos)
      << result.out;
  expect_attached_once(ticket, "trace.bin", dir_ / "trace.bin");
}

TEST_F(FtpChannel, AnswersTheSessionCommands) {
  start();
  const Ticket ticket = create_ticket();
  const auto out = python(ticket, R"(
f = connect()
for line in ["SYST", "FEAT", "OPTS UTF8 ON", "OPTS NONSENSE", "PWD", "CWD /", "CWD ..",
             "CWD /etc", "CWD ../../etc", "CDUP", "PWD", "TYPE A", "TYPE I", "TYPE E",
             "MODE S", "MODE B", "STRU F", "STRU R", "NOOP", "HELP", "ALLO 10",
             "RETR anything", "DELE x", "MKD d", "RNFR x", "AUTH TLS", "EPSV ALL"]:
    print(line, "=>", cmd(f, line))
print("QUIT =>", f.quit())
)");
  const std::string& text = out.out;
  const auto has = [&](const std::string& line) {
    EXPECT_NE(text.find(line), std::string::npos) << "missing: " << line << "\n" << text << out.err;
  };
  has("SYST => 215 UNIX Type: L8");
  has("FEAT => 211");
  has("OPTS UTF8 ON => 200");
  has("OPTS NONSENSE => 501");
  has("PWD => 257 \"/\"");
  has("CWD / => 250");
  has("CWD .. => 250");
  has("CWD /etc => 550");
  has("CWD ../../etc => 550");
  has("CDUP => 250");
  has("TYPE A => 200");
  has("TYPE I => 200");
  has("TYPE E => 504");
  has("MODE S => 200");
  has("MODE B => 504");
  has("STRU F => 200");
  has("STRU R => 504");
  has("NOOP => 200");
  has("HELP => 214");
  has("ALLO 10 => 202");
  has("RETR anything => 550 Downloads are not offered");
  has("DELE x => 550");
  has("MKD d => 550");
  has("RNFR x => 550");
  has("AUTH TLS => 502");
  has("EPSV ALL => 200");
  has("QUIT => 221");
}

TEST_F(FtpChannel, CommandsBeforeLoginAreRefused) {
  start();
  const Ticket ticket = create_ticket();
  const auto out = python(ticket, R"(
f = connect(login=False)
for line in ["PWD", "STOR x", "LIST", "PASV", "PASS x"]:
    print(line, "=>", cmd(f, line))
)");
  EXPECT_NE(out.out.find("PWD => 530"), std::string::npos) << out.out << out.err;
  EXPECT_NE(out.out.find("STOR x => 530"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("PASV => 530"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("PASS x => 503"), std::string::npos) << out.out;
}

TEST_F(FtpChannel, ListsSizesAndTimesOfOwnFinishedUploadsOnly) {
  start();
  const Ticket ticket = create_ticket();
  const Ticket other = create_ticket();
  testing::write_file(dir_ / "mine.txt", "12345\n");
  testing::write_file(dir_ / "theirs.txt", "abc\n");
  ASSERT_EQ(curl_upload(ticket, dir_ / "mine.txt").exit_code, 0);
  ASSERT_EQ(curl_upload(other, dir_ / "theirs.txt").exit_code, 0);
  const auto out = python(ticket, R"(
f = connect()
f.voidcmd("TYPE I")
print("NLST", f.nlst())
lines = []
f.retrlines("LIST", lines.append)
print("LIST", lines)
print("MLSD", list(f.mlsd()))
print("MLST", cmd(f, "MLST mine.txt"))
print("SIZE", cmd(f, "SIZE mine.txt"))
print("SIZE-THEIRS", cmd(f, "SIZE theirs.txt"))
print("SIZE-PATH", cmd(f, "SIZE ../" + "x/theirs.txt"))
print("MDTM", cmd(f, "MDTM mine.txt"))
print("MDTM-NONE", cmd(f, "MDTM none.txt"))
)");
  const std::string& text = out.out;
  EXPECT_NE(text.find("NLST ['mine.txt']"), std::string::npos) << text << out.err;
  EXPECT_NE(text.find("-rw-r--r-- 1 ftp ftp 6 "), std::string::npos) << text;
  EXPECT_NE(text.find("('mine.txt', {'type': 'file', 'size': '6', 'modify': '"), std::string::npos)
      << text;
  EXPECT_NE(text.find("MLST 250-Listing mine.txt"), std::string::npos) << text;
  EXPECT_NE(text.find("SIZE 213 6"), std::string::npos) << text;
  EXPECT_NE(text.find("SIZE-THEIRS 550"), std::string::npos) << text;
  EXPECT_NE(text.find("SIZE-PATH 550"), std::string::npos) << text;
  EXPECT_NE(text.find("MDTM 213 20"), std::string::npos) << text;
  EXPECT_NE(text.find("MDTM-NONE 550"), std::string::npos) << text;
  EXPECT_EQ(text.find("theirs.txt'"), std::string::npos) << text;
}

TEST_F(FtpChannel, HostileFileNamesAreRefusedAndNothingLandsOutside) {
  start();
  const Ticket ticket = create_ticket();
  const auto out = python(ticket, R"(
import io
f = connect()
for name in ["../escape.txt", "../../etc/passwd", "/etc/passwd", ".partial", ".bashrc",
             "a/b.txt", "evil\x1b[31m.txt", "x" * 300, "..", "/"]:
    try:
        print(repr(name[:20]), "=>", f.storbinary("STOR " + name, io.BytesIO(b"data")))
    except ftplib.all_errors as e:
        print(repr(name[:20]), "=>", e)
print("OK", f.storbinary("STOR /plain.txt", io.BytesIO(b"data")))
)");
  const std::string& text = out.out;
  EXPECT_EQ(text.find("=> 226"), std::string::npos) << text << out.err;
  EXPECT_EQ(text.find("=> 150"), std::string::npos) << text;
  std::size_t refusals = 0;
  for (std::size_t at = text.find("=> 553"); at != std::string::npos;
       at = text.find("=> 553", at + 1)) {
    ++refusals;
  }
  EXPECT_EQ(refusals, 10u) << text;
  EXPECT_NE(text.find("OK 226"), std::string::npos) << text;
  EXPECT_FALSE(fs::exists(folder(ticket).parent_path() / "escape.txt"));
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder(ticket))) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{".partial", "plain.txt"}));
}

TEST_F(FtpChannel, PortAndEprtAreOffByDefault) {
  start();
  const Ticket ticket = create_ticket();
  const auto out = python(ticket, R"(
f = connect()
print("PORT", cmd(f, "PORT 127,0,0,1,200,10"))
print("EPRT", cmd(f, "EPRT |1|192.0.2.7|51210|"))
)");
  EXPECT_NE(out.out.find("PORT 502"), std::string::npos) << out.out << out.err;
  EXPECT_NE(out.out.find("EPRT 502"), std::string::npos) << out.out;
}

TEST_F(FtpChannel, ActiveModeWhenAllowedGoesOnlyToTheClientsOwnAddress) {
  start("allow_active = true\n");
  const Ticket ticket = create_ticket();
  const auto out = python(ticket, R"(
import io
f = connect()
print("THIRD", cmd(f, "PORT 192,0,2,7,200,10"))
print("THIRD6", cmd(f, "EPRT |1|127.0.0.2|51210|"))
print("LOW", cmd(f, "PORT 127,0,0,1,0,25"))
f.set_pasv(False)
print("UPLOAD", f.storbinary("STOR active.txt", io.BytesIO(b"via PORT\n")))
)");
  EXPECT_NE(out.out.find("THIRD 504"), std::string::npos) << out.out << out.err;
  EXPECT_NE(out.out.find("THIRD6 504"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("LOW 504"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("UPLOAD 226"), std::string::npos) << out.out;
  EXPECT_EQ(testing::read_file(folder(ticket) / "active.txt"), "via PORT\n");
}

TEST_F(FtpChannel, AnEndlessCommandLineGets500AndTheConnectionCloses) {
  start();
  const Ticket ticket = create_ticket();
  const auto out = python(ticket, R"(
s = socket.create_connection((HOST, PORT), timeout=60)
r = s.makefile("rb")
print("GREETING", r.readline().decode().strip())
sent = 0
try:
    while sent < 64 * 1024 * 1024:
        s.sendall(b"A" * 65536)
        sent += 65536
except OSError as e:
    print("SEND STOPPED", type(e).__name__)
print("REPLY", r.readline().decode().strip())
print("THEN", r.read())
)");
  EXPECT_NE(out.out.find("REPLY 500 Command line too long"), std::string::npos)
      << out.out << out.err;
  EXPECT_NE(out.out.find("THEN b''"), std::string::npos) << out.out;
  // The server stopped reading: it never took in 64 MiB of one line.
  EXPECT_NE(out.out.find("SEND STOPPED"), std::string::npos) << out.out;
}

TEST_F(FtpChannel, AFloodOfUnknownCommandsEndsTheSession) {
  start("max_bad_commands = 10\n");
  const Ticket ticket = create_ticket();
  const auto out = python(ticket, R"(
f = connect()
replies = []
for i in range(30):
    try:
        replies.append(cmd(f, "XYZZ %d" % i)[:3])
    except (EOFError, OSError):
        replies.append("closed")
        break
print("REPLIES", replies)
)");
  EXPECT_NE(out.out.find("'502', '502'"), std::string::npos) << out.out << out.err;
  EXPECT_NE(out.out.find("'421'"), std::string::npos) << out.out;
  EXPECT_EQ(out.out.find("'502', '502', '502', '502', '502', '502', '502', '502', '502', '502'"),
            std::string::npos)
      << out.out;
}

TEST_F(FtpChannel, MaxUploadRefusesALargerFileAndKeepsNothing) {
  start("max_upload = \"1MiB\"\n");
  const Ticket ticket = create_ticket();
  random_file(dir_ / "big.bin", 2);
  const auto result = curl_upload(ticket, dir_ / "big.bin");
  expect_refused_as_full(result);
  EXPECT_FALSE(fs::exists(folder(ticket) / "big.bin"));
  EXPECT_TRUE(wait_until_gone(partial(ticket, "big.bin")));
  EXPECT_TRUE(files_of(ticket).empty());
}

TEST_F(FtpChannel, TicketQuotaCountsEveryFileOfTheTicket) {
  start("ticket_quota = \"3MiB\"\n");
  const Ticket ticket = create_ticket();
  random_file(dir_ / "one.bin", 2);
  random_file(dir_ / "two.bin", 2);
  ASSERT_EQ(curl_upload(ticket, dir_ / "one.bin").exit_code, 0);
  const auto second = curl_upload(ticket, dir_ / "two.bin");
  expect_refused_as_full(second);
  EXPECT_TRUE(wait_until_gone(partial(ticket, "two.bin")));
  EXPECT_EQ(files_of(ticket).size(), 1u);
  // Another ticket has its own quota.
  const Ticket other = create_ticket();
  EXPECT_EQ(curl_upload(other, dir_ / "two.bin").exit_code, 0);
}

TEST_F(FtpChannel, SessionsPerAddressAreLimited) {
  start("max_sessions_per_address = 2\n");
  const Ticket ticket = create_ticket();
  const auto out = python(ticket, R"(
held = [connect(login=False), connect(login=False)]
s = socket.create_connection((HOST, PORT), timeout=60)
print("THIRD", s.makefile("rb").readline().decode().strip())
held[0].quit()
time.sleep(0)  # the count drops when the server has seen the QUIT through
for attempt in range(100):
    s = socket.create_connection((HOST, PORT), timeout=60)
    line = s.makefile("rb").readline().decode().strip()
    if line.startswith("220"):
        break
    time.sleep(0.05)
print("AFTER", line)
)");
  EXPECT_NE(out.out.find("THIRD 421 Too many connections from your address"), std::string::npos)
      << out.out << out.err;
  EXPECT_NE(out.out.find("AFTER 220"), std::string::npos) << out.out;
}

TEST_F(FtpChannel, SessionsInAllAreLimited) {
  start("max_sessions = 1\n");
  const Ticket ticket = create_ticket();
  const auto out = python(ticket, R"(
held = connect()
s = socket.create_connection((HOST, PORT), timeout=60)
print("SECOND", s.makefile("rb").readline().decode().strip())
print("HELD", held.sendcmd("NOOP"))
)");
  EXPECT_NE(out.out.find("SECOND 421 Too many connections; try again later."), std::string::npos)
      << out.out << out.err;
  EXPECT_NE(out.out.find("HELD 200"), std::string::npos) << out.out;
}

TEST_F(FtpChannel, IdleSessionsAreClosed) {
  start("idle_timeout = \"1s\"\n");
  const Ticket ticket = create_ticket();
  const auto out = python(ticket, R"(
f = connect()
print("LAST", f.getline())
)");
  EXPECT_NE(out.out.find("LAST 421 Idle timeout"), std::string::npos) << out.out << out.err;
}

// A client cut off mid-file (its control connection closed first, as when it dies)
// leaves a partial; SIZE reports it and curl -C - finishes it with APPE.
TEST_F(FtpChannel, AnInterruptedUploadResumesWithCurl) {
  start();
  const Ticket ticket = create_ticket();
  random_file(dir_ / "dump.bin", 4);
  const auto cut = python(ticket, R"(
data = open(sys.argv[5], "rb").read()
f = connect()
f.voidcmd("TYPE I")
conn = f.transfercmd("STOR dump.bin")
conn.sendall(data[:1500000])
f.sock.shutdown(socket.SHUT_RDWR)  # ftplib keeps the socket open through its file
time.sleep(0.2)
conn.close()
g = connect()
g.voidcmd("TYPE I")
for attempt in range(200):
    size = g.size("dump.bin")
    if size == 1500000:
        break
    time.sleep(0.05)
print("PARTIAL", size)
)",
                          {(dir_ / "dump.bin").string()});
  ASSERT_NE(cut.out.find("PARTIAL 1500000"), std::string::npos)
      << cut.out << cut.err << daemon_->log();
  EXPECT_TRUE(files_of(ticket).empty());
  const auto resumed = curl_upload(ticket, dir_ / "dump.bin", {"-C", "-"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  expect_attached_once(ticket, "dump.bin", dir_ / "dump.bin");
  EXPECT_FALSE(fs::exists(partial(ticket, "dump.bin")));
}

TEST_F(FtpChannel, AborKeepsThePartialAndRestStorCompletesIt) {
  start();
  const Ticket ticket = create_ticket();
  random_file(dir_ / "abort.bin", 2);
  const auto out = python(ticket, R"(
data = open(sys.argv[5], "rb").read()
f = connect()
f.voidcmd("TYPE I")
conn = f.transfercmd("STOR abort.bin")
conn.sendall(data[:700000])
print("ABOR", f.abort())
print("THEN", f.getresp())
conn.close()
size = f.size("abort.bin")
print("KEPT", size <= 700000)
import io
print("REST", f.storbinary("STOR abort.bin", io.BytesIO(data[size:]), rest=size))
print("SIZE", f.size("abort.bin"))
)",
                          {(dir_ / "abort.bin").string()});
  EXPECT_NE(out.out.find("ABOR 426"), std::string::npos) << out.out << out.err << daemon_->log();
  EXPECT_NE(out.out.find("THEN 226"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("KEPT True"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("REST 226"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("SIZE " + std::to_string(fs::file_size(dir_ / "abort.bin"))),
            std::string::npos)
      << out.out;
  expect_attached_once(ticket, "abort.bin", dir_ / "abort.bin");
}

TEST_F(FtpChannel, TwoSessionsCannotWriteTheSamePartial) {
  start();
  const Ticket ticket = create_ticket();
  const auto out = python(ticket, R"(
import io
f = connect()
f.voidcmd("TYPE I")
conn = f.transfercmd("STOR same.bin")
conn.sendall(b"a" * 100000)
g = connect()
try:
    print("SECOND", g.storbinary("STOR same.bin", io.BytesIO(b"b" * 10)))
except ftplib.all_errors as e:
    print("SECOND", e)
conn.sendall(b"a" * 100000)
conn.close()
print("FIRST", f.voidresp())
print("OTHER", g.storbinary("STOR other.bin", io.BytesIO(b"b" * 10)))
)");
  EXPECT_NE(out.out.find("SECOND 450 same.bin is being uploaded by another session"),
            std::string::npos)
      << out.out << out.err;
  EXPECT_NE(out.out.find("FIRST 226"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("OTHER 226"), std::string::npos) << out.out;
  EXPECT_EQ(testing::read_file(folder(ticket) / "same.bin"), std::string(200000, 'a'));
}

TEST_F(FtpChannel, RestBeyondThePartialIsRefused) {
  start();
  const Ticket ticket = create_ticket();
  const auto out = python(ticket, R"(
import io
f = connect()
f.voidcmd("TYPE I")
print("REST-BAD", cmd(f, "REST abc"))
try:
    f.storbinary("STOR nothing.bin", io.BytesIO(b"x"), rest=100)
except ftplib.all_errors as e:
    print("STOR", e)
print("APPE", f.storbinary("APPE fresh.bin", io.BytesIO(b"hello")))
try:
    f.storbinary("APPE fresh.bin", io.BytesIO(b"more"))
except ftplib.all_errors as e:
    print("APPE-DONE", e)
)");
  EXPECT_NE(out.out.find("REST-BAD 501"), std::string::npos) << out.out << out.err;
  EXPECT_NE(out.out.find("STOR 554"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("APPE 226"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("APPE-DONE 550"), std::string::npos) << out.out;
}

TEST_F(FtpChannel, AStalledDataConnectionTimesOutAndKeepsThePartial) {
  start("data_timeout = \"1s\"\n");
  const Ticket ticket = create_ticket();
  const auto out = python(ticket, stalled_store_script("slow.bin") + R"(
print("SIZE", f.size("slow.bin"))
f.sendcmd("PASV")
print("NEVER", cmd(f, "STOR never.bin"), f.getline())
)");
  EXPECT_NE(out.out.find("REPLY 426 Data connection timed out"), std::string::npos)
      << out.out << out.err;
  EXPECT_NE(out.out.find("SIZE 1000"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("NEVER 150"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("425"), std::string::npos) << out.out;
}

// A closed ticket takes no more uploads, so its partials could never be resumed: the
// server removes them (closed_partials_sweep), and leaves an open ticket's alone.
TEST_F(FtpChannel, PartialsOfAClosedTicketAreRemoved) {
  start("data_timeout = \"1s\"\nclosed_partials_sweep = \"1s\"\n");
  const Ticket closing = create_ticket();
  const Ticket open = create_ticket();
  for (const Ticket* ticket : {&closing, &open}) {
    const auto out = python(*ticket, stalled_store_script("dump.bin"));
    ASSERT_NE(out.out.find("REPLY 426"), std::string::npos) << out.out << out.err;
    ASSERT_TRUE(fs::exists(partial(*ticket, "dump.bin")));
  }
  ASSERT_NO_FATAL_FAILURE(close_ticket(closing));
  ASSERT_TRUE(daemon_->wait_for_log("removed the partial " + closing.reference + "/dump.bin"))
      << daemon_->log();
  EXPECT_FALSE(fs::exists(partial(closing, "dump.bin")));
  EXPECT_TRUE(fs::exists(partial(open, "dump.bin")));
  EXPECT_TRUE(files_of(closing).empty());
}

TEST_F(FtpChannel, PassivePortsStayInTheirRange) {
  // A range next to a port the system just gave out is very likely free.
  start();
  const int base = std::stoi(port_) + 1000 > 65000 ? 40000 : std::stoi(port_) + 1000;
  stop();
  start("passive_ports = \"" + std::to_string(base) + "-" + std::to_string(base + 20) + "\"\n");
  const Ticket ticket = create_ticket();
  const auto out = python(ticket, R"(
import io
f = connect()
ports = []
for i in range(5):
    ports.append(int(f.sendcmd("EPSV").split("|||")[1].split("|")[0]))
print("PORTS", min(ports), max(ports))
print("UPLOAD", f.storbinary("STOR ranged.txt", io.BytesIO(b"ok")))
)");
  std::istringstream words(out.out.substr(out.out.find("PORTS ") + 6));
  int low = 0;
  int high = 0;
  words >> low >> high;
  EXPECT_GE(low, base) << out.out << out.err;
  EXPECT_LE(high, base + 20) << out.out;
  EXPECT_NE(out.out.find("UPLOAD 226"), std::string::npos) << out.out;
}

TEST_F(FtpChannel, UnknownSettingsStopTheDaemonWithAClearError) {
  const std::string log = log_of_refused_start("max_uplaod = \"1GiB\"\n");
  EXPECT_NE(log.find("max_uplaod"), std::string::npos) << log;
}

// SIGTERM while an upload streams: the daemon stops on its own (the session is closed, the
// partial kept and synced), and the upload resumes after a restart.
TEST_F(FtpChannel, StoppingDuringAnUploadKeepsThePartial) {
  start();
  const Ticket ticket = create_ticket();
  random_file(dir_ / "long.bin", 40);
  testing::ChildProcess upload = throttled_upload(ticket, dir_ / "long.bin", "5M");
  const auto partial_file = partial(ticket, "long.bin");
  wait_until_larger(partial_file, 2u * 1024 * 1024);
  ASSERT_GT(fs::file_size(partial_file), 2u * 1024 * 1024);
  daemon_->signal(SIGTERM);
  const int status = daemon_->wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << daemon_->log();
  EXPECT_NE(daemon_->log().find("stopped channel 'ftp'"), std::string::npos) << daemon_->log();
  forget_daemon(upload);
  ASSERT_TRUE(fs::exists(partial_file));
  launch();
  EXPECT_TRUE(files_of(ticket).empty());
  const auto resumed = curl_upload(ticket, dir_ / "long.bin", {"-C", "-"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err << daemon_->log();
  expect_attached_once(ticket, "long.bin", dir_ / "long.bin");
}

// Explicit FTPS (RFC 4217) with a certificate the test makes.
class FtpsChannel : public FtpChannel {
 protected:
  std::string tls_settings() {
    const auto made =
        run_program({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                     (dir_ / "key.pem").string(), "-out", (dir_ / "cert.pem").string(), "-days",
                     "2", "-subj", "/CN=127.0.0.1"});
    EXPECT_EQ(made.exit_code, 0) << made.err;
    return "tls_certificate = \"" + (dir_ / "cert.pem").string() + "\"\ntls_private_key = \"" +
           (dir_ / "key.pem").string() + "\"\n";
  }
};

// connect_tls() gives an FTP_TLS whose data connections resume the control connection's
// TLS session, as the server requires by default (require_tls_session_reuse): Python's
// ftplib does not do that by itself, and this subclass is what its users write for such
// servers (vsftpd, ProFTPD, FileZilla Server). reuse=False gives the stock class.
constexpr const char* kTlsPrelude = R"(import ssl
class ReusingFTP_TLS(ftplib.FTP_TLS):
    def ntransfercmd(self, cmd, rest=None):
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            conn = self.context.wrap_socket(conn, server_hostname=self.host,
                                            session=self.sock.session)
        return conn, size
def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx
def connect_tls(login=True, reuse=True, ctx=None):
    kind = ReusingFTP_TLS if reuse else ftplib.FTP_TLS
    f = kind(context=ctx or tls_context())
    f.connect(HOST, PORT, timeout=60)
    if login:
        f.login(USER, TOKEN)
    return f
)";

TEST_F(FtpsChannel, CurlUploadsAndListsOverTls) {
  start(tls_settings());
  const Ticket ticket = create_ticket();
  random_file(dir_ / "secret.dump", 3);
  const auto upload = curl_upload(ticket, dir_ / "secret.dump", {"--ssl-reqd", "-k"});
  ASSERT_EQ(upload.exit_code, 0) << upload.err << daemon_->log();
  expect_attached_once(ticket, "secret.dump", dir_ / "secret.dump");
  const auto listed = run_program(
      {"curl", "-sS", "--ssl-reqd", "-k", "--user", ticket.reference + ":" + ticket.token, url()});
  EXPECT_NE(listed.out.find("secret.dump"), std::string::npos) << listed.out << listed.err;
}

TEST_F(FtpsChannel, FtplibAndLftpUploadWithProtectedData) {
  start(tls_settings());
  const Ticket ticket = create_ticket();
  const auto out = python(ticket, std::string(kTlsPrelude) + R"(
import io
f = connect_tls()
print("FEAT", "AUTH TLS" in f.sendcmd("FEAT"))
f.prot_p()
print("STOR", f.storbinary("STOR py.bin", io.BytesIO(b"p" * 300000)))
print("NLST", f.nlst())
f.quit()
)");
  EXPECT_NE(out.out.find("FEAT True"), std::string::npos) << out.out << out.err;
  EXPECT_NE(out.out.find("STOR 226"), std::string::npos) << out.out << out.err;
  EXPECT_NE(out.out.find("NLST ['py.bin']"), std::string::npos) << out.out;
  random_file(dir_ / "lftp.bin", 1);
  // Once in a few runs on the loaded 2-core CI machine, lftp's first TLS transfer attempt
  // failed ("max-retries exceeded" with one try): it gets the retries a real client has,
  // and -d puts its conversation into the failure message should all of them fail.
  const auto lftp =
      run_program({"lftp", "-d", "-c",
                   "set cmd:fail-exit yes; set net:max-retries 3; "
                   "set net:reconnect-interval-base 1; set ssl:verify-certificate no; "
                   "set ftp:ssl-force yes; set ftp:ssl-protect-data yes; open -u " +
                       ticket.reference + "," + ticket.token + " -p " + port_ + " " + host_ +
                       "; put " + (dir_ / "lftp.bin").string() + "; ls"});
  ASSERT_EQ(lftp.exit_code, 0) << lftp.out << lftp.err;
  expect_attached_once(ticket, "lftp.bin", dir_ / "lftp.bin");
}

// Over TLS the end of a file is the client's close_notify: a data connection closed
// without one may be a truncation by a third party, so it never becomes an attachment.
TEST_F(FtpsChannel, ADataConnectionCutWithoutCloseNotifyKeepsOnlyAPartial) {
  start(tls_settings());
  const Ticket ticket = create_ticket();
  const auto out = python(ticket, std::string(kTlsPrelude) + R"(
f = connect_tls()
f.prot_p()
f.voidcmd("TYPE I")
conn = f.transfercmd("STOR cut.bin")
conn.sendall(b"c" * 200000)
conn.close()  # no unwrap(): no close_notify
print("REPLY", f.getline())
print("KEPT", 0 < f.size("cut.bin") <= 200000)
)");
  EXPECT_NE(out.out.find("REPLY 426"), std::string::npos) << out.out << out.err;
  EXPECT_NE(out.out.find("KEPT True"), std::string::npos) << out.out;
  EXPECT_TRUE(files_of(ticket).empty());
  EXPECT_FALSE(fs::exists(folder(ticket) / "cut.bin"));
}

TEST_F(FtpsChannel, RequireTlsRefusesPlainLoginsAndClearData) {
  start(tls_settings() + "require_tls = true\n");
  const Ticket ticket = create_ticket();
  const auto out = python(ticket, std::string(kTlsPrelude) + R"(
import io
f = connect(login=False)
print("PLAIN", cmd(f, "USER " + USER))
print("PBSZ-PLAIN", cmd(f, "PBSZ 0"))
g = connect_tls()
cmd(g, "PBSZ 0")
print("PROT-C", cmd(g, "PROT C"))
try:
    g.storbinary("STOR clear.bin", io.BytesIO(b"x"))
except ftplib.all_errors as e:
    print("CLEAR", e)
g.prot_p()
print("PROTECTED", g.storbinary("STOR safe.bin", io.BytesIO(b"x")))
)");
  EXPECT_NE(out.out.find("PLAIN 530 This server requires TLS"), std::string::npos)
      << out.out << out.err;
  EXPECT_NE(out.out.find("PBSZ-PLAIN 503"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("PROT-C 534"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("CLEAR 521"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("PROTECTED 226"), std::string::npos) << out.out;
  EXPECT_FALSE(fs::exists(folder(ticket) / "clear.bin"));
}

// A protected data connection must resume a TLS session issued on its own control
// connection. A program racing the client to the passive port can make a fresh
// handshake, or resume a session of a control connection of its own: both get 522 and
// store nothing, and the session lives on. curl, lftp and connect_tls() resume.
TEST_F(FtpsChannel, ADataConnectionMustResumeItsControlConnectionsSession) {
  start(tls_settings());
  const Ticket ticket = create_ticket();
  const auto out = python(ticket, std::string(kTlsPrelude) + R"(
import io
ctx = tls_context()
fresh = connect_tls(reuse=False, ctx=ctx)
fresh.prot_p()
try:
    fresh.storbinary("STOR fresh.bin", io.BytesIO(b"f" * 1000))
    print("FRESH stored")
except ftplib.error_perm as e:
    print("FRESH", e)
except OSError:  # the cut data connection failed first; the reply is still to be read
    print("FRESH", fresh.getline())
print("ALIVE", fresh.sendcmd("NOOP"))
other = connect_tls(ctx=ctx)
victim = connect_tls(ctx=ctx)
victim.prot_p()
victim.voidcmd("TYPE I")
# A data connection for victim's STOR that resumes other's session instead.
conn = ftplib.FTP.ntransfercmd(victim, "STOR stolen.bin")[0]
try:
    conn = ctx.wrap_socket(conn, server_hostname=HOST, session=other.sock.session)
    conn.sendall(b"s" * 1000)
    conn.unwrap()
except (OSError, ValueError) as e:
    pass
conn.close()
print("OTHER", victim.getline())
print("OWN", victim.storbinary("STOR own.bin", io.BytesIO(b"o" * 1000)))
print("NLST", sorted(victim.nlst()))
)");
  EXPECT_NE(out.out.find("FRESH 522"), std::string::npos) << out.out << out.err << daemon_->log();
  EXPECT_NE(out.out.find("ALIVE 200"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("OTHER 522"), std::string::npos) << out.out << out.err;
  EXPECT_NE(out.out.find("OWN 226"), std::string::npos) << out.out << out.err;
  EXPECT_NE(out.out.find("NLST ['own.bin']"), std::string::npos) << out.out;
  // curl without its session cache makes a fresh handshake on the data connection.
  random_file(dir_ / "nosession.bin", 1);
  const auto refused =
      curl_upload(ticket, dir_ / "nosession.bin", {"--ssl-reqd", "-k", "--no-sessionid"});
  EXPECT_NE(refused.exit_code, 0) << refused.err;
  // (curl reports the cut data connection, "Send failure", before it reads the 522.)
  EXPECT_NE(daemon_->log().find("did not resume the control connection's TLS session"),
            std::string::npos)
      << daemon_->log();
  const auto files = files_of(ticket);
  ASSERT_EQ(files.size(), 1u) << boost::json::serialize(files);
  EXPECT_EQ(files[0].as_object().at("file_name").as_string(), "own.bin");
  EXPECT_FALSE(fs::exists(folder(ticket) / "fresh.bin"));
  EXPECT_FALSE(fs::exists(folder(ticket) / "stolen.bin"));
}

// With require_tls_session_reuse = false, a client that cannot resume (stock ftplib,
// curl --no-sessionid) is served.
TEST_F(FtpsChannel, WithoutTheReuseRuleFreshDataHandshakesAreServed) {
  start(tls_settings() + "require_tls_session_reuse = false\n");
  const Ticket ticket = create_ticket();
  const auto out = python(ticket, std::string(kTlsPrelude) + R"(
import io
f = connect_tls(reuse=False)
f.prot_p()
print("STOR", f.storbinary("STOR stock.bin", io.BytesIO(b"s" * 1000)))
)");
  EXPECT_NE(out.out.find("STOR 226"), std::string::npos) << out.out << out.err;
  random_file(dir_ / "nosession.bin", 1);
  const auto upload =
      curl_upload(ticket, dir_ / "nosession.bin", {"--ssl-reqd", "-k", "--no-sessionid"});
  EXPECT_EQ(upload.exit_code, 0) << upload.err << daemon_->log();
  expect_attached_once(ticket, "nosession.bin", dir_ / "nosession.bin");
}

TEST_F(FtpsChannel, AuthTlsIsRefusedWithoutACertificate) {
  start();
  const Ticket ticket = create_ticket();
  const auto out = python(ticket, R"(
f = connect(login=False)
print("AUTH", cmd(f, "AUTH TLS"))
print("FEAT", "AUTH TLS" in f.sendcmd("FEAT"))
)");
  EXPECT_NE(out.out.find("AUTH 502"), std::string::npos) << out.out << out.err;
  EXPECT_NE(out.out.find("FEAT False"), std::string::npos) << out.out;
}

// Implicit FTPS (TLS from the first byte, the port-990 style) on a listener of its own,
// beside the explicit one: curl's ftps:// and lftp upload there; a plain client hears
// nothing it can read and the session ends.
TEST_F(FtpsChannel, ImplicitTlsOnItsOwnListener) {
  start(tls_settings() + "implicit_tls_listen = \"127.0.0.1:0\"\n");
  const std::string implicit = daemon_->endpoint("ftp", "ftps");
  ASSERT_FALSE(implicit.empty()) << daemon_->log();
  const Ticket ticket = create_ticket();
  random_file(dir_ / "implicit.dump", 2);
  const auto upload =
      run_program({"curl", "-sS", "-k", "--user", ticket.reference + ":" + ticket.token, "-T",
                   (dir_ / "implicit.dump").string(), "ftps://" + implicit + "/"});
  ASSERT_EQ(upload.exit_code, 0) << upload.err << daemon_->log();
  expect_attached_once(ticket, "implicit.dump", dir_ / "implicit.dump");

  testing::write_file(dir_ / "lftp.txt", "via lftp\n");
  const auto lftp = run_program({"lftp", "-c",
                                 "set ssl:verify-certificate no; set net:max-retries 1; open -u " +
                                     ticket.reference + "," + ticket.token + " ftps://" + implicit +
                                     "; put " + (dir_ / "lftp.txt").string()});
  EXPECT_EQ(lftp.exit_code, 0) << lftp.out << lftp.err << daemon_->log();
  expect_attached_once(ticket, "lftp.txt", dir_ / "lftp.txt");

  // Plain FTP to the implicit port: no greeting in clear text.
  const auto plain =
      run_program({"curl", "-sS", "--max-time", "10", "--user",
                   ticket.reference + ":" + ticket.token, "ftp://" + implicit + "/"});
  EXPECT_NE(plain.exit_code, 0) << plain.out;
}

TEST_F(FtpsChannel, ImplicitTlsNeedsACertificate) {
  const std::string log = log_of_refused_start("implicit_tls_listen = \"127.0.0.1:0\"\n");
  EXPECT_NE(log.find("implicit_tls_listen"), std::string::npos) << log;
  EXPECT_NE(log.find("needs tls_certificate and tls_private_key"), std::string::npos) << log;
}

TEST_F(FtpsChannel, AMissingCertificateStopsTheDaemonNamingTheFile) {
  const std::string log =
      log_of_refused_start("tls_certificate = \"/nonexistent/cert.pem\"\ntls_private_key = \"" +
                           (dir_ / "key.pem").string() + "\"\n");
  EXPECT_NE(log.find("/nonexistent/cert.pem"), std::string::npos) << log;
}

// kill -9 of the daemon in the middle of a large, throttled upload: after a restart
// nothing is attached, the partial is there, and curl -C - completes it, attached once.
TEST_F(FtpChannel, KillNineMidUploadLeavesAResumablePartial) {
  start();
  const Ticket ticket = create_ticket();
  random_file(dir_ / "huge.bin", 200);
  testing::ChildProcess upload = throttled_upload(ticket, dir_ / "huge.bin", "20M");
  const auto partial_file = partial(ticket, "huge.bin");
  wait_until_larger(partial_file, 20u * 1024 * 1024);
  ASSERT_GT(fs::file_size(partial_file), 20u * 1024 * 1024);
  daemon_->signal(SIGKILL);
  daemon_->wait();
  forget_daemon(upload);

  launch();
  EXPECT_TRUE(files_of(ticket).empty());
  ASSERT_TRUE(fs::exists(partial_file));
  const auto kept = fs::file_size(partial_file);
  EXPECT_GT(kept, 0u);
  EXPECT_LT(kept, fs::file_size(dir_ / "huge.bin"));
  const auto resumed = curl_upload(ticket, dir_ / "huge.bin", {"-C", "-"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err << daemon_->log();
  expect_attached_once(ticket, "huge.bin", dir_ / "huge.bin");
  EXPECT_FALSE(fs::exists(partial_file));
}

}  // namespace
}  // namespace supportgw
