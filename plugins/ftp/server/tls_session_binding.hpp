#pragma once
// Data connections bound to their control connection's TLS session (RFC 4217 §10.2,
// vsftpd's require_ssl_reuse, ProFTPD's and FileZilla's default).
//
// A passive data port is open to anyone until the client connects; we already refuse a
// connection from another address than the control connection's, but a second program
// on the client's host (or behind the same NAT) could still race the client to the port
// and receive its listing or feed its upload. Only the real client holds the control
// connection's TLS session, so a data connection that resumes that session is the
// client's own.
//
// How: every session ticket issued on a control connection carries, as its application
// data, that connection's server random (32 bytes the server chose, unknown to anyone
// who merely watched the client's hello). Tickets are encrypted and authenticated with a
// key only this server holds, so the data carried back cannot be forged. A data
// connection is the client's when its handshake resumed a ticket whose data equals the
// control connection's server random (compared in constant time).
//
// Tickets are issued on control connections only: an uploading client never reads its
// data connection, and a TLS 1.3 ticket left unread there turned the client's close into
// a TCP reset that threw the last bytes away (see the ftp README).

#include <openssl/ssl.h>

namespace supportgw::ftp {

// Installs the ticket callbacks on the server's context and turns the stateful session
// cache off (tickets carry the binding; a cached session ID would not). Once, at start.
void enable_session_binding(SSL_CTX* context);

// Before a control connection's handshake: it issues tickets (two, for clients that use
// each TLS 1.3 ticket once).
void prepare_control_connection(SSL* control);

// Before a data connection's handshake: it issues none (TLS 1.3).
void prepare_data_connection(SSL* data);

// After a data connection's handshake: whether it resumed a session first issued on
// `control`.
bool resumes_control_session(SSL* data, SSL* control);

}  // namespace supportgw::ftp
