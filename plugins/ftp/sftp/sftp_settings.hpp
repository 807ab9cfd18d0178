#pragma once
// The sftp channel's [channel.settings], read once in start():
//
//   host          (required)           the drop box's host name or address
//   port          = 22
//   user          (required)
//   private_key   (required)           OpenSSH private key file for public-key login
//   public_key    = ""                 its .pub file; "" derives it from the private key
//   passphrase    = ""                 of the private key
//   known_hosts   (required)           OpenSSH known_hosts file holding the box's host key;
//                                      an unknown or different key stops the puller
//   root          (required)           remote folder laid out as <root>/<reference>/<file>
//   poll_interval = "30s"              time between two listings of <root>
//   after         = "delete"           what becomes of a pulled file: "delete", or "move"
//                                      to <root>/processed/<reference>/<file>
//   max_file_size = "16GiB"            larger files go to <root>/unmatched/<reference>/
//   timeout       = "1m"               a silent server this long drops the connection
//
// Unknown keys are refused, so a misspelt setting is an error at start.

#include <chrono>
#include <cstdint>
#include <string>

#include <supportgw/sdk/settings.hpp>

namespace supportgw::ftp {

enum class AfterPull { remove, move };

struct SftpSettings {
  std::string host;
  std::uint16_t port = 22;
  std::string user;
  std::string private_key;
  std::string public_key;
  std::string passphrase;
  std::string known_hosts;
  std::string root;  // without a trailing '/' (except "/" itself)
  std::chrono::milliseconds poll_interval{30'000};
  AfterPull after = AfterPull::remove;
  std::uint64_t max_file_size = 16ULL << 30;
  std::chrono::milliseconds timeout{60'000};
};

// Throws sdk::SettingsError naming the file, line and setting at fault.
SftpSettings read_sftp_settings(const sdk::Settings& settings);

}  // namespace supportgw::ftp
