// One FTP control connection as a C++20 coroutine on its own strand: the main loop reads
// commands; an upload runs as a second coroutine so that ABOR (and a dying client) can be
// seen while the data flows. Replies are written by one coroutine at a time: the main
// loop writes only while no upload runs, except ABOR, which first waits for the upload's
// own final reply.

#include "ftp_session.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include <spdlog/logger.h>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "closed_partials.hpp"
#include "command_line.hpp"
#include "content_inspector.hpp"
#include "durable_upload.hpp"
#include "listing.hpp"
#include "reply.hpp"
#include "tls_session_binding.hpp"
#include "upload_folder.hpp"
#include "upload_name.hpp"

namespace supportgw::ftp {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using asio::awaitable;
using asio::use_awaitable;
using boost::system::error_code;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr int kMaxLoginFailures = 3;

enum class StoreMode { store, append };

// One session's hold on "<reference>/<name>" while it writes that partial (see
// ServerShared::claimed_uploads); released when the upload is over.
class UploadClaim {
 public:
  static std::shared_ptr<UploadClaim> take(std::shared_ptr<ServerShared> shared, std::string key) {
    {
      std::lock_guard lock(shared->claims_mutex);
      if (!shared->claimed_uploads.insert(key).second) return nullptr;
    }
    return std::shared_ptr<UploadClaim>(new UploadClaim(std::move(shared), std::move(key)));
  }
  ~UploadClaim() {
    std::lock_guard lock(shared_->claims_mutex);
    shared_->claimed_uploads.erase(key_);
  }
  UploadClaim(const UploadClaim&) = delete;
  UploadClaim& operator=(const UploadClaim&) = delete;

 private:
  UploadClaim(std::shared_ptr<ServerShared> shared, std::string key)
      : shared_(std::move(shared)), key_(std::move(key)) {}
  std::shared_ptr<ServerShared> shared_;
  std::string key_;
};

// How an upload's data connection ended.
enum class Ending { complete, interrupted, too_large, over_quota, disk_error };

class FtpSession final : public Session, public std::enable_shared_from_this<FtpSession> {
 public:
  FtpSession(std::shared_ptr<ServerShared> shared, tcp::socket socket, bool implicit_tls,
             std::function<void()> on_end)
      : shared_(std::move(shared)),
        implicit_tls_(implicit_tls),
        settings_(shared_->settings),
        strand_(socket.get_executor()),
        control_(std::move(socket)),
        watchdog_(strand_),
        transfer_done_(strand_),
        reader_(kMaxCommandLine),
        on_end_(std::move(on_end)) {
    error_code error;
    peer_ = control_.remote_endpoint(error);
    local_ = control_.local_endpoint(error);
    // Clients send ABOR's last byte as TCP urgent data (Python's ftplib, RFC 959's
    // "Synch"); inline, it stays part of the command line instead of vanishing.
    control_.set_option(asio::socket_base::out_of_band_inline(true), error);
  }

  void begin() {
    auto self = shared_from_this();
    asio::co_spawn(strand_, watchdog(self), asio::detached);
    asio::co_spawn(strand_, run(self), asio::detached);
  }

  void close() override {
    asio::post(strand_, [self = shared_from_this()] { self->shut_down(); });
  }

 private:
  // ---- lifecycle -------------------------------------------------------------------

  awaitable<void> run(std::shared_ptr<FtpSession>) {
    try {
      if (implicit_tls_) co_await start_implicit_tls();
      co_await reply(220,
                     "supportgw upload server ready. Log in with your ticket reference as "
                     "user name and the ticket's token as password.");
      while (!closed_) {
        std::optional<std::string> line = co_await next_line();
        if (!line) break;
        std::optional<Command> command = parse_command(*line);
        if (transfer_active_) {
          if (command && command->verb == "ABOR") {
            co_await abort_transfer();
            continue;
          }
          // RFC 959: other commands (QUIT included) wait for the transfer's reply.
          co_await wait_for_transfer();
        }
        if (!command) {
          co_await bad_command(500, "Syntax error: that is not an FTP command.");
          continue;
        }
        co_await dispatch(*command);
      }
      if (transfer_active_) co_await wait_for_transfer();
    } catch (const std::exception& error) {
      log_warn("session ended by an error: {}", error.what());
    }
    shut_down();
    if (on_end_) std::exchange(on_end_, nullptr)();
  }

  // Implicit FTPS: the handshake comes first, and the data connections are protected
  // from the start (as if PBSZ 0 and PROT P had been sent; clients send them anyway).
  // Throws, ending the session, when the handshake fails.
  awaitable<void> start_implicit_tls() {
    const error_code error = co_await control_handshake();
    if (error) {
      throw std::runtime_error("implicit TLS handshake with " + peer_.address().to_string() +
                               " failed: " + error.message());
    }
    pbsz_ = true;
    data_protected_ = true;
  }

  // The server side of the control connection's TLS handshake (AUTH TLS, or implicit
  // FTPS), within the idle timeout.
  awaitable<error_code> control_handshake() {
    control_tls_.emplace(control_, *shared_->tls);
    prepare_control_connection(control_tls_->native_handle());
    set_deadline(control_deadline_, settings_.idle_timeout);
    error_code error;
    co_await control_tls_->async_handshake(asio::ssl::stream_base::server,
                                           asio::redirect_error(use_awaitable, error));
    control_deadline_ = Clock::time_point::max();
    co_return error;
  }

  void shut_down() {
    if (closed_) return;
    closed_ = true;
    error_code ignored;
    control_.shutdown(tcp::socket::shutdown_both, ignored);
    control_.close(ignored);
    close_data();
    watchdog_.cancel();
  }

  void close_data() {
    error_code ignored;
    if (data_) data_->close(ignored);
    if (passive_) passive_->close(ignored);
  }

  // Closes what outlived its deadline: an idle control connection (the main loop then
  // says 421), a data connection that stalls (the upload keeps its partial).
  awaitable<void> watchdog(std::shared_ptr<FtpSession>) {
    while (!closed_) {
      watchdog_.expires_at(std::min(control_deadline_, data_deadline_));
      error_code error;
      co_await watchdog_.async_wait(asio::redirect_error(use_awaitable, error));
      if (closed_) break;
      const auto now = Clock::now();
      if (now >= data_deadline_) {
        data_deadline_ = Clock::time_point::max();
        data_timed_out_ = true;
        close_data();
      }
      if (now >= control_deadline_) {
        control_deadline_ = Clock::time_point::max();
        // A long upload is no idleness: the data connection has its own deadline.
        if (!transfer_active_) {
          idle_timed_out_ = true;
          error_code ignored;
          control_.cancel(ignored);
        }
      }
    }
  }

