#pragma once
// Partials of closed tickets: an interrupted upload leaves its partial for a resume
// (durable_upload.hpp), but a closed ticket takes no more logins and no more files, so
// its partials can never become attachments. Left alone they would stay on disk for
// ever, outside the retention the policy promises for the ticket's finished files. The
// server removes them at start and then every `closed_partials_sweep`.
//
// A partial a session is writing right now (its "<reference>/<name>" is claimed) is
// left for the next sweep; the check and the removal happen under the claims' lock, so
// a session cannot claim it in between.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace supportgw::ftp {

// What ServerShared::claimed_uploads holds for a session writing `name` of `reference`.
std::string upload_claim_key(const std::string& reference, const std::string& name);

struct PartialSweep {
  std::uint64_t bytes = 0;                 // of the removed partials
  std::vector<std::string> removed_names;  // "<reference>/<name>", for the log
  std::vector<std::string> problems;       // a partial that could not be removed, and why
};

// Looks at every `<uploads_root>/<reference>/.partial/` folder and removes the unclaimed
// partials of the references for which `is_closed` says true (it is asked once per
// folder that holds a partial; nullopt: the ticket could not be looked up, keep them).
PartialSweep sweep_closed_partials(
    const std::filesystem::path& uploads_root,
    const std::function<std::optional<bool>(const std::string& reference)>& is_closed,
    std::mutex& claims_mutex, const std::set<std::string>& claimed_uploads);

}  // namespace supportgw::ftp
