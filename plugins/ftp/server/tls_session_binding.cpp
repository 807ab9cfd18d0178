#include "tls_session_binding.hpp"

#include <openssl/crypto.h>

#include <array>

namespace supportgw::ftp {
namespace {

constexpr std::size_t kServerRandomSize = SSL3_RANDOM_SIZE;  // 32

// Called before each ticket is made. A ticket renewed on a resumed connection keeps
// the data it came with, so a TLS 1.2 data connection's renewed ticket stays bound to
// the control connection; any other ticket is bound to the connection it is issued on.
int add_binding(SSL* ssl, void* /*arg*/) {
  SSL_SESSION* session = SSL_get0_session(ssl);
  if (session == nullptr) return 0;
  void* existing = nullptr;
  std::size_t existing_size = 0;
  SSL_SESSION_get0_ticket_appdata(session, &existing, &existing_size);
  if (SSL_session_reused(ssl) == 1 && existing_size == kServerRandomSize) return 1;
  std::array<unsigned char, kServerRandomSize> random{};
  if (SSL_get_server_random(ssl, random.data(), random.size()) != random.size()) return 0;
  return SSL_SESSION_set1_ticket_appdata(session, random.data(), random.size());
}

// OpenSSL's own choices for a ticket it could or could not decrypt; the binding is
// checked after the handshake, where the reply can say what went wrong.
SSL_TICKET_RETURN accept_ticket(SSL* /*ssl*/, SSL_SESSION* /*session*/,
                                const unsigned char* /*key_name*/, size_t /*key_name_size*/,
                                SSL_TICKET_STATUS status, void* /*arg*/) {
  switch (status) {
    case SSL_TICKET_SUCCESS:
      return SSL_TICKET_RETURN_USE;
    case SSL_TICKET_SUCCESS_RENEW:
      return SSL_TICKET_RETURN_USE_RENEW;
    case SSL_TICKET_EMPTY:
    case SSL_TICKET_NO_DECRYPT:
      return SSL_TICKET_RETURN_IGNORE_RENEW;
    default:
      return SSL_TICKET_RETURN_ABORT;
  }
}

}  // namespace

void enable_session_binding(SSL_CTX* context) {
  SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_session_ticket_cb(context, add_binding, accept_ticket, nullptr);
  SSL_CTX_set_num_tickets(context, 0);
}

void prepare_control_connection(SSL* control) { SSL_set_num_tickets(control, 2); }

void prepare_data_connection(SSL* data) { SSL_set_num_tickets(data, 0); }

bool resumes_control_session(SSL* data, SSL* control) {
  if (SSL_session_reused(data) != 1) return false;
  SSL_SESSION* session = SSL_get0_session(data);
  if (session == nullptr) return false;
  void* carried = nullptr;
  std::size_t carried_size = 0;
  SSL_SESSION_get0_ticket_appdata(session, &carried, &carried_size);
  if (carried == nullptr || carried_size != kServerRandomSize) return false;
  std::array<unsigned char, kServerRandomSize> expected{};
  if (SSL_get_server_random(control, expected.data(), expected.size()) != expected.size()) {
    return false;
  }
  return CRYPTO_memcmp(carried, expected.data(), expected.size()) == 0;
}

}  // namespace supportgw::ftp
