#include "ftp_settings.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace supportgw::ftp {
namespace {

std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty() || value > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(value);
}

// Numeric addresses only: a host name would resolve differently over time.
bool is_ip_address(const std::string& text) {
  in_addr v4{};
  in6_addr v6{};
  return ::inet_pton(AF_INET, text.c_str(), &v4) == 1 ||
         ::inet_pton(AF_INET6, text.c_str(), &v6) == 1;
}

bool parse_listen(std::string_view text, std::string& out_host, std::uint16_t& out_port) {
  std::string_view host;
  std::string_view port;
  if (text.starts_with('[')) {  // "[::1]:2121"
    const auto close = text.find("]:");
    if (close == std::string_view::npos) return false;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return false;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  const auto number = parse_port(port);
  if (!number || !is_ip_address(std::string(host))) return false;
  out_host = std::string(host);
  out_port = *number;
  return true;
}

template <class Int>
Int count_in(const sdk::Settings& settings, std::string_view key, Int fallback, Int low, Int high,
             std::string_view what) {
  const std::int64_t value = settings.integer_or(key, fallback);
  if (value < low || value > high) throw settings.error(key, what);
  return static_cast<Int>(value);
}

}  // namespace

std::optional<PortRange> parse_port_range(std::string_view text) {
  if (text.empty()) return PortRange{};
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto first = parse_port(text.substr(0, dash));
  const auto last = parse_port(text.substr(dash + 1));
  if (!first || !last || *first < 1024 || *first > *last) return std::nullopt;
  return PortRange{*first, *last};
}

FtpSettings read_settings(const sdk::Settings& settings) {
  settings.refuse_unknown(
      {"listen", "passive_ports", "passive_address", "max_sessions", "max_sessions_per_address",
       "idle_timeout", "data_timeout", "max_upload", "ticket_quota", "max_bad_commands",
       "login_failure_delay", "allow_active", "tls_certificate", "tls_private_key", "require_tls",
       "require_tls_session_reuse", "incoming", "implicit_tls_listen", "closed_partials_sweep"});
  FtpSettings result;
  const std::string listen = settings.string_or("listen", "127.0.0.1:2121");
  if (!parse_listen(listen, result.listen_host, result.listen_port)) {
    throw settings.error("listen", "expected host:port, such as \"127.0.0.1:2121\" or \"[::1]:0\"");
  }
  const auto range = parse_port_range(settings.string_or("passive_ports", ""));
  if (!range) {
    throw settings.error("passive_ports",
                         "expected \"first-last\" with ports from 1024 to 65535, or \"\" for any");
  }
  result.passive_ports = *range;
  result.passive_address = settings.string_or("passive_address", "");
  if (!result.passive_address.empty()) {
    in_addr v4{};
    if (::inet_pton(AF_INET, result.passive_address.c_str(), &v4) != 1) {
      throw settings.error("passive_address", "expected an IPv4 address such as \"203.0.113.7\"");
    }
  }
  result.max_sessions = count_in(settings, "max_sessions", result.max_sessions, 1, 100'000,
                                 "expected a count from 1 to 100000");
  result.max_sessions_per_address =
      count_in(settings, "max_sessions_per_address", result.max_sessions_per_address, 1, 100'000,
               "expected a count from 1 to 100000");
  result.max_bad_commands = count_in(settings, "max_bad_commands", result.max_bad_commands, 1,
                                     10'000, "expected a count from 1 to 10000");
  result.idle_timeout = settings.duration_or("idle_timeout", result.idle_timeout);
  if (result.idle_timeout < std::chrono::seconds(1) ||
      result.idle_timeout > std::chrono::hours(24)) {
    throw settings.error("idle_timeout", "expected a duration from 1s to 24h");
  }
  result.data_timeout = settings.duration_or("data_timeout", result.data_timeout);
  if (result.data_timeout < std::chrono::seconds(1) ||
      result.data_timeout > std::chrono::hours(24)) {
    throw settings.error("data_timeout", "expected a duration from 1s to 24h");
  }
  result.closed_partials_sweep =
      settings.duration_or("closed_partials_sweep", result.closed_partials_sweep);
  if (result.closed_partials_sweep < std::chrono::seconds(1) ||
      result.closed_partials_sweep > std::chrono::hours(24)) {
    throw settings.error("closed_partials_sweep", "expected a duration from 1s to 24h");
  }
  result.login_failure_delay =
      settings.duration_or("login_failure_delay", result.login_failure_delay);
  if (result.login_failure_delay > std::chrono::seconds(30)) {
    throw settings.error("login_failure_delay", "expected a duration from 0s to 30s");
  }
  result.max_upload = settings.size_or("max_upload", result.max_upload);
  if (result.max_upload == 0) throw settings.error("max_upload", "expected a size above 0");
  result.ticket_quota = settings.size_or("ticket_quota", result.ticket_quota);
  if (result.ticket_quota == 0) throw settings.error("ticket_quota", "expected a size above 0");
  result.allow_active = settings.boolean_or("allow_active", false);
  result.incoming = settings.boolean_or("incoming", false);
  result.tls_certificate = settings.string_or("tls_certificate", "");
  result.tls_private_key = settings.string_or("tls_private_key", "");
  if (result.tls_certificate.empty() != result.tls_private_key.empty()) {
    throw settings.error(result.tls_certificate.empty() ? "tls_private_key" : "tls_certificate",
                         "give both tls_certificate and tls_private_key, or neither");
  }
  result.require_tls = settings.boolean_or("require_tls", false);
  if (result.require_tls && result.tls_certificate.empty()) {
    throw settings.error("require_tls", "needs tls_certificate and tls_private_key");
  }
  result.require_tls_session_reuse = settings.boolean_or("require_tls_session_reuse", true);
  const std::string implicit = settings.string_or("implicit_tls_listen", "");
  if (!implicit.empty()) {
    if (!parse_listen(implicit, result.implicit_tls_host, result.implicit_tls_port)) {
      throw settings.error("implicit_tls_listen",
                           "expected host:port, such as \"0.0.0.0:990\" or \"[::1]:0\"");
    }
    if (result.tls_certificate.empty()) {
      throw settings.error("implicit_tls_listen", "needs tls_certificate and tls_private_key");
    }
    result.implicit_tls = true;
  }
  return result;
}

}  // namespace supportgw::ftp
