#pragma once
// One control connection and its data connections: login, commands, passive and active
// data, uploads. Internal to the server (ftp_server.cpp); Asio in its interface.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <supportgw/sdk/channel_context.hpp>

#include "attach_journal.hpp"
#include "ftp_settings.hpp"

namespace spdlog {
class logger;
}

namespace supportgw::ftp {

// What the sessions of one server share. Read-only after start, apart from `disk` and
// the upload claims.
struct ServerShared {
  FtpSettings settings;
  sdk::ChannelContext* context = nullptr;
  std::shared_ptr<spdlog::logger> logger;
  std::filesystem::path uploads_root;  // <storage_dir>/uploads: one folder per ticket
  // Blocking work (fsync, rename, hashing a resumed prefix, file(1), ticket lookups)
  // runs here, never on the io threads.
  std::unique_ptr<boost::asio::thread_pool> disk;
  // Uploads between their rename and their attachment (attach_journal.hpp).
  std::shared_ptr<const AttachJournal> journal;
  // The certificate and key for AUTH TLS; null when the deployment configured none.
  std::shared_ptr<boost::asio::ssl::context> tls;

  // Uploads being written, as "<reference>/<name>": a second session storing the same
  // name for the same ticket must not write into the first one's partial.
  std::mutex claims_mutex;
  std::set<std::string> claimed_uploads;
};

class Session {
 public:
  virtual ~Session() = default;
  // Closes the connection from any thread (the server stopping).
  virtual void close() = 0;
};

// Starts serving `socket` (opened on a strand of the server's executor); with
// `implicit_tls` the session begins with the TLS handshake (implicit FTPS). `on_end` runs
// once, on the session's strand, when the connection is over.
std::shared_ptr<Session> start_session(std::shared_ptr<ServerShared> shared,
                                       boost::asio::ip::tcp::socket socket, bool implicit_tls,
                                       std::function<void()> on_end);

}  // namespace supportgw::ftp