  void set_deadline(Clock::time_point& which, std::chrono::milliseconds from_now) {
    which = Clock::now() + from_now;
    if (which < watchdog_.expiry()) watchdog_.cancel();  // re-arm earlier
  }

  // ---- control connection ----------------------------------------------------------

  awaitable<std::optional<std::string>> next_line() {
    for (;;) {
      if (auto line = reader_.take_line()) co_return line;
      if (pending_begin_ < pending_end_) {
        pending_begin_ += reader_.feed(
            std::string_view(input_.data() + pending_begin_, pending_end_ - pending_begin_));
        if (reader_.overflowed()) {
          co_await reply(500, "Command line too long (at most " + std::to_string(kMaxCommandLine) +
                                  " bytes); closing.");
          co_return std::nullopt;
        }
        continue;
      }
      set_deadline(control_deadline_, settings_.idle_timeout);
      error_code error;
      std::size_t n = 0;
      if (control_tls_) {
        n = co_await control_tls_->async_read_some(asio::buffer(input_),
                                                   asio::redirect_error(use_awaitable, error));
      } else {
        n = co_await control_.async_read_some(asio::buffer(input_),
                                              asio::redirect_error(use_awaitable, error));
      }
      control_deadline_ = Clock::time_point::max();
      if (error) {
        control_gone_ = !idle_timed_out_;
        if (idle_timed_out_ && !closed_) {
          co_await reply(421, "Idle timeout: closing the connection.");
        }
        co_return std::nullopt;
      }
      pending_begin_ = 0;
      pending_end_ = n;
    }
  }

  awaitable<void> reply(int code, std::string text) {
    if (closed_) co_return;
    const std::string bytes = format_reply(code, text);
    error_code error;
    if (control_tls_) {
      co_await asio::async_write(*control_tls_, asio::buffer(bytes),
                                 asio::redirect_error(use_awaitable, error));
    } else {
      co_await asio::async_write(control_, asio::buffer(bytes),
                                 asio::redirect_error(use_awaitable, error));
    }
    if (error) shut_down();
  }

  // Unknown and malformed commands count; a flood of them ends the session.
  awaitable<void> bad_command(int code, std::string text) {
    if (++bad_commands_ >= settings_.max_bad_commands) {
      co_await reply(421, "Too many bad commands: closing the connection.");
      shut_down();
      co_return;
    }
    co_await reply(code, text);
  }

  // ---- commands ----------------------------------------------------------------------

  awaitable<void> dispatch(const Command& command) {
    const std::string& verb = command.verb;
    const std::string& argument = command.argument;
    if (verb == "USER") co_return co_await user(argument);
    if (verb == "PASS") co_return co_await pass(argument);
    if (verb == "QUIT") {
      co_await reply(221, "Goodbye.");
      shut_down();
      co_return;
    }
    if (verb == "NOOP") co_return co_await reply(200, "NOOP ok.");
    if (verb == "SYST") co_return co_await reply(215, "UNIX Type: L8");
    if (verb == "FEAT") {
      std::string features =
          "Features:\nEPSV\nPASV\nSIZE\nMDTM\nREST STREAM\nMLST type*;size*;modify*;\nUTF8\n";
      if (shared_->tls) features += "AUTH TLS\nPBSZ\nPROT\n";
      co_return co_await reply(211, features + "End");
    }
    if (verb == "OPTS") co_return co_await opts(argument);
    if (verb == "HELP") {
      co_return co_await reply(214,
                               "Upload files to your ticket: log in with the ticket reference "
                               "and token, then STOR (or APPE/REST to resume).");
    }
    if (verb == "AUTH") co_return co_await auth(argument);
    if (verb == "PBSZ") co_return co_await pbsz();
    if (verb == "PROT") co_return co_await prot(argument);
    if (verb == "ADAT" || verb == "CCC") co_return co_await reply(502, "Command not implemented.");
    if (!logged_in_) {
      if (!known_verb(verb)) co_return co_await bad_command(502, "Command not implemented.");
      co_return co_await reply(530, "Please log in with USER and PASS first.");
    }
    if (incoming_) {
      // The drop box shows nothing: not what others sent, not even one's own files.
      if (verb == "PWD" || verb == "XPWD") {
        co_return co_await reply(257, "\"/\" is the drop box.");
      }
      if (verb == "STAT") co_return co_await reply(211, "Logged in to the drop box.");
      if (verb == "LIST" || verb == "NLST" || verb == "MLSD") co_return co_await send_listing("");
      if (verb == "MLST" || verb == "MDTM") {
        co_return co_await reply(550, "The drop box cannot be listed.");
      }
    }
    if (verb == "PWD" || verb == "XPWD") {
      co_return co_await reply(257, "\"/\" is the folder of ticket " + reference_ + ".");
    }
    if (verb == "CWD" || verb == "XCWD") {
      if (names_root(argument)) co_return co_await reply(250, "Folder is \"/\".");
      co_return co_await reply(550, "No such folder: there is only \"/\".");
    }
    if (verb == "CDUP" || verb == "XCUP") co_return co_await reply(250, "Folder is \"/\".");
    if (verb == "TYPE") co_return co_await type(argument);
    if (verb == "MODE") {
      if (argument == "S" || argument == "s") co_return co_await reply(200, "Mode is stream.");
      co_return co_await reply(504, "Only MODE S (stream) is offered.");
    }
    if (verb == "STRU") {
      if (argument == "F" || argument == "f") co_return co_await reply(200, "Structure is file.");
      co_return co_await reply(504, "Only STRU F (file) is offered.");
    }
    if (verb == "PASV") co_return co_await passive(false, argument);
    if (verb == "EPSV") co_return co_await passive(true, argument);
    if (verb == "PORT" || verb == "EPRT") {
      std::optional<DataAddress> target = parse_eprt_argument(argument);
      if (verb == "PORT") target = parse_port_argument(argument);
      co_return co_await active(std::move(target));
    }
    if (verb == "REST") co_return co_await rest(argument);
    if (verb == "STOR") co_return co_await store(argument, StoreMode::store);
    if (verb == "APPE") co_return co_await store(argument, StoreMode::append);
    if (verb == "SIZE") co_return co_await size(argument);
    if (verb == "MDTM") co_return co_await mdtm(argument);
    if (verb == "LIST" || verb == "NLST" || verb == "MLSD") co_return co_await list(verb, argument);
    if (verb == "MLST") co_return co_await mlst(argument);
    if (verb == "ABOR") co_return co_await reply(226, "No transfer to abort.");
    if (verb == "ALLO") co_return co_await reply(202, "No storage allocation needed.");
    if (verb == "STAT") co_return co_await reply(211, "Logged in to ticket " + reference_ + ".");
    if (verb == "RETR") {
      co_return co_await reply(550, "Downloads are not offered: this server only takes uploads.");
    }
    if (verb == "DELE" || verb == "RNFR" || verb == "RNTO" || verb == "MKD" || verb == "XMKD" ||
        verb == "RMD" || verb == "XRMD" || verb == "SITE" || verb == "STOU") {
      co_return co_await reply(550, "Not permitted: files uploaded to a ticket cannot be changed.");
    }
    co_await bad_command(502, "Command not implemented.");
  }

