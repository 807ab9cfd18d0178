#include "command_line.hpp"

#include <algorithm>
#include <cctype>

namespace supportgw::ftp {
namespace {

constexpr unsigned char kIac = 255;
constexpr unsigned char kWill = 251;
constexpr unsigned char kDont = 254;

}  // namespace

std::size_t CommandLineReader::feed(std::string_view bytes) {
  std::size_t taken = 0;
  while (taken < bytes.size() && !complete_) {
    const auto c = static_cast<unsigned char>(bytes[taken++]);
    if (telnet_state_ == 1) {
      // IAC IAC is a literal 255; WILL/WONT/DO/DONT carry one option byte more.
      if (c == kIac) {
        if (!overflowed_) line_.push_back(static_cast<char>(c));
        telnet_state_ = 0;
      } else {
        telnet_state_ = (c >= kWill && c <= kDont) ? 2 : 0;
      }
      continue;
    }
    if (telnet_state_ == 2) {
      telnet_state_ = 0;
      continue;
    }
    if (c == kIac) {
      telnet_state_ = 1;
      continue;
    }
    if (c == '\n') {
      if (!line_.empty() && line_.back() == '\r') line_.pop_back();
      complete_ = true;
      break;
    }
    // The CR of a CRLF may be the limit's last byte; anything beyond is too long.
    if (line_.size() + 1 >= limit_) {
      overflowed_ = true;
      line_.clear();
      return taken;
    }
    line_.push_back(static_cast<char>(c));
  }
  return taken;
}

std::optional<std::string> CommandLineReader::take_line() {
  if (!complete_ || overflowed_) return std::nullopt;
  complete_ = false;
  std::string line;
  line.swap(line_);
  return line;
}

std::optional<Command> parse_command(std::string_view line) {
  if (line.find('\0') != std::string_view::npos) return std::nullopt;
  const auto space = line.find(' ');
  const std::string_view verb = line.substr(0, space);
  if (verb.size() < 3 || verb.size() > 4 || !std::all_of(verb.begin(), verb.end(), [](char c) {
        return std::isalpha(static_cast<unsigned char>(c)) != 0;
      })) {
    return std::nullopt;
  }
  Command command;
  for (char c : verb)
    command.verb.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (space != std::string_view::npos) command.argument = std::string(line.substr(space + 1));
  return command;
}

}  // namespace supportgw::ftp
