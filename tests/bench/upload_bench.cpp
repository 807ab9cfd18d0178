// upload_bench: one large upload through curl into the ftp channel (plugins/ftp/server) of
// a real `supportgw serve`, beside the machine's ceilings measured in the same run.
// Prints figures; asserts nothing.
//
//   upload_bench [--mib N]      (default 1024: a 1 GiB file)
//
// 1. `openssl dgst -sha256` over the file: the hashing ceiling (the server hashes every
//    byte on the fly).
// 2. Peer: vsftpd (started here on loopback with its own config, anonymous upload) taking
//    the same file from the same curl, when /usr/sbin/vsftpd is installed. It neither
//    hashes nor fsyncs.
// 3. Ours: curl -T to the ftp channel, logged in as the ticket (reference + token); curl
//    returns after the 226, which the server sends once the file is hashed, fsynced,
//    renamed and attached in a committed transaction. Then the daemon's peak RSS
//    (VmHWM), which must not grow with the file, and its CPU time per GiB (steadier than
//    MB/s on a shared machine). Steps 2 and 3 run twice each; the best run counts
//    (kRuns below says why).
// 4. SFTP half: OpenSSH's sshd started here on loopback (own config, generated ed25519
//    keys, internal-sftp, aes128-ctr + hmac-sha2-256, which libssh2 1.10 speaks) serving
//    the same file; OpenSSH `sftp -b` getting it (no hash, no fsync), then the sftp
//    channel of a fresh daemon pulling it (SHA-256, fsync, attach, remote delete): the
//    time from the `.done` marker's appearance until the remote file is deleted (so it
//    includes up to one 100 ms poll interval). Then that daemon's peak RSS.
// Targets from issue #6: >= 0.9x the lower of vsftpd's and SHA-256's rates; peak RSS
// < 32 MiB whatever the file size; the SFTP pull >= 0.6x OpenSSH sftp.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/daemon_process.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/process.hpp"
#include "tests/support/process_stats.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using namespace supportgw;
using BenchClock = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr const char* kApiKey = "upload-bench-key";

using testing::write_file;

// Incompressible bytes, each MiB different, written once before any timing.
void make_file(const fs::path& file, std::uint64_t mib) {
  std::mt19937_64 random(42);
  std::vector<std::uint64_t> block(1024 * 1024 / sizeof(std::uint64_t));
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  for (std::uint64_t i = 0; i < mib; ++i) {
    for (auto& word : block) {
      word = random();
    }
    out.write(reinterpret_cast<const char*>(block.data()),
              static_cast<std::streamsize>(block.size() * sizeof(std::uint64_t)));
  }
}

struct Timed {
  double seconds = 0;
  testing::ProgramResult result;
};

Timed timed(const std::vector<std::string>& argv) {
  const auto start = BenchClock::now();
  Timed run;
  run.result = testing::run_program(argv);
  run.seconds = std::chrono::duration<double>(BenchClock::now() - start).count();
  return run;
}

double mb_per_second(std::uint64_t bytes, double seconds) {
  return seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0;
}

// Each upload runs kRuns times and the best run counts, for vsftpd as for us. On this VM
// the balloon hands freed memory back to the host, and a write into such fresh memory
// runs at a quarter of the speed: vsftpd's first upload after a quiet spell filled the
// page cache at 390-620 MB/s, and 0.9-1.8 GB/s when it reused pages freed a moment
// before (its previous file, removed right before the next run). Our server recycles its
// own pages (durable_upload.cpp), so the best run compares both at their best.
constexpr int kRuns = 2;

