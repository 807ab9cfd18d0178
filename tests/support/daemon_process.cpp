#include "tests/support/daemon_process.hpp"

#include "tests/support/temp_dir.hpp"

#include <boost/json.hpp>

#include <thread>

namespace supportgw::testing {

namespace {}  // namespace

DaemonProcess::DaemonProcess(std::filesystem::path program, std::filesystem::path config,
                             std::filesystem::path state_dir, std::vector<std::string> extra_args)
    : state_dir_(std::move(state_dir)),
      ready_file_(state_dir_.parent_path() / (state_dir_.filename().string() + ".ready.json")),
      log_file_(state_dir_.parent_path() / (state_dir_.filename().string() + ".log")) {
  // stderr (the log) to a file; stdout stays the pipe ChildProcess reads.
  std::vector<std::string> argv = {"/bin/sh",
                                   "-c",
                                   "exec \"$0\" \"$@\" 2>>'" + log_file_.string() + "'",
                                   program.string(),
                                   "serve",
                                   "--config",
                                   config.string(),
                                   "--state-dir",
                                   state_dir_.string(),
                                   "--ready-file",
                                   ready_file_.string()};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  child_ = std::make_unique<ChildProcess>(argv);
}

DaemonProcess::~DaemonProcess() = default;  // ChildProcess kills and reaps

bool DaemonProcess::running() {
  if (exited_) {
    return false;
  }
  if (child_->try_wait(status_)) {
    exited_ = true;
    return false;
  }
  return true;
}

bool DaemonProcess::wait_ready(std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (std::filesystem::exists(ready_file_)) {
      const boost::json::value ready = boost::json::parse(read_file(ready_file_));
      for (const auto& [channel, endpoints] : ready.at("channels").as_object()) {
        for (const auto& [protocol, address] : endpoints.as_object()) {
          endpoints_[std::string(channel)][std::string(protocol)] = address.as_string().c_str();
        }
      }
      for (const auto& [channel, reason] : ready.at("skipped").as_object()) {
        skipped_[std::string(channel)] = reason.as_string().c_str();
      }
      return true;
    }
    if (!running()) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

std::string DaemonProcess::endpoint(const std::string& channel, const std::string& protocol) const {
  const auto found = endpoints_.find(channel);
  if (found == endpoints_.end()) {
    return {};
  }
  const auto address = found->second.find(protocol);
  return address == found->second.end() ? std::string() : address->second;
}

pid_t DaemonProcess::pid() const { return child_ && !exited_ ? child_->pid() : -1; }

void DaemonProcess::signal(int number) { child_->kill(number); }

int DaemonProcess::wait() {
  if (!exited_) {
    status_ = child_->wait();
    exited_ = true;
  }
  return status_;
}

std::string DaemonProcess::log() const { return read_file(log_file_); }

bool DaemonProcess::wait_for_log(const std::string& text, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (log().find(text) != std::string::npos) {
      return true;
    }
    if (!running()) {
      return log().find(text) != std::string::npos;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace supportgw::testing
