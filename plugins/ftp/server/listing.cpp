#include "listing.hpp"

#include <ctime>

namespace supportgw::ftp {
namespace {

std::tm utc(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  return parts;
}

std::string format(const std::tm& parts, const char* pattern) {
  char text[64];
  const std::size_t n = std::strftime(text, sizeof text, pattern, &parts);
  return std::string(text, n);
}

}  // namespace

std::string ftp_time(std::chrono::system_clock::time_point time) {
  return format(utc(time), "%Y%m%d%H%M%S");
}

std::string list_line(const FolderEntry& entry, std::chrono::system_clock::time_point now) {
  // strftime's %b follows the C locale here (never set otherwise): English month names.
  const auto half_year = std::chrono::hours(24 * 182);
  const bool recent =
      entry.modified > now - half_year && entry.modified < now + std::chrono::hours(24);
  const std::string when = format(utc(entry.modified), recent ? "%b %d %H:%M" : "%b %d  %Y");
  return "-rw-r--r-- 1 ftp ftp " + std::to_string(entry.size) + " " + when + " " + entry.name;
}

std::string mlsx_line(const FolderEntry& entry) {
  return "type=file;size=" + std::to_string(entry.size) + ";modify=" + ftp_time(entry.modified) +
         "; " + entry.name;
}

bool names_root(std::string_view path) {
  // Nothing lies beneath the root, so any part other than "." and ".." (which clamp at
  // the root) names a folder that does not exist.
  while (!path.empty()) {
    const auto slash = path.find('/');
    const std::string_view part = path.substr(0, slash);
    if (!part.empty() && part != "." && part != "..") return false;
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return true;
}

bool lists_folder(std::string_view argument) {
  return argument.empty() || argument.starts_with('-') || names_root(argument);
}

}  // namespace supportgw::ftp
