#include "web_settings.hpp"

#include <algorithm>
#include <cctype>

#include <supportgw/sdk/http_server.hpp>

namespace web {
namespace {

using supportgw::sdk::Settings;

// JSON and urlencoded bodies are parsed in memory, so their limit stays modest; files
// go through max_upload, which streams to disk.
constexpr std::uint64_t kMaxBodyLimit = 64ULL * 1024 * 1024;

bool is_sha256_hex(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) != 0;
         });
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

WebSettings read_settings(const Settings& settings) {
  settings.refuse_unknown({"listen", "form", "public_url", "max_body", "max_upload", "max_files",
                           "request_timeout", "severity_levels", "tickets_per_minute", "api_keys",
                           "tls_certificate", "tls_private_key", "upload_url", "metrics"});
  WebSettings result;
  result.listen = settings.string_or("listen", result.listen);
  if (!supportgw::sdk::parse_listen_address(result.listen)) {
    throw settings.error("listen", "expected host:port, such as \"127.0.0.1:8080\"");
  }
  result.form_route = settings.string_or("form", result.form_route);
  if (result.form_route.empty() || result.form_route.size() > 100) {
    throw settings.error("form", "expected a route name of 1 to 100 characters");
  }
  result.public_url = settings.string_or("public_url", "");
  if (!result.public_url.empty()) {
    if (!result.public_url.starts_with("https://") && !result.public_url.starts_with("http://")) {
      throw settings.error("public_url", "expected an http:// or https:// URL");
    }
    while (result.public_url.ends_with('/')) {
      result.public_url.pop_back();
    }
  }
  result.upload_url = settings.string_or("upload_url", "");
  if (!result.upload_url.empty()) {
    const bool scheme = result.upload_url.starts_with("ftp://") ||
                        result.upload_url.starts_with("ftps://") ||
                        result.upload_url.starts_with("sftp://");
    const bool printable = std::all_of(result.upload_url.begin(), result.upload_url.end(),
                                       [](unsigned char c) { return c > ' ' && c < 0x7f; });
    if (!scheme || !printable || result.upload_url.size() > 200) {
      throw settings.error("upload_url",
                           "expected an ftp://, ftps:// or sftp:// address of at most 200 "
                           "characters without spaces, such as \"ftp://support.example.com:2121\"");
    }
  }
  const std::string metrics = settings.string_or("metrics", "api-key");
  if (metrics == "api-key") {
    result.metrics = MetricsAccess::api_key;
  } else if (metrics == "open") {
    result.metrics = MetricsAccess::open;
  } else if (metrics == "off") {
    result.metrics = MetricsAccess::off;
  } else {
    throw settings.error("metrics", "expected \"api-key\", \"open\" or \"off\"");
  }
  result.max_body = settings.size_or("max_body", result.max_body);
  if (result.max_body == 0 || result.max_body > kMaxBodyLimit) {
    throw settings.error("max_body", "expected a size from 1 byte to 64MiB");
  }
  result.max_upload = settings.size_or("max_upload", result.max_upload);
  if (result.max_upload < 1024) {
    throw settings.error("max_upload", "expected a size of at least 1KiB");
  }
  result.request_timeout = settings.duration_or("request_timeout", result.request_timeout);
  if (result.request_timeout < std::chrono::seconds(1) ||
      result.request_timeout > std::chrono::hours(24)) {
    throw settings.error("request_timeout", "expected a duration from 1s to 24h");
  }
  const std::int64_t files = settings.integer_or("max_files", result.max_files);
  if (files < 0 || files > 1000) {
    throw settings.error("max_files", "expected a count from 0 to 1000");
  }
  result.max_files = static_cast<int>(files);
  const std::int64_t levels = settings.integer_or("severity_levels", result.severity_levels);
  if (levels < 1 || levels > 20) {
    throw settings.error("severity_levels", "expected a count from 1 to 20");
  }
  result.severity_levels = static_cast<int>(levels);
  const std::int64_t rate = settings.integer_or("tickets_per_minute", result.tickets_per_minute);
  if (rate < 0 || rate > 100'000) {
    throw settings.error("tickets_per_minute", "expected a count from 0 (no limit) to 100000");
  }
  result.tickets_per_minute = static_cast<int>(rate);
  for (const std::string& key : settings.strings_or("api_keys", {})) {
    if (!is_sha256_hex(key)) {
      throw settings.error("api_keys",
                           "expected the SHA-256 of each key as 64 hex digits "
                           "(printf %s KEY | sha256sum), never the key itself");
    }
    result.api_key_hashes.push_back(lower(key));
  }
  result.tls_certificate = settings.string_or("tls_certificate", "");
  result.tls_private_key = settings.string_or("tls_private_key", "");
  if (result.tls_certificate.empty() != result.tls_private_key.empty()) {
    throw settings.error(result.tls_certificate.empty() ? "tls_private_key" : "tls_certificate",
                         "give both tls_certificate and tls_private_key, or neither");
  }
  return result;
}

}  // namespace web
