// The listener: accepts control connections on a strand of its own, refuses those over
// the session limits with 421, and keeps a weak handle on every session so stop() can
// close them. On the same strand, a timer starts the sweep of closed tickets' partials
// (closed_partials.hpp) on the disk pool.

#include "ftp_server.hpp"

#include <map>
#include <mutex>

#include <openssl/ssl.h>
#include <spdlog/logger.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "closed_partials.hpp"
#include "ftp_session.hpp"
#include "reply.hpp"
#include "tls_session_binding.hpp"

namespace supportgw::ftp {

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using boost::system::error_code;
using tcp = asio::ip::tcp;

// Disk threads: finishing uploads (fsync, rename) and describing them. Two keep one
// upload's fsync from holding up another's login lookup.
constexpr int kDiskThreads = 2;

struct FtpServer::Impl : std::enable_shared_from_this<FtpServer::Impl> {
  asio::any_io_executor executor;
  asio::any_io_executor strand;  // the acceptor's
  tcp::acceptor acceptor;
  // Implicit FTPS (implicit_tls_listen): sessions there start with the TLS handshake.
  tcp::acceptor implicit_acceptor;
  std::shared_ptr<ServerShared> shared;
  std::string address;
  std::string implicit_address;  // "" without implicit FTPS

  std::mutex mutex;  // guards what follows: sessions end on their own strands
  bool stopping = false;
  int total = 0;
  std::map<asio::ip::address, int> per_address;
  std::map<const Session*, std::weak_ptr<Session>> sessions;

  asio::steady_timer sweep_timer;

  explicit Impl(asio::any_io_executor io)
      : executor(io),
        strand(asio::make_strand(io)),
        acceptor(strand),
        implicit_acceptor(strand),
        sweep_timer(strand) {}

  // At once, then every closed_partials_sweep until stop(). The sweep itself runs on
  // the disk pool: it lists folders and looks tickets up. `self` keeps the Impl, and so
  // the timer, alive while the loop waits.
  awaitable<void> sweep_loop([[maybe_unused]] std::shared_ptr<Impl> self) {
    for (;;) {
      asio::post(*shared->disk, [shared = shared] { sweep_partials(*shared); });
      sweep_timer.expires_after(shared->settings.closed_partials_sweep);
      error_code error;
      co_await sweep_timer.async_wait(asio::redirect_error(use_awaitable, error));
      if (error == asio::error::operation_aborted) co_return;
      std::lock_guard lock(mutex);
      if (stopping) co_return;
    }
  }

  // Before the first connection: uploads a killed daemon left between their rename and
  // their attachment go back to being partials (attach_journal.hpp).
  static void recover_unattached(ServerShared& shared) {
    auto attached_names =
        [&shared](const std::string& reference) -> std::optional<std::set<std::string>> {
      auto ticket = shared.context->find_ticket(reference);
      if (!ticket.ok()) {
        if (ticket.status().code() == sdk::StatusCode::not_found) return std::set<std::string>();
        return std::nullopt;
      }
      std::set<std::string> names;
      for (const auto& file : ticket->files) names.insert(file.file_name);
      return names;
    };
    const auto recovery = shared.journal->recover_unattached(attached_names);
    if (!shared.logger) return;
    for (const std::string& returned : recovery.returned) {
      shared.logger->warn(
          "ftp: {} was never attached (the daemon stopped in between): back to "
          "a partial, for the client's retry or REST",
          returned);
    }
    for (const std::string& problem : recovery.problems) {
      shared.logger->error("ftp: unattached uploads: {}", problem);
    }
  }