  static bool known_verb(const std::string& verb) {
    static constexpr std::array kKnown = {"PWD",  "XPWD", "CWD",  "XCWD", "CDUP", "XCUP", "TYPE",
                                          "MODE", "STRU", "PASV", "EPSV", "PORT", "EPRT", "REST",
                                          "STOR", "APPE", "SIZE", "MDTM", "LIST", "NLST", "MLSD",
                                          "MLST", "ABOR", "ALLO", "STAT", "RETR", "DELE", "RNFR",
                                          "RNTO", "MKD",  "XMKD", "RMD",  "XRMD", "SITE", "STOU"};
    for (const char* known : kKnown) {
      if (verb == known) return true;
    }
    return false;
  }

  awaitable<void> opts(const std::string& argument) {
    std::string upper;
    for (char c : argument)
      upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    if (upper == "UTF8 ON" || upper == "UTF-8 ON")
      co_return co_await reply(200, "UTF-8 is always on.");
    if (upper.starts_with("MLST")) co_return co_await reply(200, "MLST facts: type;size;modify;");
    co_await reply(501, "Option not understood.");
  }

  awaitable<void> type(const std::string& argument) {
    std::string upper;
    for (char c : argument)
      upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    // Bytes are stored as sent in either type: an upload's SHA-256 is that of what the
    // client read from its disk (as vsftpd does by default).
    if (upper == "I" || upper == "L 8") co_return co_await reply(200, "Type set to I (binary).");
    if (upper == "A" || upper == "A N") {
      co_return co_await reply(200, "Type set to A; files are stored unchanged, as in type I.");
    }
    co_await reply(504, "Only TYPE I and TYPE A are offered.");
  }

  // ---- explicit FTPS (RFC 4217) -----------------------------------------------------

  awaitable<void> auth(const std::string& argument) {
    if (!shared_->tls) co_return co_await reply(502, "TLS is not offered by this server.");
    std::string upper;
    for (char c : argument) {
      upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    if (upper != "TLS" && upper != "TLS-C" && upper != "SSL") {
      co_return co_await reply(504, "Only AUTH TLS is offered.");
    }
    if (control_tls_) co_return co_await reply(503, "TLS is already on.");
    if (logged_in_) co_return co_await reply(503, "Send AUTH TLS before logging in.");
    if (pending_begin_ < pending_end_) {
      // Bytes after AUTH, sent before our 234: not a handshake we could trust.
      co_await reply(503, "Commands after AUTH before its reply: closing.");
      shut_down();
      co_return;
    }
    co_await reply(234, "AUTH TLS ok: start the handshake.");
    if (closed_) co_return;
    const error_code error = co_await control_handshake();
    if (error) {
      log_warn("TLS handshake with {} failed: {}", peer_.address().to_string(), error.message());
      shut_down();
      co_return;
    }
    user_.clear();  // RFC 4217: a new security context starts a new login
  }

  awaitable<void> pbsz() {
    if (!control_tls_) co_return co_await reply(503, "Send AUTH TLS first.");
    // Stream mode over TLS has no protection buffer: any size asked is answered with 0.
    pbsz_ = true;
    co_await reply(200, "PBSZ=0");
  }

  awaitable<void> prot(const std::string& argument) {
    if (!control_tls_) co_return co_await reply(503, "Send AUTH TLS first.");
    if (!pbsz_) co_return co_await reply(503, "Send PBSZ 0 first.");
    if (argument == "P" || argument == "p") {
      data_protected_ = true;
      co_return co_await reply(200, "Data connections are protected.");
    }
    if (argument == "C" || argument == "c") {
      if (settings_.require_tls) {
        co_return co_await reply(534, "Data connections must be protected here.");
      }
      data_protected_ = false;
      co_return co_await reply(200, "Data connections are in the clear.");
    }
    co_await reply(504, "Only PROT P and PROT C are offered.");
  }

  // Whether a transfer may start: a deployment that requires TLS requires it for data too.
  bool data_allowed() const { return !settings_.require_tls || data_protected_; }

  // ---- login ------------------------------------------------------------------------

  awaitable<void> user(const std::string& argument) {
    if (logged_in_) co_return co_await reply(530, "Already logged in; reconnect to change ticket.");
    if (settings_.require_tls && !control_tls_) {
      co_return co_await reply(530, "This server requires TLS: send AUTH TLS first.");
    }
    user_ = argument;
    if (settings_.incoming && anonymous(argument)) {
      co_return co_await reply(331, "Anonymous drop box: give your e-mail address as password.");
    }
    co_await reply(331, "Give the token of ticket " + printable(argument, 64) + " as password.");
  }

  static bool anonymous(std::string_view user) {
    const auto equals = [user](std::string_view name) {
      return user.size() == name.size() &&
             std::equal(user.begin(), user.end(), name.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == b;
             });
    };
    return equals("anonymous") || equals("ftp");
  }

