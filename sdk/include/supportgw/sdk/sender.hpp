#pragma once
// Outbound: a channel that can carry messages of a kind ("mail", "page", "webhook")
// offers a Sender for it. The host's outbox dispatcher hands it one message at a time
// per row and marks the row sent only when `done` reports success; on failure it tries
// again later with backoff. So a Sender must be idempotent enough for a retry after a
// crash between the delivery and the commit of "sent" (mail: reuse the same
// Message-ID, given here as `idempotency_key`).

#include <cstdint>
#include <functional>
#include <string>

#include "supportgw/sdk/status.hpp"

namespace supportgw::sdk {

struct OutboundMessage {
  std::int64_t id = 0;    // the outbox row; stable across retries and restarts
  std::string kind;       // "mail", "page", "webhook"
  std::string recipient;  // an address, a phone number, a URL
  std::string subject;
  std::string body;
  std::string ticket_reference;  // empty for messages about no single ticket
  int attempt = 1;               // 1 for the first try
  // Unique per row and stable across retries ("supportgw-outbox-42"); a mail sender
  // builds its Message-ID from it so a retried mail is recognisably the same mail.
  std::string idempotency_key;
};

// What a sender reports when it is done with a message.
struct Delivery {
  Status status;  // ok: delivered (or accepted by the next hop); else why not
  // Optional: the id the message went out with (a mail's Message-ID, without <>).
  // The host ties it to the ticket so a reply that quotes it finds the ticket.
  std::string thread_id;
  // Optional: false when retrying cannot help (a malformed recipient); the row is
  // marked failed at once instead of being retried.
  bool retry = true;
};

class Sender {
 public:
  using Done = std::function<void(Delivery)>;
  virtual ~Sender() = default;

  // Called on a gateway thread. Must call `done` exactly once, from any thread, and must
  // not block: post the work to the channel's own executor and report when finished.
  virtual void send(const OutboundMessage& message, Done done) = 0;
};

}  // namespace supportgw::sdk