  static void sweep_partials(ServerShared& shared) {
    const auto is_closed = [&](const std::string& reference) -> std::optional<bool> {
      const auto ticket = shared.context->find_ticket(reference);
      if (ticket.ok()) return ticket.value().status == "closed";
      // A folder of a ticket that does not exist (a typo in the incoming drop box never
      // makes one): not ours to judge.
      if (ticket.status().code() != sdk::StatusCode::not_found && shared.logger) {
        shared.logger->warn("partials of {}: looking the ticket up failed: {}", reference,
                            ticket.status().message());
      }
      return std::nullopt;
    };
    const PartialSweep sweep = sweep_closed_partials(shared.uploads_root, is_closed,
                                                     shared.claims_mutex, shared.claimed_uploads);
    if (!shared.logger) return;
    for (const std::string& name : sweep.removed_names) {
      shared.logger->info("removed the partial {}: its ticket is closed, so it cannot be resumed",
                          name);
    }
    if (!sweep.removed_names.empty()) {
      shared.logger->info("partials of closed tickets: {} removed, {} bytes freed",
                          sweep.removed_names.size(), sweep.bytes);
    }
    for (const std::string& problem : sweep.problems) {
      shared.logger->warn("partials of closed tickets: {}", problem);
    }
  }

  awaitable<void> accept_loop(std::shared_ptr<Impl> self, tcp::acceptor& from, bool implicit_tls) {
    for (;;) {
      tcp::socket socket(asio::make_strand(executor));
      error_code error;
      co_await from.async_accept(socket, asio::redirect_error(use_awaitable, error));
      if (error == asio::error::operation_aborted || !from.is_open()) co_return;
      if (error) {
        // Out of descriptors and such: the listener lives on.
        if (shared->logger) shared->logger->warn("accept failed: {}", error.message());
        continue;
      }
      admit(self, std::move(socket), implicit_tls);
    }
  }

  // Opens `into` on host:port; "host:port" as bound, or the error.
  static sdk::Result<std::string> listen(tcp::acceptor& into, const std::string& host,
                                         std::uint16_t port) {
    error_code error;
    const auto address = asio::ip::make_address(host, error);
    const tcp::endpoint endpoint(address, port);
    if (!error) into.open(endpoint.protocol(), error);
    if (!error) into.set_option(tcp::acceptor::reuse_address(true), error);
    if (!error) into.bind(endpoint, error);
    if (!error) into.listen(asio::socket_base::max_listen_connections, error);
    if (error) {
      return sdk::Status(
          sdk::StatusCode::unavailable,
          "ftp: cannot listen on " + host + ":" + std::to_string(port) + ": " + error.message());
    }
    const auto bound = into.local_endpoint(error);
    return bound.address().is_v6()
               ? "[" + bound.address().to_string() + "]:" + std::to_string(bound.port())
               : bound.address().to_string() + ":" + std::to_string(bound.port());
  }

  void admit(const std::shared_ptr<Impl>& self, tcp::socket socket, bool implicit_tls) {
    error_code error;
    const auto peer = socket.remote_endpoint(error);
    if (error) return;
    const auto address = peer.address();
    std::string refusal;
    {
      std::lock_guard lock(mutex);
      if (stopping) {
        refusal = "The server is stopping.";
      } else if (total >= shared->settings.max_sessions) {
        refusal = "Too many connections; try again later.";
      } else if (per_address[address] >= shared->settings.max_sessions_per_address) {
        refusal = "Too many connections from your address; try again later.";
      } else {
        ++total;
        ++per_address[address];
      }
    }
    if (!refusal.empty()) {
      if (shared->logger) {
        shared->logger->warn("refused a connection from {}: {}", address.to_string(), refusal);
      }
      asio::co_spawn(socket.get_executor(), refuse(std::move(socket), refusal), asio::detached);
      return;
    }
    auto key = std::make_shared<const Session*>(nullptr);
    auto session = start_session(shared, std::move(socket), implicit_tls, [self, address, key] {
      std::lock_guard lock(self->mutex);
      --self->total;
      if (--self->per_address[address] <= 0) self->per_address.erase(address);
      self->sessions.erase(*key);
    });
    std::lock_guard lock(mutex);
    // A session that already ended (its strand runs apart) leaves a stale entry here;
    // harmless: the weak handle has expired, or close() finds it closed.
    *key = session.get();
    if (!stopping) sessions.emplace(session.get(), session);
  }

