#pragma once
// The drop-box puller: one worker thread that polls <root>/*/ over SFTP, takes the files
// that are complete (StabilityTracker), downloads each into a DurableUpload under the
// channel's storage folder (uploads/<reference>/, SHA-256 on the fly, resumed from the
// partial after an interruption), attaches it to the ticket (attach_vouched: the vendor
// runs the box, there is no customer token), and only then deletes the remote file or
// moves it to processed/. Folders of no known ticket go to unmatched/.
//
// A host key that is unknown or differs from known_hosts stops the puller for good (an
// error in the log); other failures (network, login, a file vanishing) are logged and
// retried at the next poll.

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <supportgw/sdk/channel_context.hpp>

#include "partial_origins.hpp"
#include "remote_layout.hpp"
#include "sftp_settings.hpp"
#include "stability_tracker.hpp"

namespace spdlog {
class logger;
}

namespace supportgw::ftp {

class SftpConnection;

class SftpPuller {
 public:
  SftpPuller(SftpSettings settings, sdk::ChannelContext& context);
  ~SftpPuller();  // stops
  SftpPuller(const SftpPuller&) = delete;
  SftpPuller& operator=(const SftpPuller&) = delete;

  void start();
  // Interrupts what the worker is doing (a download keeps its partial) and joins it.
  void stop();

 private:
  void run();
  sdk::Status poll(SftpConnection& connection);
  sdk::Status take(SftpConnection& connection, const RemoteFile& file);
  // After a successful attach: delete or move the file (and its marker).
  sdk::Status finish_remote(SftpConnection& connection, const RemoteFile& file);
  // Moves a file and its marker, if any, into `folder` (processed/ or unmatched/).
  sdk::Status set_aside(SftpConnection& connection, const RemoteFile& file,
                        const std::string& folder);
  // Moves `from` to <folder>/<name> (making the folder), under a new name if taken.
  sdk::Status move_aside(SftpConnection& connection, const std::string& from,
                         const std::string& folder, const std::string& name);
  sdk::Status attach(const RemoteFile& file, const std::string& stored_name,
                     const std::filesystem::path& stored_path, std::uint64_t size,
                     const std::string& sha256);
  void describe_later(const RemoteFile& file, const std::filesystem::path& path,
                      const std::string& stored_name);
  // Sleeps until the next poll or stop().
  void wait_for_next_poll();
  // Logs a failure once until it changes (a box down for hours logs one line).
  void report(const std::string& message);

  SftpSettings settings_;
  sdk::ChannelContext& context_;
  std::shared_ptr<spdlog::logger> logger_;
  std::filesystem::path uploads_;  // storage_dir/uploads
  std::filesystem::path pulled_;   // storage_dir/pulled: attached, remote not yet cleaned
  PartialOrigins origins_;         // storage_dir/resuming: the remote file of each partial
  StabilityTracker tracker_;
  std::string last_report_;

  std::atomic<bool> stopping_{false};
  std::mutex mutex_;  // guards connection_ (for interrupt()) and the poll wait
  std::condition_variable wake_;
  SftpConnection* connection_ = nullptr;
  std::thread worker_;
};

}  // namespace supportgw::ftp
