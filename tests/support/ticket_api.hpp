#pragma once
// What the file-channel tests (ftp_test, sftp_test) ask of a running daemon's web channel:
// make a ticket through the JSON API, and check that a file was attached exactly once,
// with the size and SHA-256 of what was sent. curl does the HTTP, as a vendor's tool would.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace supportgw::testing {

struct ApiTicket {
  std::string reference;
  std::string token;
};

// POST /api/v1/tickets on `web` ("127.0.0.1:port") with `api_key`; the body is written to
// `scratch` first (curl reads it from there).
inline ApiTicket create_ticket_via_api(const std::string& web, const std::string& api_key,
                                       const std::filesystem::path& scratch) {
  write_file(scratch, R"({"subject": "Crash dump", "description": "Router rebooted.",
                          "customer": {"name": "Ann Example", "email": "ann@example.com"}})");
  const auto result =
      run_program({"curl", "-sS", "-X", "POST", "-H", "Content-Type: application/json", "-H",
                   "Authorization: Bearer " + api_key, "--data-binary", "@" + scratch.string(),
                   "http://" + web + "/api/v1/tickets"});
  const auto body = boost::json::parse(result.out).as_object();
  return {std::string(body.at("reference").as_string()), std::string(body.at("token").as_string())};
}

// The ticket's files as GET /api/v1/tickets/{reference} lists them.
inline boost::json::array ticket_files_via_api(const std::string& web, const std::string& api_key,
                                               const std::string& reference) {
  const auto result = run_program({"curl", "-sS", "-H", "Authorization: Bearer " + api_key,
                                   "http://" + web + "/api/v1/tickets/" + reference});
  return boost::json::parse(result.out).as_object().at("files").as_array();
}

// Exactly one file named `name` in `files`, of `size` bytes with `sha256`.
inline void expect_attached_once(const boost::json::array& files, const std::string& name,
                                 std::uintmax_t size, const std::string& sha256) {
  int found = 0;
  for (const auto& item : files) {
    const auto& file = item.as_object();
    if (file.at("file_name").as_string() != name) continue;
    ++found;
    EXPECT_EQ(file.at("size").as_int64(), static_cast<std::int64_t>(size));
    EXPECT_EQ(std::string(file.at("sha256").as_string()), sha256);
  }
  EXPECT_EQ(found, 1) << boost::json::serialize(files);
}

}  // namespace supportgw::testing