// vsftpd with anonymous upload into <root>/incoming; 0 when it is not installed or did
// not start.
double vsftpd_rate(const fs::path& dir, const fs::path& file, std::uint64_t bytes) {
  if (!fs::exists("/usr/sbin/vsftpd")) {
    std::printf("vsftpd peer: /usr/sbin/vsftpd is not installed (apt-get install vsftpd)\n");
    return 0;
  }
  const fs::path root = dir / "vsftpd-root";
  fs::create_directories(root / "incoming");
  // vsftpd refuses a writable anonymous root; the upload folder is the ftp user's.
  fs::permissions(root, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(root / "incoming", fs::perms::all);
  fs::create_directories("/var/run/vsftpd/empty");
  const int port = testing::free_loopback_port();
  const int passive = testing::free_loopback_port();
  write_file(dir / "vsftpd.conf",
             "listen=YES\nlisten_address=127.0.0.1\nlisten_port=" + std::to_string(port) +
                 "\nbackground=NO\nanonymous_enable=YES\nno_anon_password=YES\nanon_root=" +
                 root.string() +
                 "\nwrite_enable=YES\nanon_upload_enable=YES\nanon_umask=022\nlocal_enable=NO\n"
                 "pasv_enable=YES\npasv_min_port=" +
                 std::to_string(passive) + "\npasv_max_port=" + std::to_string(passive) +
                 "\nseccomp_sandbox=NO\nsecure_chroot_dir=/var/run/vsftpd/empty\n"
                 "xferlog_enable=NO\n");
  testing::ChildProcess vsftpd({"/usr/sbin/vsftpd", (dir / "vsftpd.conf").string()});
  for (int i = 0; i < 100 && !testing::loopback_accepts(port); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // Best of kRuns; each run's file is removed before the next (see kRuns).
  double best = 0;
  for (int run = 1; run <= kRuns; ++run) {
    const std::string name = "run-" + std::to_string(run) + ".bin";
    const Timed upload = timed({"curl", "-sS", "-T", file.string(),
                                "ftp://127.0.0.1:" + std::to_string(port) + "/incoming/" + name,
                                "--user", "anonymous:bench"});
    std::error_code ignored;
    if (upload.result.exit_code != 0 || fs::file_size(root / "incoming" / name, ignored) != bytes) {
      std::printf("vsftpd peer: the upload failed: %s\n", upload.result.err.c_str());
      vsftpd.kill(SIGTERM);
      return 0;
    }
    fs::remove(root / "incoming" / name, ignored);
    best = std::max(best, mb_per_second(bytes, upload.seconds));
  }
  vsftpd.kill(SIGTERM);
  return best;
}

// The SFTP half (4. above). Returns false when something failed (printed).
bool sftp_half(const fs::path& dir, const fs::path& file, std::uint64_t bytes,
               const std::string& api_key_hash) {
  if (!fs::exists("/usr/sbin/sshd")) {
    std::printf("SFTP: /usr/sbin/sshd is not installed (apt-get install openssh-server)\n");
    return true;
  }
  for (const char* key : {"host_key", "user_key"}) {
    testing::run_program(
        {"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", (dir / key).string()});
  }
  fs::copy_file(dir / "user_key.pub", dir / "authorized_keys");
  fs::create_directories("/run/sshd");
  const int port = testing::free_loopback_port();
  write_file(dir / "sshd_config",
             "ListenAddress 127.0.0.1\nPort " + std::to_string(port) + "\nHostKey " +
                 (dir / "host_key").string() + "\nAuthorizedKeysFile " +
                 (dir / "authorized_keys").string() + "\nPidFile " + (dir / "sshd.pid").string() +
                 "\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n"
                 "PermitRootLogin prohibit-password\nCiphers aes128-ctr\nMACs hmac-sha2-256\n"
                 "Subsystem sftp internal-sftp\n");
  testing::ChildProcess sshd({"/usr/sbin/sshd", "-D", "-E", (dir / "sshd.log").string(), "-f",
                              (dir / "sshd_config").string()});
  for (int i = 0; i < 100 && !testing::loopback_accepts(port); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::string host_key;
  std::getline(std::ifstream(dir / "host_key.pub"), host_key);
  host_key = host_key.substr(0, host_key.rfind(' '));
  write_file(dir / "known_hosts", "[127.0.0.1]:" + std::to_string(port) + " " + host_key + "\n");
  const passwd* account = ::getpwuid(::getuid());
  const std::string user = account != nullptr ? account->pw_name : "root";

  // The same file, hard-linked into the drop box (no copy to time).
  const fs::path drop = dir / "drop";
  fs::create_directories(drop / "peer");
  fs::create_hard_link(file, drop / "peer" / file.filename());
  write_file(dir / "sftp.batch", "get " + (drop / "peer" / file.filename()).string() + " " +
                                     (dir / "sftp-got.bin").string() + "\n");
  const Timed openssh = timed(
      {"sftp", "-q", "-b", (dir / "sftp.batch").string(), "-i", (dir / "user_key").string(), "-o",
       "UserKnownHostsFile=" + (dir / "known_hosts").string(), "-o", "Ciphers=aes128-ctr", "-o",
       "MACs=hmac-sha2-256", "-P", std::to_string(port), user + "@127.0.0.1"});
  std::error_code ignored;
  if (openssh.result.exit_code != 0 || fs::file_size(dir / "sftp-got.bin", ignored) != bytes) {
    std::printf("OpenSSH sftp peer: the get failed: %s%s\n", openssh.result.err.c_str(),
                openssh.result.out.c_str());
    return false;
  }
  fs::remove(dir / "sftp-got.bin");
  fs::remove_all(drop / "peer");
  const double peer = mb_per_second(bytes, openssh.seconds);
  std::printf("%-40s %8.0f MB/s   (no hash, no fsync)\n", "OpenSSH sftp -b get", peer);

  write_file(dir / "gateway-sftp.toml",
             "policy = \"" + std::string(SUPPORTGW_BENCH_POLICY) + "\"\nplugins = \"" +
                 SUPPORTGW_PLUGIN_DIR +
                 "\"\n[log]\nlevel = \"warn\"\n"
                 "[[channel]]\nname = \"web\"\nplugin = \"web\"\n[channel.settings]\n"
                 "listen = \"127.0.0.1:0\"\napi_keys = [\"" +
                 api_key_hash +
                 "\"]\n[[channel]]\nname = \"sftp\"\nplugin = \"sftp\"\n[channel.settings]\n"
                 "host = \"127.0.0.1\"\nport = " +
                 std::to_string(port) + "\nuser = \"" + user + "\"\nprivate_key = \"" +
                 (dir / "user_key").string() + "\"\nknown_hosts = \"" +
                 (dir / "known_hosts").string() + "\"\nroot = \"" + drop.string() +
                 "\"\npoll_interval = \"100ms\"\nmax_file_size = \"64GiB\"\n");
  testing::DaemonProcess daemon(SUPPORTGW_BINARY, dir / "gateway-sftp.toml", dir / "state-sftp");
  if (!daemon.wait_ready()) {
    std::printf("the SFTP daemon did not start:\n%s", daemon.log().c_str());
    return false;
  }
  const auto created = testing::run_program(
      {"curl", "-sS", "-H", std::string("Authorization: Bearer ") + kApiKey, "-H",
       "Content-Type: application/json", "--data-binary",
       R"({"subject": "Crash dump", "description": "Bench pull.", "severity": 2,
           "customer": {"name": "Bench", "email": "bench@example.com"}})",
       "http://" + daemon.endpoint("web", "http") + "/api/v1/tickets"});
  std::smatch match;
  if (!std::regex_search(created.out, match, std::regex(R"re("reference":"([^"]+)")re"))) {
    std::printf("creating a ticket failed: %s\n", created.out.c_str());
    return false;
  }
  const fs::path folder = drop / match[1].str();
  fs::create_directories(folder);
  fs::create_hard_link(file, folder / file.filename());
  const long rss_before = testing::peak_rss_kib(daemon.pid());
  const auto start = BenchClock::now();
  write_file(folder / (file.filename().string() + ".done"), "");
  // Deleted from the box only after the attach is durable.
  while (fs::exists(folder / file.filename()) &&
         BenchClock::now() - start < std::chrono::hours(1)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const double seconds = std::chrono::duration<double>(BenchClock::now() - start).count();
  const long rss = testing::peak_rss_kib(daemon.pid());
  if (fs::exists(folder / file.filename())) {
    std::printf("the pull did not finish:\n%s", daemon.log().c_str());
    return false;
  }
  const double ours = mb_per_second(bytes, seconds);
  std::printf("%-40s %8.0f MB/s   %.2fx OpenSSH sftp%s\n",
              "supportgw sftp pull (hash+fsync+attach)", ours, ours / peer,
              ours >= 0.6 * peer ? "   [target met]" : "   [target: 0.6x]");
  std::printf("%-40s %8.1f MiB  (%.1f MiB before the pull)%s\n", "sftp daemon peak RSS (VmHWM)",
              static_cast<double>(rss) / 1024, static_cast<double>(rss_before) / 1024,
              rss < 32 * 1024 ? "   [target met]" : "   [target: < 32 MiB]");
  daemon.signal(SIGTERM);
  daemon.wait();
  sshd.kill(SIGTERM);
  sshd.wait();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t mib = 1024;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--mib") {
      mib = std::stoull(argv[i + 1]);
    }
  }
  std::signal(SIGPIPE, SIG_IGN);
  testing::TempDir dir;
  const fs::path file = dir / "dump.bin";
  const std::uint64_t bytes = mib * 1024 * 1024;
  make_file(file, mib);
  std::printf("upload_bench: one %llu MiB file over loopback, curl as the client\n\n",
              static_cast<unsigned long long>(mib));

  const Timed digest = timed({"openssl", "dgst", "-sha256", file.string()});
  const double sha_rate = mb_per_second(bytes, digest.seconds);
  std::printf("%-40s %8.0f MB/s\n", "openssl dgst -sha256 (one core)", sha_rate);
  const double vsftpd = vsftpd_rate(dir.path(), file, bytes);
  if (vsftpd > 0) {
    std::printf("%-40s %8.0f MB/s   (no hash, no fsync; best of %d)\n", "vsftpd, curl -T", vsftpd,
                kRuns);
  }

  const auto hashed = testing::run_program({"sha256sum"}, {}, kApiKey);
  write_file(dir / "gateway.toml",
             "policy = \"" + std::string(SUPPORTGW_BENCH_POLICY) + "\"\nplugins = \"" +
                 SUPPORTGW_PLUGIN_DIR +
                 "\"\n[log]\nlevel = \"warn\"\n"
                 "[[channel]]\nname = \"web\"\nplugin = \"web\"\n[channel.settings]\n"
                 "listen = \"127.0.0.1:0\"\napi_keys = [\"" +
                 hashed.out.substr(0, 64) +
                 "\"]\n[[channel]]\nname = \"ftp\"\nplugin = \"ftp\"\n[channel.settings]\n"
                 "listen = \"127.0.0.1:0\"\nmax_upload = \"64GiB\"\nticket_quota = \"64GiB\"\n");
  testing::DaemonProcess daemon(SUPPORTGW_BINARY, dir / "gateway.toml", dir / "state");
  if (!daemon.wait_ready()) {
    std::cerr << "the daemon did not start:\n" << daemon.log();
    return 1;
  }
  const auto created = testing::run_program(
      {"curl", "-sS", "-H", std::string("Authorization: Bearer ") + kApiKey, "-H",
       "Content-Type: application/json", "--data-binary",
       R"({"subject": "Crash dump", "description": "Bench upload.", "severity": 2,
           "customer": {"name": "Bench", "email": "bench@example.com"}})",
       "http://" + daemon.endpoint("web", "http") + "/api/v1/tickets"});
  std::smatch match;
  if (!std::regex_search(created.out, match,
                         std::regex(R"re("reference":"([^"]+)".*"token":"([^"]+)")re"))) {
    std::cerr << "creating a ticket failed: " << created.out << created.err << "\n" << daemon.log();
    return 1;
  }
  const long rss_before = testing::peak_rss_kib(daemon.pid());
  const double cpu_before = testing::cpu_seconds(daemon.pid());
  double ours = 0;
  for (int run = 1; run <= kRuns; ++run) {
    const Timed upload =
        timed({"curl", "-sS", "-T", file.string(),
               "ftp://" + daemon.endpoint("ftp", "ftp") + "/run-" + std::to_string(run) + ".bin",
               "--user", match[1].str() + ":" + match[2].str()});
    if (upload.result.exit_code != 0) {
      std::cerr << "the upload failed: " << upload.result.err << "\n" << daemon.log();
      return 1;
    }
    ours = std::max(ours, mb_per_second(bytes, upload.seconds));
  }
  const long rss = testing::peak_rss_kib(daemon.pid());
  const double cpu_per_gib = (testing::cpu_seconds(daemon.pid()) - cpu_before) / kRuns /
                             (static_cast<double>(bytes) / (1024.0 * 1024 * 1024));
  const double ceiling = vsftpd > 0 ? std::min(vsftpd, sha_rate) : sha_rate;
  std::printf("%-40s %8.0f MB/s   %.2fx the lower of vsftpd and SHA-256%s\n",
              "supportgw ftp, curl -T (hash+fsync+226)", ours, ours / ceiling,
              ours >= 0.9 * ceiling ? "   [target met]" : "   [target: 0.9x]");
  std::printf("%-40s %8.1f MiB  (%.1f MiB before the upload)%s\n", "daemon peak RSS (VmHWM)",
              static_cast<double>(rss) / 1024, static_cast<double>(rss_before) / 1024,
              rss < 32 * 1024 ? "   [target met]" : "   [target: < 32 MiB]");
  std::printf("%-40s %8.2f s   (user + system, all threads; SHA-256 alone: %.2f s)\n",
              "daemon CPU per GiB uploaded", cpu_per_gib, 1024.0 * 1024 * 1024 / 1e6 / sha_rate);
  daemon.signal(SIGTERM);
  daemon.wait();
  std::printf("\n");
  return sftp_half(dir.path(), file, bytes, hashed.out.substr(0, 64)) ? 0 : 1;
}
