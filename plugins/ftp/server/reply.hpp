#pragma once
// Reply text on the control connection (RFC 959 4.2) and the data-address arguments of
// PASV/EPSV/PORT/EPRT (RFC 959, RFC 2428), without sockets.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace supportgw::ftp {

// "226 text\r\n", or for text with '\n' inside the multi-line form "211-a\r\n b\r\n211 c\r\n".
// CR and other control characters in `text` (a hostile file name echoed back) become '?',
// so a client can never be fed a forged reply line.
std::string format_reply(int code, std::string_view text);

// `text` with control characters replaced, for echoing a client's words in a reply.
std::string printable(std::string_view text, std::size_t max_bytes = 200);

struct DataAddress {
  std::string address;  // numeric IPv4 or IPv6
  std::uint16_t port = 0;
};

// PORT "h1,h2,h3,h4,p1,p2".
std::optional<DataAddress> parse_port_argument(std::string_view argument);
// EPRT "|1|132.235.1.2|6275|" or "|2|::1|6275|" (any delimiter in 33..126).
std::optional<DataAddress> parse_eprt_argument(std::string_view argument);
// PASV's "Entering Passive Mode (h1,h2,h3,h4,p1,p2)."
std::string pasv_text(const std::array<unsigned char, 4>& address, std::uint16_t port);
// EPSV's "Entering Extended Passive Mode (|||port|)."
std::string epsv_text(std::uint16_t port);

}  // namespace supportgw::ftp
