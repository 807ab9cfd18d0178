// The sftp channel plugin (plugins/ftp/sftp) in a real `supportgw serve`, beside the web
// channel that makes the tickets, pulling from a real OpenSSH sshd the test starts on
// loopback (its own config, generated ed25519 host and user keys, internal-sftp). Files
// are placed in the drop box's folder directly (the box is on this machine); attachments
// are checked through the JSON API against sha256sum of the file placed.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/daemon_process.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/ticket_api.hpp"

namespace supportgw {
namespace {

namespace fs = std::filesystem;
using testing::DaemonProcess;
using testing::run_program;

const fs::path kExamples = SUPPORTGW_EXAMPLES_DIR;
constexpr const char* kApiKey = "sftp-test-key-0123456789";

std::string sha256_of_file(const fs::path& file) {
  return run_program({"sha256sum", file.string()}).out.substr(0, 64);
}

std::string user_name() {
  const passwd* entry = ::getpwuid(::getuid());
  return entry != nullptr ? entry->pw_name : "root";
}

// Waits until `done` holds; the limit only stops a hung test (callers check after).
template <class Condition>
bool eventually(Condition done) {
  for (int i = 0; i < 1200; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

struct Ticket {
  std::string reference;
  std::string token;
};

class SftpChannel : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(fs::path(SUPPORTGW_PLUGIN_DIR) / "sftp.so"));
    api_key_hash_ = run_program({"sha256sum"}, {}, kApiKey).out.substr(0, 64);
    for (const char* key : {"host_key", "user_key", "other_host_key"}) {
      ASSERT_EQ(run_program({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", key, "-f",
                             (dir_ / key).string()})
                    .exit_code,
                0);
    }
    fs::copy_file(dir_ / "user_key.pub", dir_ / "authorized_keys");
    fs::create_directories(dir_ / "drop");
    fs::create_directories("/run/sshd");  // sshd's privilege separation folder, as root
    port_ = testing::free_loopback_port();
    testing::write_file(dir_ / "sshd_config",
                        "ListenAddress 127.0.0.1\nPort " + std::to_string(port_) + "\nHostKey " +
                            (dir_ / "host_key").string() + "\nAuthorizedKeysFile " +
                            (dir_ / "authorized_keys").string() + "\nPidFile " +
                            (dir_ / "sshd.pid").string() +
                            "\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n"
                            "KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n"
                            // What libssh2 1.10 speaks (no GCM, chacha20 or ETM MACs).
                            "Ciphers aes128-ctr,aes256-ctr\nMACs hmac-sha2-256,hmac-sha2-512\n"
                            "Subsystem sftp internal-sftp\n");
    const auto checked =
        run_program({"/usr/sbin/sshd", "-t", "-f", (dir_ / "sshd_config").string()});
    ASSERT_EQ(checked.exit_code, 0) << checked.err;
    sshd_ = std::make_unique<testing::ChildProcess>(
        std::vector<std::string>{"/usr/sbin/sshd", "-D", "-E", (dir_ / "sshd.log").string(), "-f",
                                 (dir_ / "sshd_config").string()});
    ASSERT_TRUE(eventually([&] { return testing::loopback_accepts(port_); }))
        << testing::read_file(dir_ / "sshd.log");
    write_known_hosts("host_key.pub");
  }

  void TearDown() override {
    stop();
    if (sshd_) {
      sshd_->kill(SIGTERM);
      sshd_->wait();
    }
  }

  void write_known_hosts(const std::string& public_key) {
    std::string key = testing::read_file(dir_ / public_key);
    key = key.substr(0, key.rfind(' '));  // "ssh-ed25519 AAAA..." without the comment
    testing::write_file(dir_ / "known_hosts",
                        "[127.0.0.1]:" + std::to_string(port_) + " " + key + "\n");
  }

  // Against the test's sshd, or the box at `port` on loopback.
  void start(const std::string& more_settings = "", int port = 0) {
    testing::write_file(dir_ / "gateway.toml",
                        "policy = \"" + (kExamples / "netex" / "policy.toml").string() +
                            "\"\nplugins = \"" + SUPPORTGW_PLUGIN_DIR +
                            "\"\n"
                            "[[channel]]\nname = \"web\"\nplugin = \"web\"\n[channel.settings]\n"
                            "listen = \"127.0.0.1:0\"\napi_keys = [\"" +
                            api_key_hash_ +
                            "\"]\n"
                            "[[channel]]\nname = \"sftp\"\nplugin = \"sftp\"\n[channel.settings]\n"
                            "host = \"127.0.0.1\"\nport = " +
                            std::to_string(port != 0 ? port : port_) + "\nuser = \"" + user_name() +
                            "\"\nprivate_key = \"" + (dir_ / "user_key").string() +
                            "\"\nknown_hosts = \"" + (dir_ / "known_hosts").string() +
                            "\"\nroot = \"" + drop().string() + "\"\npoll_interval = \"300ms\"\n" +
                            more_settings);
    launch();
  }

