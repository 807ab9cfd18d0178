#pragma once
// CSRF protection for the portal's forms, by double submit: a token goes into a cookie
// and into a hidden field of the form; a POST is taken only when both are present, equal
// and genuine. Genuine means "<unix seconds>.<HMAC-SHA-256 of them under a secret made
// at start>" and no older than max_age, so a token set by an attacker (a cookie planted
// from a sibling domain) is refused. A restart makes new secrets: an open form then asks
// the customer to submit again.

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace web {

class CsrfTokens {
 public:
  // Makes a random secret (throws when the CSPRNG fails).
  explicit CsrfTokens(std::chrono::seconds max_age = std::chrono::hours(12));

  std::string issue(std::chrono::system_clock::time_point now) const;
  // Whether `token` is genuine and fresh.
  bool genuine(std::string_view token, std::chrono::system_clock::time_point now) const;
  // The double-submit check: form field and cookie equal, and genuine.
  bool accepts(std::string_view field, std::string_view cookie,
               std::chrono::system_clock::time_point now) const;

  static constexpr std::string_view kCookie = "supportgw_csrf";
  static constexpr std::string_view kField = "csrf";

 private:
  // The MAC of "<unix seconds>", computed once per second: every page served in a second
  // carries the same token, and a browser shows the same cookie for hours. An HMAC costs
  // as much as the rest of a cached ticket page's CSRF work many times over.
  std::string mac_of(std::string_view seconds) const;

  static constexpr std::size_t kMaxRememberedMacs = 1024;

  std::string secret_;
  std::chrono::seconds max_age_;
  mutable std::mutex macs_mutex_;
  mutable std::unordered_map<std::string, std::string> macs_;  // seconds -> MAC
};

}  // namespace web
