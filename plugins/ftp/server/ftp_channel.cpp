// The ftp channel: customers upload files to their ticket over FTP, logging in with the
// ticket reference and token. The server (ftp_server.hpp) runs on the plugin's own
// IoPool; see io_pool.hpp for why a plugin never shares the daemon's io_context.

#include <supportgw/sdk/io_pool.hpp>
#include <supportgw/sdk/plugin.hpp>

#include <spdlog/logger.h>

#include <memory>

#include "ftp_server.hpp"
#include "ftp_settings.hpp"

namespace supportgw::ftp {
namespace {

class FtpChannel final : public sdk::Channel {
 public:
  sdk::Status start(sdk::ChannelContext& context) override {
    return sdk::guard("start", [&]() -> sdk::Status {
      FtpSettings settings = read_settings(context.settings());
      pool_ = std::make_unique<sdk::IoPool>(context.suggested_threads());
      auto server = FtpServer::start(pool_->executor(), std::move(settings), context);
      if (!server.ok()) return server.status();
      server_ = std::move(server.value());
      if (auto logger = context.logger()) {
        logger->info("FTP upload server at {} (uploads in {})", server_->local_address(),
                     (context.storage_dir() / "uploads").string());
        if (!server_->implicit_tls_address().empty()) {
          logger->info("implicit FTPS at {}", server_->implicit_tls_address());
        }
      }
      return sdk::Status();
    });
  }

  // Also called after a failed start(). Uploads in flight keep their partials.
  void stop() override {
    if (server_) server_->stop();
    if (pool_) pool_->stop();
    if (server_) server_->join();
  }

  std::map<std::string, std::string> endpoints() const override {
    if (!server_) return {};
    std::map<std::string, std::string> listening{{"ftp", server_->local_address()}};
    if (const std::string implicit = server_->implicit_tls_address(); !implicit.empty()) {
      listening.emplace("ftps", implicit);
    }
    return listening;
  }

 private:
  std::unique_ptr<sdk::IoPool> pool_;  // declared before the server: destroyed after it
  std::unique_ptr<FtpServer> server_;
};

}  // namespace
}  // namespace supportgw::ftp

SUPPORTGW_PLUGIN("ftp", "0.1.0", supportgw::ftp::FtpChannel)