  awaitable<void> pass(const std::string& token) {
    if (logged_in_) co_return co_await reply(230, "Already logged in.");
    if (user_.empty()) co_return co_await reply(503, "Send USER (your ticket reference) first.");
    const std::string reference = std::exchange(user_, {});
    if (settings_.incoming && anonymous(reference)) {
      // Red Hat's model: anyone may drop a file for a ticket whose number they know, and
      // nobody sees what is there.
      logged_in_ = true;
      incoming_ = true;
      log_info("anonymous drop-box login from {}", peer_.address().to_string());
      std::string welcome = "Logged in to the drop box: ";
      welcome += kIncomingRule;
      welcome += ". Files here cannot be listed.";
      co_return co_await reply(230, std::move(welcome));
    }
    std::optional<sdk::Result<sdk::TicketView>> found;
    if (plausible_reference(reference) && !token.empty() && token.size() <= 256) {
      sdk::ChannelContext* context = shared_->context;
      auto lookup = [context, reference, token] {
        return std::optional<sdk::Result<sdk::TicketView>>(
            context->find_ticket_for_upload(reference, token));
      };
      found = co_await on_disk(std::move(lookup));
    }
    if (found && found->status().code() == sdk::StatusCode::denied) {
      // The right token, but no uploads now (closed, or the token's upload lifetime ran
      // out): say why, so the customer asks for a renewal instead of retrying.
      log_info("login to {} refused: {}", reference, found->status().message());
      co_return co_await reply(530, found->status().message());
    }
    if (!found || !found->ok()) {
      // A wrong password costs time, so guessing tokens over one connection is slow; the
      // third failure ends the connection.
      asio::steady_timer delay(strand_, settings_.login_failure_delay);
      error_code ignored;
      co_await delay.async_wait(asio::redirect_error(use_awaitable, ignored));
      if (found && found->status().code() != sdk::StatusCode::not_found) {
        log_warn("login to {} failed: {}", printable(reference, 64), found->status().message());
      }
      if (++login_failures_ >= kMaxLoginFailures) {
        co_await reply(421, "Login incorrect, too many times: closing the connection.");
        shut_down();
        co_return;
      }
      co_return co_await reply(530,
                               "Login incorrect: the user name is the ticket reference, the "
                               "password the ticket's token.");
    }
    logged_in_ = true;
    reference_ = reference;
    token_ = token;
    folder_ = shared_->uploads_root / reference_;
    log_info("{} logged in from {}", reference_, peer_.address().to_string());
    co_await reply(230,
                   "Logged in. Files you upload here are attached to ticket " + reference_ + ".");
  }

  // ---- data connections -------------------------------------------------------------

  awaitable<void> passive(bool extended, const std::string& argument) {
    if (extended && (argument == "ALL" || argument == "all")) {
      co_return co_await reply(200, "EPSV ALL ok: only EPSV from now on.");
    }
    const auto address = local_.address();
    if (!extended && !address.is_v4() && !(address.is_v6() && address.to_v6().is_v4_mapped()) &&
        settings_.passive_address.empty()) {
      co_return co_await reply(425, "PASV needs IPv4: use EPSV.");
    }
    close_data();
    end_data();
    active_target_.reset();
    passive_.emplace(strand_);
    error_code error;
    const PortRange range = settings_.passive_ports;
    const unsigned count = range.any() ? 1u : range.last - range.first + 1u;
    // Start at a random port of the range so that sessions rarely collide.
    std::uniform_int_distribution<unsigned> pick(0, count - 1);
    const unsigned start = pick(random_);
    bool bound = false;
    for (unsigned i = 0; i < count && !bound; ++i) {
      const std::uint16_t port =
          range.any() ? 0 : static_cast<std::uint16_t>(range.first + (start + i) % count);
      passive_->close(error);
      passive_->open(address.is_v4() ? tcp::v4() : tcp::v6(), error);
      if (error) break;
      passive_->bind(tcp::endpoint(address, port), error);
      if (error) continue;
      passive_->listen(1, error);
      bound = !error;
    }
    if (!bound) {
      passive_.reset();
      co_return co_await reply(425, "No passive port is free; try again later.");
    }
    const std::uint16_t port = passive_->local_endpoint(error).port();
    if (extended) co_return co_await reply(229, epsv_text(port));
    std::array<unsigned char, 4> bytes{};
    if (!settings_.passive_address.empty()) {
      bytes = asio::ip::make_address_v4(settings_.passive_address).to_bytes();
    } else if (address.is_v4()) {
      bytes = address.to_v4().to_bytes();
    } else {
      bytes = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_bytes();
    }
    co_await reply(227, pasv_text(bytes, port));
  }

  awaitable<void> active(std::optional<DataAddress> target) {
    // Off by default: a server that connects wherever PORT says can be made to attack a
    // third party (the FTP bounce attack, RFC 2577).
    if (!settings_.allow_active) {
      co_return co_await reply(502, "Active mode (PORT/EPRT) is off: use PASV or EPSV.");
    }
    if (!target) co_return co_await bad_command(501, "Malformed address.");
    error_code error;
    const auto address = asio::ip::make_address(target->address, error);
    if (error || !same_host(address, peer_.address())) {
      co_return co_await reply(
          504, "Data connections go only to your own address " + peer_.address().to_string() + ".");
    }
    if (target->port < 1024) {
      co_return co_await reply(504, "Data connections go only to ports from 1024.");
    }
    close_data();
    passive_.reset();
    end_data();
    active_target_ = tcp::endpoint(address, target->port);
    co_await reply(200, "Active data connection to " + target->address + ":" +
                            std::to_string(target->port) + ".");
  }

  static bool same_host(const asio::ip::address& a, const asio::ip::address& b) {
    const auto plain = [](const asio::ip::address& x) -> asio::ip::address {
      if (x.is_v6() && x.to_v6().is_v4_mapped()) {
        return asio::ip::make_address_v4(asio::ip::v4_mapped, x.to_v6());
      }
      return x;
    };
    return plain(a) == plain(b);
  }

  // The data connection PASV/EPSV or PORT/EPRT prepared. A passive connection from any
  // other address than the control connection's is refused (no port stealing).
  awaitable<bool> open_data() {
    data_timed_out_ = false;
    data_refused_unbound_ = false;
    if (passive_) {
      set_deadline(data_deadline_, settings_.data_timeout);
      for (;;) {
        tcp::socket socket(strand_);
        error_code error;
        co_await passive_->async_accept(socket, asio::redirect_error(use_awaitable, error));
        if (error) break;
        tcp::endpoint remote = socket.remote_endpoint(error);
        if (!error && same_host(remote.address(), peer_.address())) {
          data_.emplace(std::move(socket));
          break;
        }
        log_warn("refused a data connection from {} for a session of {}",
                 remote.address().to_string(), peer_.address().to_string());
      }
      error_code ignored;
      passive_->close(ignored);
      passive_.reset();
    } else if (active_target_) {
      set_deadline(data_deadline_, settings_.data_timeout);
      data_.emplace(strand_);
      error_code error;
      co_await data_->async_connect(*active_target_, asio::redirect_error(use_awaitable, error));
      active_target_.reset();
      if (error) data_.reset();
    }
    if (data_ && data_protected_ && !closed_) {
      set_deadline(data_deadline_, settings_.data_timeout);
      data_tls_.emplace(*data_, *shared_->tls);
      prepare_data_connection(data_tls_->native_handle());
      error_code error;
      co_await data_tls_->async_handshake(asio::ssl::stream_base::server,
                                          asio::redirect_error(use_awaitable, error));
      if (error) {
        log_warn("TLS handshake on a data connection from {} failed: {}",
                 peer_.address().to_string(), error.message());
        data_tls_.reset();
        data_.reset();
      } else if (settings_.require_tls_session_reuse && control_tls_ &&
                 !resumes_control_session(data_tls_->native_handle(),
                                          control_tls_->native_handle())) {
        log_warn(
            "refused a protected data connection from {}: it did not resume the "
            "control connection's TLS session",
            peer_.address().to_string());
        data_refused_unbound_ = true;
        data_tls_.reset();
        end_data();
      }
    }
    data_deadline_ = Clock::time_point::max();
    co_return data_.has_value() && !closed_;
  }

