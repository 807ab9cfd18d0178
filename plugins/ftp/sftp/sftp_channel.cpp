// The sftp channel: pulls customers' files from an SFTP drop box the vendor runs, laid out
// as <root>/<reference>/<file>, and attaches them to those tickets (sftp_puller.hpp).
// It listens on nothing; its one worker thread is the puller's.

#include <libssh2.h>

#include <supportgw/sdk/plugin.hpp>

#include <spdlog/logger.h>

#include <memory>

#include "sftp_puller.hpp"
#include "sftp_settings.hpp"

namespace supportgw::ftp {
namespace {

class SftpChannel final : public sdk::Channel {
 public:
  sdk::Status start(sdk::ChannelContext& context) override {
    return sdk::guard("start", [&]() -> sdk::Status {
      SftpSettings settings = read_sftp_settings(context.settings());
      if (libssh2_init(0) != 0) {
        return sdk::Status(sdk::StatusCode::internal, "libssh2_init failed");
      }
      libssh2_ready_ = true;
      if (auto logger = context.logger()) {
        logger->info("SFTP drop-box puller for {}@{}:{}{} (files into {})", settings.user,
                     settings.host, settings.port, settings.root,
                     (context.storage_dir() / "uploads").string());
      }
      puller_ = std::make_unique<SftpPuller>(std::move(settings), context);
      puller_->start();
      return sdk::Status();
    });
  }

  // Also called after a failed start(). A download in flight keeps its partial.
  void stop() override {
    if (puller_) puller_->stop();
    puller_.reset();
    if (libssh2_ready_) libssh2_exit();
    libssh2_ready_ = false;
  }

 private:
  std::unique_ptr<SftpPuller> puller_;
  bool libssh2_ready_ = false;
};

}  // namespace
}  // namespace supportgw::ftp

SUPPORTGW_PLUGIN("sftp", "0.1.0", supportgw::ftp::SftpChannel)