  void launch() {
    daemon_ =
        std::make_unique<DaemonProcess>(SUPPORTGW_BINARY, dir_ / "gateway.toml", dir_ / "state");
    ASSERT_TRUE(daemon_->wait_ready()) << daemon_->log();
    web_ = daemon_->endpoint("web", "http");
    ASSERT_FALSE(web_.empty()) << daemon_->log();
  }

  void stop() {
    if (daemon_) {
      daemon_->signal(SIGTERM);
      const int status = daemon_->wait();
      // A clean stop, also under ASan/LSan (a report there makes the exit code non-zero).
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << daemon_->log();
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

  void expect_attached_once(const Ticket& ticket, const std::string& name,
                            const std::string& sha256, std::uintmax_t size) {
    testing::expect_attached_once(files_of(ticket), name, size, sha256);
  }

  fs::path drop() const { return dir_ / "drop"; }

  // Places a file in the drop box as an uploader would finish it: written under a hidden
  // name (which the puller ignores), then renamed.
  fs::path place(const std::string& reference, const std::string& name,
                 const std::string& content) {
    fs::create_directories(drop() / reference);
    testing::write_file(drop() / reference / ("." + name + ".part"), content);
    fs::rename(drop() / reference / ("." + name + ".part"), drop() / reference / name);
    return drop() / reference / name;
  }

  bool pulled(const fs::path& remote) {
    return daemon_->wait_for_log("pulled " + remote.string() + " into ticket");
  }

  // A 768 MiB file, mostly a hole (cheap to make) with random MiBs here and there, placed
  // with its .done marker; returns its SHA-256.
  std::string place_big_file(const Ticket& ticket, const std::string& name,
                             std::initializer_list<int> random_mibs = {0, 100, 300, 500, 767}) {
    const fs::path staged = drop() / ticket.reference / ("." + name + ".part");
    fs::create_directories(staged.parent_path());
    run_program({"truncate", "-s", "768M", staged.string()});
    for (int mib : random_mibs) {
      run_program({"dd", "if=/dev/urandom", "of=" + staged.string(), "bs=1M", "count=1",
                   "seek=" + std::to_string(mib), "conv=notrunc", "status=none"});
    }
    const std::string sha256 = sha256_of_file(staged);
    fs::rename(staged, drop() / ticket.reference / name);
    place(ticket.reference, name + ".done", "");
    return sha256;
  }

  // Waits until the local partial of `name` holds more than 64 MiB.
  bool partial_grew(const Ticket& ticket, const std::string& name) {
    const fs::path partial = local_folder(ticket) / ".partial" / name;
    return eventually([&] {
      std::error_code error;
      return fs::file_size(partial, error) > 64u * 1024 * 1024 && !error;
    });
  }

  fs::path local_folder(const Ticket& ticket) const {
    return dir_ / "state" / "channels" / "sftp" / "uploads" / ticket.reference;
  }

  testing::TempDir dir_;
  int port_ = 0;
  std::unique_ptr<testing::ChildProcess> sshd_;
  std::unique_ptr<DaemonProcess> daemon_;
  std::string web_;
  std::string api_key_hash_;
};

TEST_F(SftpChannel, PullsAFileOnceAttachesItAndDeletesIt) {
  start();
  const Ticket ticket = create_ticket();
  std::string content;
  for (int i = 0; i < 100000; ++i) content += "line " + std::to_string(i) + "\n";
  const fs::path remote = place(ticket.reference, "router.log", content);
  const std::string sha256 = sha256_of_file(remote);
  ASSERT_TRUE(pulled(remote)) << daemon_->log();
  expect_attached_once(ticket, "router.log", sha256, content.size());
  EXPECT_EQ(sha256_of_file(local_folder(ticket) / "router.log"), sha256);
  EXPECT_TRUE(eventually([&] { return !fs::exists(remote); }));
  EXPECT_TRUE(fs::exists(drop() / ticket.reference));  // the folder stays for more files
  EXPECT_FALSE(fs::exists(drop() / "processed"));
  // The content note follows the attach.
  EXPECT_TRUE(eventually([&] {
    return run_program({SUPPORTGW_BINARY, "--state-dir", (dir_ / "state").string(), "ticket",
                        "show", ticket.reference})
               .out.find("router.log: type: text/plain") != std::string::npos;
  }));
}

TEST_F(SftpChannel, ADoneMarkerIsRemovedWithItsFile) {
  start();
  const Ticket ticket = create_ticket();
  const fs::path remote = place(ticket.reference, "core.dump", std::string(70000, 'x'));
  place(ticket.reference, "core.dump.done", "");
  ASSERT_TRUE(pulled(remote)) << daemon_->log();
  expect_attached_once(ticket, "core.dump", sha256_of_file(local_folder(ticket) / "core.dump"),
                       70000);
  EXPECT_TRUE(eventually([&] {
    return !fs::exists(remote) && !fs::exists(drop() / ticket.reference / "core.dump.done");
  }));
  EXPECT_EQ(files_of(ticket).size(), 1u);  // the marker is no file of its own
}

// A marker whose file never came is removed once it has stood a day; a fresh one waits
// for its file.
TEST_F(SftpChannel, AMarkerADayWithoutItsFileIsRemoved) {
  start();
  const Ticket ticket = create_ticket();
  const fs::path fresh = place(ticket.reference, "soon.bin.done", "");
  // Written a day ago: dated before it appears under its name.
  const fs::path hidden = drop() / ticket.reference / ".never.bin.done.part";
  testing::write_file(hidden, "");
  fs::last_write_time(hidden, fs::file_time_type::clock::now() - std::chrono::hours(25));
  const fs::path stale = drop() / ticket.reference / "never.bin.done";
  fs::rename(hidden, stale);
  EXPECT_TRUE(eventually([&] { return !fs::exists(stale); })) << daemon_->log();
  EXPECT_TRUE(daemon_->wait_for_log("never.bin.done has stood a day without its file: removed"))
      << daemon_->log();
  EXPECT_TRUE(fs::exists(fresh));
  EXPECT_TRUE(files_of(ticket).empty());
}

TEST_F(SftpChannel, MoveModeKeepsFilesUnderProcessed) {
  start("after = \"move\"\n");
  const Ticket ticket = create_ticket();
  const fs::path remote = place(ticket.reference, "crash.txt", "panic at 0xdeadbeef\n");
  place(ticket.reference, "crash.txt.done", "");
  const std::string sha256 = sha256_of_file(remote);
  ASSERT_TRUE(pulled(remote)) << daemon_->log();
  const fs::path processed = drop() / "processed" / ticket.reference;
  EXPECT_TRUE(eventually([&] {
    return fs::exists(processed / "crash.txt") && fs::exists(processed / "crash.txt.done");
  }));
  EXPECT_FALSE(fs::exists(remote));
  EXPECT_EQ(sha256_of_file(processed / "crash.txt"), sha256);
  expect_attached_once(ticket, "crash.txt", sha256, 20);

  // The same name again: attached again (a new file), the processed one kept.
  const fs::path again = place(ticket.reference, "crash.txt", "second crash\n");
  place(ticket.reference, "crash.txt.done", "");
  ASSERT_TRUE(eventually([&] { return files_of(ticket).size() == 2; })) << daemon_->log();
  EXPECT_TRUE(eventually([&] { return !fs::exists(again); }));
  EXPECT_EQ(testing::read_file(processed / "crash.txt"), "panic at 0xdeadbeef\n");
}

// A file still being written is not taken: its size changes between every two polls.
// Other files are pulled meanwhile (so polls did happen); once the writer stops, the
// file is taken whole.
TEST_F(SftpChannel, AGrowingFileWaitsUntilItsSizeIsStable) {
  start();
  const Ticket ticket = create_ticket();
  const fs::path growing = drop() / ticket.reference / "growing.log";
  fs::create_directories(growing.parent_path());
  std::atomic<bool> writing{true};
  std::thread writer([&] {
    std::ofstream out(growing, std::ios::binary);
    while (writing) {
      out << std::string(1024, 'g') << std::flush;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  // Each of these takes two polls at a stable size.
  for (const char* name : {"first.txt", "second.txt"}) {
    const fs::path other = place(ticket.reference, name, std::string(name) + "\n");
    EXPECT_TRUE(pulled(other)) << daemon_->log();
  }
  const bool taken_while_growing = daemon_->log().find("growing.log") != std::string::npos;
  writing = false;
  writer.join();
  EXPECT_FALSE(taken_while_growing) << daemon_->log();
  const std::string sha256 = sha256_of_file(growing);
  const auto size = fs::file_size(growing);
  ASSERT_TRUE(pulled(growing)) << daemon_->log();
  expect_attached_once(ticket, "growing.log", sha256, size);
}

TEST_F(SftpChannel, AFolderOfNoKnownTicketIsMovedToUnmatched) {
  start();
  const Ticket ticket = create_ticket();
  place("SR-1999-999999", "dump.bin", "not for us\n");
  place("..hidden", "x", "x");  // hidden folders are left alone
  ASSERT_TRUE(daemon_->wait_for_log("names no known ticket")) << daemon_->log();
  EXPECT_TRUE(
      eventually([&] { return fs::exists(drop() / "unmatched" / "SR-1999-999999" / "dump.bin"); }));
  EXPECT_FALSE(fs::exists(drop() / "SR-1999-999999"));
  EXPECT_TRUE(fs::exists(drop() / "..hidden" / "x"));
  EXPECT_NE(daemon_->log().find((drop() / "SR-1999-999999").string()), std::string::npos);
  // A real ticket's folder still works beside it.
  const fs::path remote = place(ticket.reference, "ok.txt", "fine\n");
  EXPECT_TRUE(pulled(remote)) << daemon_->log();
}

// attach_vouched refuses a closed ticket's file: nothing is attached or kept, and the
// file goes to unmatched/<reference>/ instead of being pulled again at every poll.
TEST_F(SftpChannel, AClosedTicketsFileGoesToUnmatched) {
  start();
  const Ticket ticket = create_ticket();
  for (const char* step : {"resolve", "close"}) {
    const auto changed = run_program({SUPPORTGW_BINARY, "--state-dir", (dir_ / "state").string(),
                                      "ticket", step, ticket.reference});
    ASSERT_EQ(changed.exit_code, 0) << changed.out << changed.err;
  }
  const fs::path remote = place(ticket.reference, "late.txt", "too late\n");
  place(ticket.reference, "late.txt.done", "");
  const fs::path aside = drop() / "unmatched" / ticket.reference / "late.txt";
  ASSERT_TRUE(eventually([&] { return fs::exists(aside); })) << daemon_->log();
  EXPECT_FALSE(fs::exists(remote));
  EXPECT_TRUE(eventually([&] { return fs::exists(aside.string() + ".done"); }));
  EXPECT_TRUE(files_of(ticket).empty());
  EXPECT_FALSE(fs::exists(local_folder(ticket) / "late.txt"));
  EXPECT_NE(daemon_->log().find("not attached"), std::string::npos) << daemon_->log();
}

TEST_F(SftpChannel, AHostKeyMismatchStopsThePuller) {
  write_known_hosts("other_host_key.pub");
  start();
  const Ticket ticket = create_ticket();
  const fs::path remote = place(ticket.reference, "secret.txt", "for the real box only\n");
  place(ticket.reference, "secret.txt.done", "");
  ASSERT_TRUE(daemon_->wait_for_log("HOST KEY MISMATCH")) << daemon_->log();
  const std::string log = daemon_->log();
  EXPECT_NE(log.find("127.0.0.1:" + std::to_string(port_)), std::string::npos) << log;
  EXPECT_NE(log.find((dir_ / "known_hosts").string()), std::string::npos) << log;
  EXPECT_NE(log.find("puller STOPPED"), std::string::npos) << log;
  EXPECT_TRUE(fs::exists(remote));
  EXPECT_TRUE(files_of(ticket).empty());
  EXPECT_FALSE(fs::exists(local_folder(ticket)));
}

TEST_F(SftpChannel, AnUnknownHostIsRefusedToo) {
  testing::write_file(dir_ / "known_hosts", "");
  start();
  ASSERT_TRUE(daemon_->wait_for_log("unknown host")) << daemon_->log();
  EXPECT_NE(daemon_->log().find("puller STOPPED"), std::string::npos);
}

// kill -9 of the daemon in the middle of a large pull: the remote file stays, and after a
// restart the download resumes from the partial; the file is attached once, whole.
TEST_F(SftpChannel, KillNineMidPullResumesFromThePartial) {
  start();
  const Ticket ticket = create_ticket();
  const std::string sha256 = place_big_file(ticket, "huge.bin");
  const fs::path remote = drop() / ticket.reference / "huge.bin";
  const fs::path partial = local_folder(ticket) / ".partial" / "huge.bin";
  ASSERT_TRUE(partial_grew(ticket, "huge.bin")) << daemon_->log();
  daemon_->signal(SIGKILL);
  daemon_->wait();
  fs::remove(daemon_->ready_file());
  daemon_.reset();
  ASSERT_TRUE(fs::exists(remote));
  const auto kept = fs::file_size(partial);
  ASSERT_LT(kept, fs::file_size(remote)) << "the pull ended before the kill";

  launch();
  ASSERT_TRUE(daemon_->wait_for_log("resuming at")) << daemon_->log();
  ASSERT_TRUE(pulled(remote)) << daemon_->log();
  expect_attached_once(ticket, "huge.bin", sha256, 768u * 1024 * 1024);
  EXPECT_TRUE(eventually([&] { return !fs::exists(remote); }));
  EXPECT_FALSE(fs::exists(partial));
}

// The file was replaced by another of the same size while the daemon was down: its
// partial belongs to the old file, so the pull starts over instead of gluing the new
// file's tail to the old one's head. The new file is attached once, whole.
TEST_F(SftpChannel, AFileReplacedAfterAnInterruptionIsPulledFromTheStart) {
  start();
  const Ticket ticket = create_ticket();
  place_big_file(ticket, "dump.bin");
  const fs::path remote = drop() / ticket.reference / "dump.bin";
  const fs::path partial = local_folder(ticket) / ".partial" / "dump.bin";
  ASSERT_TRUE(partial_grew(ticket, "dump.bin")) << daemon_->log();
  daemon_->signal(SIGKILL);
  daemon_->wait();
  fs::remove(daemon_->ready_file());
  daemon_.reset();
  ASSERT_LT(fs::file_size(partial), fs::file_size(remote)) << "the pull ended before the kill";

  // Same name, same size, other bytes (random MiBs elsewhere) and a later mtime.
  const auto old_mtime = fs::last_write_time(remote);
  const std::string sha256 = place_big_file(ticket, "dump.bin", {1, 2, 200, 766});
  fs::last_write_time(remote, old_mtime + std::chrono::hours(1));
  launch();
  ASSERT_TRUE(daemon_->wait_for_log("pulling it from the start")) << daemon_->log();
  ASSERT_TRUE(pulled(remote)) << daemon_->log();
  EXPECT_EQ(daemon_->log().find("resuming at"), std::string::npos) << daemon_->log();
  expect_attached_once(ticket, "dump.bin", sha256, 768u * 1024 * 1024);
  EXPECT_TRUE(fs::is_empty(dir_ / "state" / "channels" / "sftp" / "resuming"));
}

// A box that accepts the TCP connection and then says nothing holds the puller in the SSH
// handshake for up to `timeout` (an hour here); stopping the daemon ends it at once.
TEST_F(SftpChannel, StoppingDoesNotWaitForASilentServer) {
  const int silent = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(silent, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(silent, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(silent, 4), 0);
  socklen_t length = sizeof address;
  ASSERT_EQ(::getsockname(silent, reinterpret_cast<sockaddr*>(&address), &length), 0);
  start("timeout = \"1h\"\n", ntohs(address.sin_port));
  // The puller's connection, accepted and then left unanswered.
  pollfd waiting{silent, POLLIN, 0};
  ASSERT_EQ(::poll(&waiting, 1, 60'000), 1) << "the puller never connected" << daemon_->log();
  const int held = ::accept4(silent, nullptr, nullptr, SOCK_CLOEXEC);
  ASSERT_GE(held, 0);
  daemon_->signal(SIGTERM);
  const bool ended = eventually([&] { return !daemon_->running(); });
  ::close(held);
  ::close(silent);
  ASSERT_TRUE(ended) << "still in the handshake after SIGTERM" << daemon_->log();
}

// The connection dropped mid-pull (sshd's session process killed): the puller logs it,
// reconnects at the next poll and resumes from the partial; attached once, whole.
TEST_F(SftpChannel, ADroppedConnectionResumesFromThePartial) {
  start();
  const Ticket ticket = create_ticket();
  const std::string sha256 = place_big_file(ticket, "big.bin");
  const fs::path remote = drop() / ticket.reference / "big.bin";
  ASSERT_TRUE(partial_grew(ticket, "big.bin")) << daemon_->log();
  // sshd's children serve the connections (the listener started by this test is their
  // parent): ending them drops the puller's connection, not the listener.
  std::istringstream children(testing::read_file("/proc/" + std::to_string(sshd_->pid()) +
                                                 "/task/" + std::to_string(sshd_->pid()) +
                                                 "/children"));
  int killed = 0;
  for (pid_t child = 0; children >> child;) killed += ::kill(child, SIGKILL) == 0 ? 1 : 0;
  ASSERT_GT(killed, 0);
  ASSERT_TRUE(daemon_->wait_for_log("resuming at")) << daemon_->log();
  ASSERT_TRUE(pulled(remote)) << daemon_->log();
  expect_attached_once(ticket, "big.bin", sha256, 768u * 1024 * 1024);
}

}  // namespace
}  // namespace supportgw