  // 425 when no data connection came; 522 (vsftpd's code) when one came but did not
  // resume the control connection's TLS session, so the user knows what to change.
  awaitable<void> reply_no_data_connection(std::string what) {
    if (data_refused_unbound_) {
      co_return co_await reply(522,
                               "The data connection must resume the control connection's "
                               "TLS session (require_tls_session_reuse).");
    }
    co_await reply(425, std::move(what));
  }

  void end_data() {
    data_tls_.reset();
    error_code ignored;
    if (data_) {
      data_->shutdown(tcp::socket::shutdown_both, ignored);
      data_->close(ignored);
    }
    data_.reset();
    data_deadline_ = Clock::time_point::max();
  }

  // ---- listings ---------------------------------------------------------------------

  awaitable<void> send_listing(const std::string& text) {
    if (!passive_ && !active_target_) co_return co_await reply(425, "Use PASV or EPSV first.");
    if (!data_allowed())
      co_return co_await reply(521, "Protect data connections first: PBSZ 0, PROT P.");
    co_await reply(150, "Here comes the listing.");
    if (!co_await open_data()) {
      end_data();
      co_return co_await reply_no_data_connection("No data connection.");
    }
    set_deadline(data_deadline_, settings_.data_timeout);
    error_code error;
    if (data_tls_) {
      co_await asio::async_write(*data_tls_, asio::buffer(text),
                                 asio::redirect_error(use_awaitable, error));
      // close_notify, so the client can tell the listing's end from a cut.
      error_code ignored;
      if (!error) {
        co_await data_tls_->async_shutdown(asio::redirect_error(use_awaitable, ignored));
      }
    } else {
      co_await asio::async_write(*data_, asio::buffer(text),
                                 asio::redirect_error(use_awaitable, error));
    }
    end_data();
    if (error) co_return co_await reply(426, "Data connection lost; listing aborted.");
    co_await reply(226, "Listing sent.");
  }

  awaitable<void> list(const std::string& verb, const std::string& argument) {
    std::vector<FolderEntry> entries;
    if (lists_folder(argument)) {
      entries = finished_files(folder_);
    } else {
      const auto name = upload_name(argument);
      if (const auto* plain = std::get_if<std::string>(&name)) {
        if (auto entry = finished_file(folder_, *plain)) entries.push_back(std::move(*entry));
      }
      if (entries.empty() && verb == "MLSD") {
        co_return co_await reply(501, "MLSD lists folders; use MLST for a file.");
      }
    }
    std::string text;
    const auto now = std::chrono::system_clock::now();
    for (const auto& entry : entries) {
      if (verb == "LIST") {
        text += list_line(entry, now);
      } else if (verb == "MLSD") {
        text += mlsx_line(entry);
      } else {
        text += entry.name;
      }
      text += "\r\n";
    }
    co_await send_listing(text);
  }

  awaitable<void> mlst(const std::string& argument) {
    if (argument.empty() || names_root(argument)) {
      co_return co_await reply(250, "Listing /\ntype=cdir;modify=" +
                                        ftp_time(std::chrono::system_clock::now()) + "; /\nEnd");
    }
    const auto entry = named_file(argument);
    if (!entry) co_return co_await reply(550, "No such file.");
    co_await reply(250, "Listing " + entry->name + "\n" + mlsx_line(*entry) + "\nEnd");
  }

  std::optional<FolderEntry> named_file(const std::string& argument) const {
    const auto name = upload_name(argument);
    const auto* plain = std::get_if<std::string>(&name);
    if (plain == nullptr) return std::nullopt;
    return finished_file(folder_, *plain);
  }

  awaitable<void> size(const std::string& argument) {
    fs::path folder = folder_;
    std::string plain;
    if (incoming_) {
      // Only an unfinished upload's size, for a resume: finished files are not shown.
      const auto name = incoming_name(argument);
      const auto* target = std::get_if<IncomingName>(&name);
      if (target == nullptr) co_return co_await reply(550, "No such file.");
      const auto partial =
          partial_size(shared_->uploads_root / target->reference, target->file_name);
      if (!partial) co_return co_await reply(550, "No such file.");
      co_return co_await reply(213, std::to_string(*partial));
    }
    const auto name = upload_name(argument);
    if (const auto* checked = std::get_if<std::string>(&name)) plain = *checked;
    if (plain.empty()) co_return co_await reply(550, "No such file.");
    // An unfinished upload first: that is what a resuming client (curl -C -) asks for,
    // and a finished file of the same name would give it the wrong offset.
    if (const auto partial = partial_size(folder, plain)) {
      co_return co_await reply(213, std::to_string(*partial));
    }
    if (const auto entry = finished_file(folder, plain)) {
      co_return co_await reply(213, std::to_string(entry->size));
    }
    co_await reply(550, "No such file.");
  }

  awaitable<void> mdtm(const std::string& argument) {
    const auto entry = named_file(argument);
    if (!entry) co_return co_await reply(550, "No such file.");
    co_await reply(213, ftp_time(entry->modified));
  }

  awaitable<void> rest(const std::string& argument) {
    std::uint64_t offset = 0;
    const auto [end, error] =
        std::from_chars(argument.data(), argument.data() + argument.size(), offset);
    if (argument.empty() || error != std::errc() || end != argument.data() + argument.size()) {
      co_return co_await bad_command(501, "REST needs a byte offset.");
    }
    rest_offset_ = offset;
    co_await reply(350, "Restarting at " + std::to_string(offset) + ". Send STOR to resume.");
  }

  // ---- uploads ----------------------------------------------------------------------

