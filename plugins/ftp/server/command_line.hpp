#pragma once
// The control connection's input, without sockets: bytes in, command lines out.
//
// CommandLineReader collects bytes into lines ending in LF (CRLF or a bare LF, as some
// clients send) and never holds more than one line of at most `limit` bytes: a client
// that sends an endless line makes overflowed() true, and the session replies 500 and
// closes without reading further. Telnet IAC sequences (RFC 959 makes the control
// connection a Telnet stream; clients send IAC IP before ABOR) are dropped.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace supportgw::ftp {

class CommandLineReader {
 public:
  explicit CommandLineReader(std::size_t limit) : limit_(limit) {}

  // Takes bytes up to and including the end of the next line; returns how many it took
  // (fewer than `bytes.size()` only when a line is complete). Feed the rest later.
  std::size_t feed(std::string_view bytes);
  // The complete line (without CR LF), once feed() finished one; then starts a new one.
  std::optional<std::string> take_line();
  bool overflowed() const { return overflowed_; }

 private:
  std::size_t limit_;
  std::string line_;
  bool complete_ = false;
  bool overflowed_ = false;
  int telnet_state_ = 0;  // 0: text, 1: after IAC, 2: after IAC WILL/WONT/DO/DONT
};

struct Command {
  std::string verb;      // upper case: "STOR"
  std::string argument;  // the rest after one space, unchanged (file names keep spaces)
};

// Splits "stor my file.txt" into {"STOR", "my file.txt"}. nullopt for a line that is no
// command: empty, a verb that is not 3-4 ASCII letters, or a NUL byte anywhere.
std::optional<Command> parse_command(std::string_view line);

}  // namespace supportgw::ftp
