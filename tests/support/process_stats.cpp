#include "tests/support/process_stats.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace supportgw::testing {
namespace {

struct StatFields {
  pid_t parent = 0;
  double ticks = 0;  // utime + stime
};

// /proc/<pid>/stat: fields after the command name (which may hold spaces), from its
// closing parenthesis: state is field 3, the parent 4, utime 14 and stime 15.
bool read_stat(const std::filesystem::path& file, StatFields& out) {
  std::ifstream stat(file);
  const std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto paren = text.rfind(')');
  if (paren == std::string::npos || paren + 2 > text.size()) {
    return false;
  }
  std::istringstream fields(text.substr(paren + 2));
  std::string field;
  for (int index = 3; index <= 15 && fields >> field; ++index) {
    if (index == 4) {
      out.parent = static_cast<pid_t>(std::stol(field));
    } else if (index >= 14) {
      out.ticks += std::stod(field);
    }
  }
  return true;
}

}  // namespace

double cpu_seconds(pid_t pid, bool with_children) {
  double ticks = 0;
  StatFields own;
  if (read_stat("/proc/" + std::to_string(pid) + "/stat", own)) {
    ticks += own.ticks;
  }
  if (with_children) {
    std::error_code ignored;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ignored)) {
      StatFields child;
      const std::string name = entry.path().filename().string();
      if (name.find_first_not_of("0123456789") == std::string::npos &&
          read_stat(entry.path() / "stat", child) && child.parent == pid) {
        ticks += child.ticks;
      }
    }
  }
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

long peak_rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmHWM:")) {
      return std::stol(line.substr(6));
    }
  }
  return 0;
}

}  // namespace supportgw::testing