  awaitable<void> store(const std::string& argument, StoreMode mode) {
    const std::uint64_t rest = std::exchange(rest_offset_, 0);
    std::string name;
    if (incoming_) {
      const auto checked = incoming_name(argument);
      if (const auto* refusal = std::get_if<NameRefusal>(&checked)) {
        co_return co_await reply(553, "File name refused: " + refusal->reason + ".");
      }
      IncomingName target = std::get<IncomingName>(checked);
      if (!co_await take_incoming_ticket(target.reference)) co_return;
      name = std::move(target.file_name);
    } else {
      const auto checked = upload_name(argument);
      if (const auto* refusal = std::get_if<NameRefusal>(&checked)) {
        co_return co_await reply(553, "File name refused: " + refusal->reason + ".");
      }
      name = std::get<std::string>(checked);
    }
    if (!passive_ && !active_target_) co_return co_await reply(425, "Use PASV or EPSV first.");
    if (!data_allowed())
      co_return co_await reply(521, "Protect data connections first: PBSZ 0, PROT P.");
    std::uint64_t offset = rest;
    if (mode == StoreMode::append) {
      if (const auto partial = partial_size(folder_, name)) {
        offset = *partial;
      } else if (finished_file(folder_, name)) {
        // The finished file is attached to the ticket and never changes again.
        co_return co_await reply(550, name +
                                          " is complete and attached; upload more under "
                                          "another name.");
      }
    }
    const auto claim = UploadClaim::take(shared_, upload_claim_key(reference_, name));
    if (!claim) {
      co_return co_await reply(450, name + " is being uploaded by another session right now.");
    }
    const fs::path folder = folder_;
    const std::uint64_t used = used_bytes(folder, name);
    if (used + offset >= settings_.ticket_quota) {
      co_return co_await reply(552, "Ticket " + reference_ + " has used its upload quota of " +
                                        std::to_string(settings_.ticket_quota) + " bytes.");
    }
    if (offset > settings_.max_upload) {
      co_return co_await reply(
          552, "Files may have at most " + std::to_string(settings_.max_upload) + " bytes.");
    }
    auto open = [folder, name, offset] {
      return std::optional<sdk::Result<DurableUpload>>(DurableUpload::open(folder, name, offset));
    };
    auto opened = co_await on_disk(std::move(open));
    if (!opened->ok()) {
      const auto& status = opened->status();
      if (status.code() == sdk::StatusCode::invalid_argument) {
        co_return co_await reply(554, "Cannot resume " + name + " at " + std::to_string(offset) +
                                          ": only " +
                                          std::to_string(partial_size(folder, name).value_or(0)) +
                                          " bytes were received.");
      }
      log_error("{}: cannot start upload of {}: {}", reference_, name, status.message());
      co_return co_await reply(451, "Cannot store the file now; try again later.");
    }
    auto upload = std::make_shared<DurableUpload>(std::move(opened->value()));
    // Texts are built before co_await: GCC 12 destroys the temporaries of both arms of a
    // conditional inside a co_await expression (a double free).
    std::string ready = "Ok to send " + name + ".";
    if (offset > 0) {
      ready = "Ok to send the rest of " + name + " from byte " + std::to_string(offset) + ".";
    }
    co_await reply(150, std::move(ready));
    if (!co_await open_data()) {
      end_data();
      auto abandon = [upload] {
        upload->abandon();
        return true;
      };
      co_await on_disk(std::move(abandon));
      co_return co_await reply_no_data_connection("No data connection: the upload did not start.");
    }
    transfer_active_ = true;
    abort_requested_ = false;
    transfer_done_.expires_at(Clock::time_point::max());
    asio::co_spawn(strand_, receive(shared_from_this(), claim, upload, name, used), asio::detached);
  }

  // The drop box's STOR names its ticket: it must be open (checked before taking bytes);
  // the session then stores and attaches for that ticket, vouched for by the name alone.
  // Answers 553 itself and returns false when the ticket cannot take the file.
  awaitable<bool> take_incoming_ticket(const std::string& reference) {
    sdk::ChannelContext* context = shared_->context;
    auto lookup = [context, reference] {
      return std::optional<sdk::Result<sdk::TicketView>>(context->find_ticket(reference));
    };
    const auto found = co_await on_disk(std::move(lookup));
    std::string refusal;
    if (!found->ok()) {
      refusal = "No open ticket " + reference + ": " + std::string(kIncomingRule) + ".";
    } else if (found->value().status == "closed") {
      refusal = "Ticket " + reference + " is closed: it takes no more uploads. Open a new ticket.";
    }
    if (!refusal.empty()) {
      co_await reply(553, std::move(refusal));
      co_return false;
    }
    reference_ = reference;
    token_.clear();
    folder_ = shared_->uploads_root / reference_;
    co_return true;
  }

  // The upload's own coroutine, spawned by store(): an exception here must not escape
  // into the io thread (co_spawn with `detached` would rethrow it there).
  awaitable<void> receive(std::shared_ptr<FtpSession>, std::shared_ptr<UploadClaim>,
                          std::shared_ptr<DurableUpload> upload, std::string name,
                          std::uint64_t used_before) {
    try {
      co_await receive_upload(upload, name, used_before);
    } catch (const std::exception& error) {
      log_error("{}: upload of {} failed: {}", reference_, name, error.what());
      shut_down();  // the client gets no reply it could trust: it will resume
    }
    transfer_active_ = false;
    transfer_done_.cancel();
    if (!closed_) set_deadline(control_deadline_, settings_.idle_timeout);
  }

  awaitable<void> receive_upload(std::shared_ptr<DurableUpload> upload, std::string name,
                                 std::uint64_t used_before) {
    Ending ending = Ending::complete;
    try {
      ending = co_await stream(*upload, used_before);
    } catch (const std::exception& error) {
      log_error("{}: upload of {} failed: {}", reference_, name, error.what());
      ending = Ending::disk_error;
    }
    if (data_tls_ && ending == Ending::complete) {
      // The client's close_notify came; answer it (clients such as Python's ftplib wait
      // for ours before they read the reply).
      set_deadline(data_deadline_, settings_.data_timeout);
      error_code ignored;
      co_await data_tls_->async_shutdown(asio::redirect_error(use_awaitable, ignored));
    }
    end_data();
    // In stream mode a dying client's closed data connection looks like the end of the
    // file: its control connection, closed at the same moment, tells the two apart.
    if (ending == Ending::complete && (control_gone_ || closed_ || peer_closed_control())) {
      ending = Ending::interrupted;
    }
    if (ending == Ending::complete) {
      co_await finish_upload(upload, name);
    } else {
      const std::uint64_t kept = upload->size();
      const fs::path partial = DurableUpload::partial_path(folder_, name);
      const bool keep = ending == Ending::interrupted;
      auto abandon = [upload, partial, keep] {
        upload->abandon();
        if (!keep) {
          std::error_code ignored;
          fs::remove(partial, ignored);
        }
        return true;
      };
      co_await on_disk(std::move(abandon));
      switch (ending) {
        case Ending::too_large:
          co_await reply(552, "Files may have at most " + std::to_string(settings_.max_upload) +
                                  " bytes; nothing was kept.");
          break;
        case Ending::over_quota:
          co_await reply(552, "Ticket " + reference_ + " would exceed its upload quota of " +
                                  std::to_string(settings_.ticket_quota) +
                                  " bytes; nothing was kept.");
          break;
        case Ending::disk_error:
          co_await reply(451, "Cannot store the file now; try again later.");
          break;
        default:
          log_info("{}: upload of {} interrupted at {} bytes; partial kept", reference_, name,
                   kept);
          std::string text =
              data_timed_out_ ? "Data connection timed out" : "Data connection closed";
          text += "; transfer aborted. " + std::to_string(kept) +
                  " bytes were kept: resume with REST " + std::to_string(kept) +
                  " and STOR, or APPE.";
          co_await reply(426, std::move(text));
      }
    }
  }

