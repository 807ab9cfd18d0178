#pragma once
// The ftp channel's [channel.settings], read once in start():
//
//   listen                   = "127.0.0.1:2121"  control connections (port 0: any free)
//   passive_ports            = ""                ports PASV/EPSV may open, "50000-50100"
//                                                 (from 1024); "" = any free port
//   passive_address          = ""                the IPv4 address PASV announces (behind
//                                                 NAT); "" = the control connection's own
//   max_sessions             = 64                control connections in all
//   max_sessions_per_address = 8                 from one client address
//   idle_timeout             = "5m"              a session that sends no command (and runs
//                                                 no transfer) this long gets 421
//   data_timeout             = "1m"              a data connection that neither connects
//                                                 nor moves a byte for this long is cut (the
//                                                 partial stays for a resume)
//   max_upload               = "16GiB"           largest single file
//   ticket_quota             = "64GiB"           all files of one ticket, partials included
//   max_bad_commands         = 20                unknown or malformed commands a session may
//                                                 send before it gets 421 and is closed
//   login_failure_delay      = "1s"              wait before answering a wrong password
//   allow_active             = false             PORT/EPRT, only ever to the control
//                                                 connection's own peer address (no bounce)
//   tls_certificate          = ""                PEM certificate chain: offers explicit
//   tls_private_key          = ""                FTPS (AUTH TLS, PBSZ 0, PROT P) when both set
//   require_tls              = false             USER before AUTH TLS gets 530, and data
//                                                 connections must be protected (PROT P)
//   require_tls_session_reuse = true            a protected data connection must resume
//                                                 the control connection's TLS session, or
//                                                 it is refused with 522 (no port racing;
//                                                 tls_session_binding.hpp). Off only for
//                                                 clients that cannot, e.g. Python's ftplib
//   implicit_tls_listen      = ""                a second listener for implicit FTPS (TLS
//                                                 from the first byte, the port-990 style;
//                                                 data protected by default); needs the
//                                                 certificate; "" = none
//   incoming                 = false             also an anonymous drop box (user anonymous
//                                                 or ftp): files named <reference>_<name>
//                                                 go to that open ticket; nothing is listed
//   closed_partials_sweep    = "10m"             how often the partials of closed tickets
//                                                 (which can never be resumed) are removed;
//                                                 also once at start (closed_partials.hpp)
//
// Unknown keys are refused, so a misspelt setting is an error at start.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <supportgw/sdk/settings.hpp>

namespace supportgw::ftp {

// Longest command line accepted, CRLF included (RFC 959 gives none; 512 fits any real
// command and keeps a hostile client from making us buffer).
constexpr std::size_t kMaxCommandLine = 512;

struct PortRange {
  std::uint16_t first = 0;  // 0 and 0: any free port
  std::uint16_t last = 0;
  bool any() const { return first == 0; }
};

struct FtpSettings {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 2121;
  PortRange passive_ports;
  std::string passive_address;
  int max_sessions = 64;
  int max_sessions_per_address = 8;
  std::chrono::milliseconds idle_timeout{5 * 60 * 1000};
  std::chrono::milliseconds data_timeout{60 * 1000};
  std::uint64_t max_upload = 16ULL << 30;
  std::uint64_t ticket_quota = 64ULL << 30;
  int max_bad_commands = 20;
  std::chrono::milliseconds login_failure_delay{1000};
  bool allow_active = false;
  std::string tls_certificate;  // both empty: no TLS
  std::string tls_private_key;
  bool require_tls = false;
  bool require_tls_session_reuse = true;
  bool implicit_tls = false;  // implicit_tls_listen given
  std::string implicit_tls_host;
  std::uint16_t implicit_tls_port = 0;
  bool incoming = false;
  std::chrono::milliseconds closed_partials_sweep{10 * 60 * 1000};
};

// "50000-50100" (both from 1024 to 65535, first <= last); "" means any free port.
std::optional<PortRange> parse_port_range(std::string_view text);

// Throws sdk::SettingsError naming the file, line and setting at fault.
FtpSettings read_settings(const sdk::Settings& settings);

}  // namespace supportgw::ftp
