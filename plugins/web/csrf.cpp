#include "csrf.hpp"

#include <charconv>
#include <cstdint>

#include "sha256.hpp"

namespace web {
namespace {

std::string mac_input(std::string_view seconds) { return "csrf/v1:" + std::string(seconds); }

}  // namespace

CsrfTokens::CsrfTokens(std::chrono::seconds max_age) : secret_(random_hex(32)), max_age_(max_age) {}

std::string CsrfTokens::mac_of(std::string_view seconds) const {
  {
    std::lock_guard lock(macs_mutex_);
    if (const auto found = macs_.find(std::string(seconds)); found != macs_.end()) {
      return found->second;
    }
  }
  std::string mac = hmac_sha256_hex(secret_, mac_input(seconds));
  std::lock_guard lock(macs_mutex_);
  if (macs_.size() >= kMaxRememberedMacs) {
    macs_.clear();  // bounded whatever seconds clients send; refilled as pages are served
  }
  macs_.emplace(std::string(seconds), mac);
  return mac;
}

std::string CsrfTokens::issue(std::chrono::system_clock::time_point now) const {
  const std::string seconds = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  return seconds + "." + mac_of(seconds);
}

bool CsrfTokens::genuine(std::string_view token, std::chrono::system_clock::time_point now) const {
  const auto dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 20) {
    return false;
  }
  const std::string_view seconds = token.substr(0, dot);
  std::int64_t issued = 0;
  const auto [end, error] =
      std::from_chars(seconds.data(), seconds.data() + seconds.size(), issued);
  if (error != std::errc() || end != seconds.data() + seconds.size()) {
    return false;
  }
  const std::int64_t current =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  // A little slack for a clock step backwards. Checked first, so that only MACs of
  // seconds in the window are ever computed and remembered.
  if (issued > current + 60 || current - issued > max_age_.count()) {
    return false;
  }
  return constant_time_equal(token.substr(dot + 1), mac_of(seconds));
}

bool CsrfTokens::accepts(std::string_view field, std::string_view cookie,
                         std::chrono::system_clock::time_point now) const {
  return !field.empty() && constant_time_equal(field, cookie) && genuine(field, now);
}

}  // namespace web