  // Reads straight into the upload's next chunk (no copy in between: at 1 GB/s a copy
  // cost about a tenth of the daemon's CPU, tests/bench/upload_bench).
  awaitable<Ending> stream(DurableUpload& upload, std::uint64_t used_before) {
    for (;;) {
      set_deadline(data_deadline_, settings_.data_timeout);
      const std::span<char> room = upload.room();
      if (room.empty()) {
        // The hash or the disk is behind: wait without holding the io thread, which
        // serves other sessions too.
        co_await room_in(upload);
        continue;
      }
      error_code error;
      std::size_t n = 0;
      if (data_tls_) {
        n = co_await data_tls_->async_read_some(asio::buffer(room.data(), room.size()),
                                                asio::redirect_error(use_awaitable, error));
      } else {
        n = co_await data_->async_read_some(asio::buffer(room.data(), room.size()),
                                            asio::redirect_error(use_awaitable, error));
      }
      if (n > 0) {
        if (!upload.commit(n).ok()) co_return Ending::disk_error;
        if (upload.size() > settings_.max_upload) co_return Ending::too_large;
        if (used_before + upload.size() > settings_.ticket_quota) co_return Ending::over_quota;
      }
      if (error == asio::error::eof)
        co_return abort_requested_ ? Ending::interrupted : Ending::complete;
      if (error) {
        // Said in the log: a cut that is not the client's (a TLS error, a reset) is a
        // bug report's first line.
        if (!abort_requested_) {
          log_info("{}: data connection ended after {} bytes: {}", reference_, upload.size(),
                   error.message());
        }
        co_return Ending::interrupted;
      }
    }
  }

  // Resumes once `upload` has room again (DurableUpload::when_room calls back on a
  // worker thread; the coroutine goes on on its own executor).
  static awaitable<void> room_in(DurableUpload& upload) {
    return asio::async_initiate<const asio::use_awaitable_t<>&, void()>(
        [&upload](auto handler) {
          auto executor = asio::get_associated_executor(handler);
          auto held = std::make_shared<decltype(handler)>(std::move(handler));
          upload.when_room([held, executor] {
            asio::post(executor, [held]() mutable { std::move (*held)(); });
          });
        },
        use_awaitable);
  }

