#include "reply.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <vector>

namespace supportgw::ftp {
namespace {

std::optional<unsigned> number(std::string_view text, unsigned max) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value > max) {
    return std::nullopt;
  }
  return value;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    const auto at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

}  // namespace

std::string printable(std::string_view text, std::size_t max_bytes) {
  std::string out;
  for (char c : text.substr(0, max_bytes)) {
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(byte < 0x20 || byte == 0x7f ? '?' : c);
  }
  if (text.size() > max_bytes) out += "...";
  return out;
}

std::string format_reply(int code, std::string_view text) {
  const std::string number = std::to_string(code);
  const auto lines = split(text, '\n');
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string line = printable(lines[i], 4096);
    if (i + 1 == lines.size()) {
      out += number + " " + line + "\r\n";
    } else if (i == 0) {
      out += number + "-" + line + "\r\n";
    } else {
      // A continuation line must not start with digits a client could take for the end.
      out += " " + line + "\r\n";
    }
  }
  return out;
}

std::optional<DataAddress> parse_port_argument(std::string_view argument) {
  const auto parts = split(argument, ',');
  if (parts.size() != 6) return std::nullopt;
  unsigned bytes[6];
  for (int i = 0; i < 6; ++i) {
    const auto value = number(parts[static_cast<std::size_t>(i)], 255);
    if (!value) return std::nullopt;
    bytes[i] = *value;
  }
  DataAddress result;
  result.address = std::to_string(bytes[0]) + "." + std::to_string(bytes[1]) + "." +
                   std::to_string(bytes[2]) + "." + std::to_string(bytes[3]);
  result.port = static_cast<std::uint16_t>(bytes[4] * 256 + bytes[5]);
  if (result.port == 0) return std::nullopt;
  return result;
}

std::optional<DataAddress> parse_eprt_argument(std::string_view argument) {
  if (argument.size() < 7) return std::nullopt;
  const char delimiter = argument.front();
  if (delimiter < 33 || delimiter > 126 || argument.back() != delimiter) return std::nullopt;
  const auto parts = split(argument.substr(1, argument.size() - 2), delimiter);
  if (parts.size() != 3) return std::nullopt;
  const auto family = number(parts[0], 2);
  const auto port = number(parts[2], 65535);
  if (!family || *family == 0 || !port || *port == 0) return std::nullopt;
  const std::string address(parts[1]);
  unsigned char raw[16];
  if (::inet_pton(*family == 1 ? AF_INET : AF_INET6, address.c_str(), raw) != 1) {
    return std::nullopt;
  }
  return DataAddress{address, static_cast<std::uint16_t>(*port)};
}

std::string pasv_text(const std::array<unsigned char, 4>& address, std::uint16_t port) {
  std::string text = "Entering Passive Mode (";
  for (unsigned char byte : address) text += std::to_string(byte) + ",";
  text += std::to_string(port >> 8) + "," + std::to_string(port & 0xff) + ").";
  return text;
}

std::string epsv_text(std::uint16_t port) {
  return "Entering Extended Passive Mode (|||" + std::to_string(port) + "|).";
}

}  // namespace supportgw::ftp
