#pragma once
// The FTP upload server: a listener on the plugin's own executor (sdk::IoPool) that
// starts a session (ftp_session.hpp) per control connection, within the session limits.
// Asio stays behind this interface (ftp_server.cpp, ftp_session.cpp), so the channel's
// translation unit compiles without it.
//
// Threading: start(), stop() and local_address() are called by the channel on a host
// thread; everything else runs on the executor's threads and on a small pool of the
// server's own for disk work (finishing uploads, describing them, ticket lookups).

#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <supportgw/sdk/channel_context.hpp>

#include "ftp_settings.hpp"

namespace supportgw::ftp {

class FtpServer {
 public:
  // Binds the listener (an error Status when the address is taken or invalid) and starts
  // accepting. `context` must outlive stop().
  static sdk::Result<std::unique_ptr<FtpServer>> start(boost::asio::any_io_executor executor,
                                                       FtpSettings settings,
                                                       sdk::ChannelContext& context);
  ~FtpServer();
  FtpServer(const FtpServer&) = delete;
  FtpServer& operator=(const FtpServer&) = delete;

  // Stops accepting and closes every session (an upload in flight keeps its partial).
  // Call before stopping the executor's IoPool; then call join().
  void stop();
  // Waits for the disk pool's work (content notes of finished uploads). Call after the
  // IoPool stopped and before it is destroyed.
  void join();
  // "127.0.0.1:2121", with the port actually bound.
  std::string local_address() const;
  // The implicit FTPS listener's address, "" when implicit_tls_listen is not set.
  std::string implicit_tls_address() const;

  struct Impl;

 private:
  explicit FtpServer(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace supportgw::ftp