  bool peer_closed_control() {
    char byte = 0;
    const auto got = ::recv(control_.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return got == 0;
  }

  awaitable<void> finish_upload(std::shared_ptr<DurableUpload> upload, std::string name) {
    // Noted before the rename, until the file is attached or back to a partial: a
    // daemon killed in between leaves the note for the next start (attach_journal.hpp).
    auto finish = [upload, journal = shared_->journal, reference = reference_, name] {
      if (auto noted = journal->begin(reference, name); !noted.ok()) {
        upload->abandon();  // the partial stays for a retry
        return std::optional<sdk::Result<FinishedUpload>>(noted);
      }
      auto finished = upload->finish();
      if (!finished.ok()) journal->end(reference, name);
      return std::optional<sdk::Result<FinishedUpload>>(std::move(finished));
    };
    auto finished = co_await on_disk(std::move(finish));
    if (!finished->ok()) {
      log_error("{}: cannot finish upload of {}: {}", reference_, name,
                finished->status().message());
      co_return co_await reply(451, "Cannot store the file now; try again later.");
    }
    const FinishedUpload file = std::move(finished->value());
    sdk::AttachRequest request;
    request.reference = reference_;
    request.token = token_;
    request.file.file_name = file.file_name;
    request.file.stored_path = file.path.string();
    request.file.size = file.size;
    request.file.sha256 = file.sha256;
    // The same completed upload handed in twice (a retry) attaches once.
    request.origin_id = "ftp:" + reference_ + "/" + file.file_name + ":" + file.sha256;
    request.note = (incoming_ ? "left in the FTP drop box from " : "uploaded by FTP from ") +
                   peer_.address().to_string();
    const sdk::Status attached = co_await attach(std::move(request), incoming_);
    if (!attached.ok()) {
      log_error("{}: attaching {} failed: {}", reference_, file.file_name, attached.message());
      if (attached.code() == sdk::StatusCode::unavailable) {
        // A passing failure (the store busy, the gateway stopping): the file goes back to
        // being a complete partial, so that it neither lies in the folder unattached nor
        // turns a retry into "log-2.txt". The retry replaces it, or REST finishes it.
        auto keep = [folder = folder_, name, path = file.path] {
          return DurableUpload::back_to_partial(folder, name, path);
        };
        const sdk::Status kept = co_await on_disk(std::move(keep));
        if (!kept.ok()) {
          // The note stays: the next start tries again.
          log_error("{}: {} stays in the folder unattached: {}", reference_, file.file_name,
                    kept.message());
          co_return co_await reply(451, "The file was received but not attached: " +
                                            attached.message() + " Try again later.");
        }
        co_await settled(name);
        co_return co_await reply(451, "The file was received but could not be attached now (" +
                                          attached.message() + "). Its " +
                                          std::to_string(file.size) +
                                          " bytes are kept: upload it again "
                                          "later, or send REST " +
                                          std::to_string(file.size) +
                                          " and the same STOR to finish it without sending "
                                          "them again.");
      }
      // Refused for good (a closed ticket): the file would lie in the folder unattached.
      auto remove = [path = file.path] {
        std::error_code ignored;
        return fs::remove(path, ignored);
      };
      co_await on_disk(std::move(remove));
      co_await settled(name);
      co_return co_await reply(550,
                               "The file was received but not attached: " + attached.message());
    }
    co_await settled(name);
    log_info("{}: received {} ({} bytes, SHA-256 {})", reference_, file.file_name, file.size,
             file.sha256);
    co_await reply(226, "Transfer complete: " + file.file_name + ", " + std::to_string(file.size) +
                            " bytes, SHA-256 " + file.sha256 + ".");
    describe_later(file);
  }

  // The upload of `name` is attached, back to a partial, or removed: its journal note goes.
  awaitable<void> settled(const std::string& name) {
    auto drop = [journal = shared_->journal, reference = reference_, name] {
      journal->end(reference, name);
      return true;
    };
    co_await on_disk(std::move(drop));
  }

  // After the 226: what the file is (file(1), archive entries) reads the file, which may
  // take long, so it goes to the disk pool and then into the ticket's history.
  void describe_later(const FinishedUpload& file) {
    asio::post(*shared_->disk, [shared = shared_, reference = reference_, file] {
      std::string text = file.file_name + ": " + describe(file.path);
      if (text.size() > 60 * 1024) text.resize(60 * 1024);
      shared->context->annotate(
          reference, std::move(text), [logger = shared->logger, reference](sdk::Status status) {
            if (!status.ok() && logger) {
              logger->warn("{}: recording an upload's content note failed: {}", reference,
                           status.message());
            }
          });
    });
  }

  awaitable<void> abort_transfer() {
    abort_requested_ = true;
    close_data();
    co_await wait_for_transfer();
    co_await reply(226, "ABOR done.");
  }

  awaitable<void> wait_for_transfer() {
    while (transfer_active_ && !closed_) {
      error_code ignored;
      co_await transfer_done_.async_wait(asio::redirect_error(use_awaitable, ignored));
    }
  }

  // ---- bridges to other threads -----------------------------------------------------

  // Runs `work` on the disk pool and resumes on the strand with its result. Not a
  // coroutine itself, and callers pass named jobs: GCC 12 destroys lambda temporaries
  // inside co_await expressions twice.
  template <class Work>
  awaitable<std::invoke_result_t<Work>> on_disk(Work work) {
    using Value = std::invoke_result_t<Work>;
    auto* disk = shared_->disk.get();
    return asio::async_initiate<const asio::use_awaitable_t<>&, void(Value)>(
        [disk](auto handler, Work job) {
          auto executor = asio::get_associated_executor(handler);
          asio::post(
              *disk, [handler = std::move(handler), job = std::move(job), executor]() mutable {
                Value value = job();
                asio::post(executor,
                           [handler = std::move(handler), value = std::move(value)]() mutable {
                             std::move(handler)(std::move(value));
                           });
              });
        },
        use_awaitable, std::move(work));
  }

  // ChannelContext::attach, whose completion runs on a gateway thread: back to the strand.
  // `vouched`: a drop-box upload, which carries no token (attach_vouched).
  awaitable<sdk::Status> attach(sdk::AttachRequest request, bool vouched) {
    sdk::ChannelContext* context = shared_->context;
    return asio::async_initiate<const asio::use_awaitable_t<>&, void(sdk::Status)>(
        [context, vouched](auto handler, sdk::AttachRequest request) {
          auto executor = asio::get_associated_executor(handler);
          // std::function needs a copyable callable; the handler is move-only.
          auto held = std::make_shared<decltype(handler)>(std::move(handler));
          auto done = [held, executor](sdk::Status status) {
            asio::post(executor, [held, status = std::move(status)]() mutable {
              std::move (*held)(std::move(status));
            });
          };
          if (vouched) {
            context->attach_vouched(std::move(request), std::move(done));
          } else {
            context->attach(std::move(request), std::move(done));
          }
        },
        use_awaitable, std::move(request));
  }

  // ---- logging ------------------------------------------------------------------------

  template <class... Args>
  void log_info(spdlog::format_string_t<Args...> format, Args&&... args) {
    if (shared_->logger) shared_->logger->info(format, std::forward<Args>(args)...);
  }
  template <class... Args>
  void log_warn(spdlog::format_string_t<Args...> format, Args&&... args) {
    if (shared_->logger) shared_->logger->warn(format, std::forward<Args>(args)...);
  }
  template <class... Args>
  void log_error(spdlog::format_string_t<Args...> format, Args&&... args) {
    if (shared_->logger) shared_->logger->error(format, std::forward<Args>(args)...);
  }

  std::shared_ptr<ServerShared> shared_;
  const bool implicit_tls_;  // accepted on the implicit FTPS listener
  const FtpSettings& settings_;
  asio::any_io_executor strand_;  // the socket's: a strand the server made
  tcp::socket control_;
  std::optional<asio::ssl::stream<tcp::socket&>> control_tls_;  // after AUTH TLS
  tcp::endpoint peer_;
  tcp::endpoint local_;
  asio::steady_timer watchdog_;
  asio::steady_timer transfer_done_;  // cancelled when an upload ends: an event
  CommandLineReader reader_;
  std::array<char, 1024> input_{};
  std::size_t pending_begin_ = 0;
  std::size_t pending_end_ = 0;
  std::function<void()> on_end_;
  std::minstd_rand random_{std::random_device{}()};

  bool closed_ = false;
  bool control_gone_ = false;  // the client closed the control connection
  bool idle_timed_out_ = false;
  bool data_timed_out_ = false;
  // The last open_data() refused a protected connection that did not resume the control
  // connection's TLS session (require_tls_session_reuse).
  bool data_refused_unbound_ = false;
  bool transfer_active_ = false;
  bool abort_requested_ = false;
  int bad_commands_ = 0;
  int login_failures_ = 0;
  Clock::time_point control_deadline_ = Clock::time_point::max();
  Clock::time_point data_deadline_ = Clock::time_point::max();

  std::string user_;  // from USER, until PASS
  bool logged_in_ = false;
  // Logged in anonymously to the drop box (setting `incoming`): reference_, token_ and
  // folder_ then name the ticket of the upload at hand, set by each STOR.
  bool incoming_ = false;
  std::string reference_;
  std::string token_;
  fs::path folder_;
  std::uint64_t rest_offset_ = 0;

  std::optional<tcp::acceptor> passive_;
  std::optional<tcp::endpoint> active_target_;
  std::optional<tcp::socket> data_;
  std::optional<asio::ssl::stream<tcp::socket&>> data_tls_;  // after PROT P
  bool pbsz_ = false;
  bool data_protected_ = false;
};

}  // namespace

std::shared_ptr<Session> start_session(std::shared_ptr<ServerShared> shared, tcp::socket socket,
                                       bool implicit_tls, std::function<void()> on_end) {
  auto session = std::make_shared<FtpSession>(std::move(shared), std::move(socket), implicit_tls,
                                              std::move(on_end));
  session->begin();
  return session;
}

}  // namespace supportgw::ftp
