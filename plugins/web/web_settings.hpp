#pragma once
// The web channel's [channel.settings], read once in start():
//
//   listen          = "127.0.0.1:8080"  where the HTTP server listens (port 0: any free)
//   form            = "web-form"        the route of tickets made by the portal's form
//                                        (policies map routes to severities)
//   public_url      = "https://..."     optional; how customers reach the portal, used
//                                        in links the pages print
//   max_body        = "1MiB"            JSON and plain form bodies; larger ones get 413
//   max_upload      = "100MiB"          a multipart form with its files (spooled to disk)
//   max_files       = 20                files per form
//   request_timeout = "10m"             longest a request (head and body) may take to
//                                        arrive; bounds the slowest upload
//   severity_levels = 4                 the levels the form offers (1 = most severe)
//   tickets_per_minute = 20             new tickets through the form per client address
//                                        and minute (0: no limit; behind a reverse proxy
//                                        every client has the proxy's address)
//   api_keys        = ["<sha256 hex>"]  SHA-256 of each key the JSON API accepts as
//                                        "Authorization: Bearer <key>"; none: API closed
//   upload_url      = "ftp://host:2121" optional; where customers upload large files (an
//                                        FTP, FTPS or SFTP address), printed after a
//                                        ticket is made with the reference as user name
//   metrics         = "api-key"         GET /metrics (Prometheus): "api-key" (a bearer key
//                                        as for the API), "open", or "off"
//   tls_certificate = "cert.pem"        TLS when both are set (PEM files)
//   tls_private_key = "key.pem"
//
// Unknown keys are refused, so a misspelt setting is an error at start.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <supportgw/sdk/settings.hpp>

namespace web {

enum class MetricsAccess { api_key, open, off };

struct WebSettings {
  std::string listen = "127.0.0.1:8080";
  std::string form_route = "web-form";
  std::string public_url;  // without a trailing '/'; empty: links are relative
  std::string upload_url;  // ftp://, ftps:// or sftp://; empty: none offered
  MetricsAccess metrics = MetricsAccess::api_key;
  std::uint64_t max_body = 1024 * 1024;
  std::uint64_t max_upload = 100ULL * 1024 * 1024;
  int max_files = 20;
  std::chrono::milliseconds request_timeout{10 * 60 * 1000};
  int severity_levels = 4;
  int tickets_per_minute = 20;
  std::vector<std::string> api_key_hashes;  // 64 lowercase hex digits each
  std::string tls_certificate;
  std::string tls_private_key;
};

// Throws sdk::SettingsError naming the file, line and setting at fault.
WebSettings read_settings(const supportgw::sdk::Settings& settings);

}  // namespace web