  static awaitable<void> refuse(tcp::socket socket, std::string text) {
    const std::string bytes = format_reply(421, text);
    error_code error;
    co_await asio::async_write(socket, asio::buffer(bytes),
                               asio::redirect_error(use_awaitable, error));
    socket.close(error);
  }
};

sdk::Result<std::unique_ptr<FtpServer>> FtpServer::start(asio::any_io_executor executor,
                                                         FtpSettings settings,
                                                         sdk::ChannelContext& context) {
  auto impl = std::make_shared<Impl>(executor);
  impl->shared = std::make_shared<ServerShared>();
  impl->shared->context = &context;
  impl->shared->logger = context.logger();
  impl->shared->uploads_root = context.storage_dir() / "uploads";
  impl->shared->disk = std::make_unique<asio::thread_pool>(kDiskThreads);
  error_code error_of_tls;
  impl->shared->settings = std::move(settings);

  if (!impl->shared->settings.tls_certificate.empty()) {
    auto tls = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
    tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                     asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                     asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    const auto& certificate = impl->shared->settings.tls_certificate;
    const auto& key = impl->shared->settings.tls_private_key;
    tls->use_certificate_chain_file(certificate, error_of_tls);
    if (error_of_tls) {
      impl->shared->disk->join();
      return sdk::Status(sdk::StatusCode::invalid_argument,
                         "ftp: tls_certificate " + certificate + ": " + error_of_tls.message());
    }
    tls->use_private_key_file(key, asio::ssl::context::pem, error_of_tls);
    if (error_of_tls) {
      impl->shared->disk->join();
      return sdk::Status(sdk::StatusCode::invalid_argument,
                         "ftp: tls_private_key " + key + ": " + error_of_tls.message());
    }
    // Tickets on control connections only, each bound to its connection, so a data
    // connection can prove it belongs to the client (tls_session_binding.hpp).
    enable_session_binding(tls->native_handle());
    impl->shared->tls = std::move(tls);
  }
  std::error_code made;
  std::filesystem::create_directories(impl->shared->uploads_root, made);
  if (made) {
    return sdk::Status(
        sdk::StatusCode::unavailable,
        "cannot create " + impl->shared->uploads_root.string() + ": " + made.message());
  }
  impl->shared->journal = std::make_shared<const AttachJournal>(impl->shared->uploads_root);
  Impl::recover_unattached(*impl->shared);
  const FtpSettings& wanted = impl->shared->settings;
  auto bound = Impl::listen(impl->acceptor, wanted.listen_host, wanted.listen_port);
  if (!bound.ok()) {
    impl->shared->disk->join();
    return bound.status();
  }
  impl->address = bound.value();
  if (wanted.implicit_tls) {
    auto implicit =
        Impl::listen(impl->implicit_acceptor, wanted.implicit_tls_host, wanted.implicit_tls_port);
    if (!implicit.ok()) {
      impl->shared->disk->join();
      return implicit.status();
    }
    impl->implicit_address = implicit.value();
    asio::co_spawn(impl->strand, impl->accept_loop(impl, impl->implicit_acceptor, true),
                   asio::detached);
  }
  asio::co_spawn(impl->strand, impl->accept_loop(impl, impl->acceptor, false), asio::detached);
  asio::co_spawn(impl->strand, impl->sweep_loop(impl), asio::detached);
  return std::unique_ptr<FtpServer>(new FtpServer(impl));
}

FtpServer::FtpServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

FtpServer::~FtpServer() {
  stop();
  join();
}

void FtpServer::stop() {
  std::map<const Session*, std::weak_ptr<Session>> sessions;
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopping) return;
    impl_->stopping = true;
    sessions.swap(impl_->sessions);
  }
  asio::post(impl_->strand, [impl = impl_] {
    error_code ignored;
    impl->acceptor.close(ignored);
    impl->implicit_acceptor.close(ignored);
    impl->sweep_timer.cancel();
  });
  for (auto& [key, weak] : sessions) {
    if (auto session = weak.lock()) session->close();
  }
}

void FtpServer::join() {
  if (impl_->shared->disk) impl_->shared->disk->join();
}

std::string FtpServer::local_address() const { return impl_->address; }

std::string FtpServer::implicit_tls_address() const { return impl_->implicit_address; }

}  // namespace supportgw::ftp
