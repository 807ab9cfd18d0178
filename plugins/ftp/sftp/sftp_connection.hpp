#pragma once
// One SSH connection to the drop box with its SFTP channel (libssh2, blocking mode on a
// socket of our own): connect, verify the host key against known_hosts, log in with the
// key, then list, download, rename and delete. Used by the puller's one worker thread;
// interrupt() is the only member another thread may call (stop(): it shuts the socket
// down, so a blocked libssh2 call returns at once with an error).
//
// Speed (libssh2 1.10, measured here): TCP_NODELAY on the socket and >= 1 MiB buffers to
// libssh2_sftp_read, which then keeps many read requests outstanding, take a pull from
// 41 MB/s to 160-170 MB/s.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <supportgw/sdk/status.hpp>

#include "remote_layout.hpp"
#include "sftp_settings.hpp"

namespace supportgw::ftp {

// Why connecting failed. host_key: the server's key is not the known one (or is not in
// known_hosts at all): the puller must stop, not retry.
enum class ConnectFailure { none, network, host_key, login, other };

struct ConnectError {
  ConnectFailure kind = ConnectFailure::none;
  std::string message;
};

class SftpConnection {
 public:
  // Not connected yet: make it reachable by interrupt() first, then connect().
  SftpConnection();
  ~SftpConnection();
  SftpConnection(const SftpConnection&) = delete;
  SftpConnection& operator=(const SftpConnection&) = delete;

  // Connects, checks the host key and logs in; on failure the error says why, and the
  // object is only good for destruction. `stopping` is checked while the TCP connection is
  // being made; interrupt() ends every later step at once, the SSH handshake with a
  // server that accepted the connection and then said nothing included. Once per object.
  ConnectError connect(const SftpSettings& settings, const std::atomic<bool>& stopping);

  // Errors: not_found (no such folder or file), denied (permission), unavailable (the
  // connection failed: drop it and reconnect), internal (anything else).
  sdk::Result<std::vector<RemoteEntry>> list(const std::string& folder);
  // Streams `path` from `offset` to its end into `sink`; a sink error ends the download
  // and is returned.
  using Sink = std::function<sdk::Status(const char* data, std::size_t size)>;
  sdk::Status download(const std::string& path, std::uint64_t offset, const Sink& sink);
  sdk::Status remove(const std::string& path);
  // Fails when `to` exists (SFTP v3 rename, as OpenSSH serves it).
  sdk::Status rename(const std::string& from, const std::string& to);
  // OK when the folder exists already.
  sdk::Status make_folder(const std::string& path);
  bool exists(const std::string& path);

  // From any thread: makes every blocked and later call fail at once.
  void interrupt();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace supportgw::ftp
