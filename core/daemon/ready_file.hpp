#pragma once
// The ready file: written once every channel listens, so scripts and tests learn the
// actual addresses (port 0 in gateway.toml) without parsing logs. Written to a
// temporary file and renamed, so a reader never sees half of it.
//   {"pid": 4242, "state_dir": "/srv/var", "database": "/srv/var/supportgw.db",
//    "channels": {"web": {"http": "127.0.0.1:41234"}},
//    "skipped": {"phone": "plugin 'phone' (...): no such file ..."}}

#include <filesystem>
#include <map>
#include <string>

namespace supportgw::daemon {

struct ReadyInfo {
  std::filesystem::path state_dir;
  std::filesystem::path database;
  std::map<std::string, std::map<std::string, std::string>> channels;
  std::map<std::string, std::string> skipped;
};

std::string ready_json(const ReadyInfo& info);
// Throws std::system_error naming the file.
void write_ready_file(const std::filesystem::path& file, const ReadyInfo& info);

}  // namespace supportgw::daemon
