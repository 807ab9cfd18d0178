#pragma once
// `supportgw serve` as a test runs it: a real child process on a gateway.toml the test
// wrote, its log (stderr) captured to a file, its channels' addresses read from the
// ready file. The destructor kills (SIGKILL) a daemon the test left running.

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.hpp"

namespace supportgw::testing {

class DaemonProcess {
 public:
  DaemonProcess(std::filesystem::path program, std::filesystem::path config,
                std::filesystem::path state_dir, std::vector<std::string> extra_args = {});
  ~DaemonProcess();

  // Waits until the ready file appears (true) or the daemon exits or `limit` passes
  // (false). Not a timing assertion: the limit only stops a hung test.
  bool wait_ready(std::chrono::seconds limit = std::chrono::seconds(120));
  // The address the ready file gives channel/protocol ("" when absent).
  std::string endpoint(const std::string& channel, const std::string& protocol) const;
  // The ready file's "skipped" entries: channel -> reason.
  const std::map<std::string, std::string>& skipped() const { return skipped_; }

  void signal(int number);
  // The daemon's process id (-1 once it was reaped), e.g. to read its /proc entries.
  pid_t pid() const;
  // Waits for the daemon to exit; returns its wait status.
  int wait();
  std::string log() const;
  // Waits until the log holds `text` (true) or the daemon exits or `limit` passes.
  bool wait_for_log(const std::string& text, std::chrono::seconds limit = std::chrono::seconds(60));
  const std::filesystem::path& ready_file() const { return ready_file_; }
  const std::filesystem::path& state_dir() const { return state_dir_; }
  // Whether the daemon has not exited yet (reaps it when it has; does not wait).
  bool running();

 private:
  std::filesystem::path state_dir_;
  std::filesystem::path ready_file_;
  std::filesystem::path log_file_;
  std::unique_ptr<ChildProcess> child_;
  bool exited_ = false;
  int status_ = 0;
  std::map<std::string, std::map<std::string, std::string>> endpoints_;
  std::map<std::string, std::string> skipped_;
};

}  // namespace supportgw::testing
