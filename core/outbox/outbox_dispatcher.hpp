#pragma once
// Delivers outbox rows through the senders channel plugins offer, with retry.
//
// Each dispatch_due() round reads the rows due now, hands each to the sender of its kind
// ("mail", "page", "webhook") on that channel's executor, and settles it when the sender
// calls `done`: one unit of work marks the row sent (and ties the message's thread id to
// its ticket, so a reply quoting our Message-ID finds the ticket), or records a failed
// attempt with the next one backed off exponentially, or marks it failed for good. A row
// stays "in flight" — never handed out twice — from hand-out until that unit committed.
//
// At-least-once: a row is marked sent only after its sender confirmed, so a crash (or a
// dispatcher destroyed) between the delivery and the commit leaves the row pending and
// it is sent again after the restart, with the same OutboundMessage::idempotency_key
// ("supportgw-outbox-<id>") so a sender can recognise the repeat. Nothing is lost: an
// unconfirmed row is never marked anything. Rows in flight are known only to this
// object, so run one dispatcher per store: two (in two processes) would both send a row.
//
// A row whose kind no registered sender carries is not read at all: it stays pending,
// with its attempts untouched, until the operator adds a channel for its kind (reload
// or restart), and is sent in the first round after. waiting_for_a_channel() counts
// such rows, for the log. (A sender removed between a round's read and its hand-out —
// clear_senders while reloading — gets the row a failed attempt "no channel carries
// 'page' messages" with the usual backoff; never a failure for good.)
//
// A sender that never calls `done` keeps its row in flight until send_timeout passes
// (checked at the next dispatch_due()), then the row gets a failed attempt and is retried;
// a `done` arriving later, or a second `done` for the same hand-out, is ignored (a plugin
// bug). With send_timeout zero the row stays in flight until the dispatcher is destroyed.
//
// Thread-safety: every member may be called from any thread; dispatch rounds are
// serialised. `done` may be called from any thread, also inline from inside send().
// No sender and no store call is made while the dispatcher's lock is held. Do not call
// dispatch_due() or wait_idle() from inside Sender::send or the listener.
//
// Lifetime: the store and the clock must outlive the dispatcher. Destroying it waits for
// the units of work it already submitted; `done` callbacks that senders still hold stay
// safe to call and do nothing. Call clear_senders() (or destroy the dispatcher) before
// the plugins that made the senders are unloaded.

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/domain/outbox.hpp"
#include "core/store/store.hpp"
#include "core/util/time.hpp"
#include "supportgw/sdk/sender.hpp"

namespace supportgw {

struct OutboxDispatcherOptions {
  // Most rows one dispatch_due() round reads and hands out.
  std::size_t batch = 100;
  // Most rows handed to senders and not yet settled, across all kinds; bounds what a
  // slow channel can have outstanding and what is re-sent after a crash.
  std::size_t max_in_flight = 64;
  // Wait before the second attempt; each further failure doubles it, up to max_retry.
  // Every wait is spread by ±20% at random so rows that failed together (a mail relay
  // down) do not all come back at the same instant.
  std::chrono::milliseconds first_retry{std::chrono::seconds(5)};
  std::chrono::milliseconds max_retry{std::chrono::minutes(15)};
  // A row whose sender failed on its max_attempts-th attempt is marked failed for good
  // (12 attempts at the defaults span a little over an hour).
  int max_attempts = 12;
  // How long a sender may take to call `done` before the row is released for a retry;
  // zero waits forever. Generous: a retry while the first try is merely slow sends twice.
  std::chrono::milliseconds send_timeout{std::chrono::minutes(10)};
};

// What became of one attempt, once the store has recorded it.
struct OutboxSettled {
  enum class Outcome {
    sent,         // marked sent
    will_retry,   // failed attempt recorded; tried again at next_attempt
    failed,       // failed for good (sender said retrying cannot help, or max_attempts)
    store_error,  // the store refused to record the outcome; the row is as it was
  };
  OutboxId id = 0;
  std::string kind;
  int attempt = 1;  // 1 for the first
  Outcome outcome = Outcome::sent;
  std::optional<Timestamp> next_attempt;  // set for will_retry
  std::string error;  // why it was not sent; for store_error, what the store said
};

class OutboxDispatcher {
 public:
  using Options = OutboxDispatcherOptions;
  // Runs a function on the sender's channel executor (the daemon passes asio::post on
  // it). An empty Post runs the sender inline on the thread of dispatch_due().
  using Post = std::function<void(std::function<void()>)>;
  // Called once per settled attempt, without the dispatcher's lock held, on the store's
  // writer thread (on the caller's when the store refuses the work outright): keep it
  // short (log, post a wake-up for the next round — a settled attempt frees a slot).
  using Listener = std::function<void(const OutboxSettled&)>;

  // Throws InvalidArgument for options that cannot work (zero batch or max_in_flight,
  // non-positive first_retry, max_retry below first_retry, max_attempts below 1).
  OutboxDispatcher(Store& store, const Clock& clock, Options options = {});
  // Waits for the units of work already submitted; abandons (leaves pending) rows whose
  // senders have not answered.
  ~OutboxDispatcher();
  OutboxDispatcher(const OutboxDispatcher&) = delete;
  OutboxDispatcher& operator=(const OutboxDispatcher&) = delete;

  // Registers the sender that carries messages of `kind`. Throws InvalidArgument, naming
  // the kind, for an empty kind, a null sender, or a kind that already has a sender.
  void add_sender(std::string kind, std::shared_ptr<sdk::Sender> sender, Post post);
  // Forgets every sender (stopping, reloading). Rows already handed out settle as usual.
  void clear_senders();
  void set_listener(Listener listener);

  // Hands every due row not in flight (up to batch, and up to max_in_flight in flight)
  // to its sender, after releasing rows whose senders passed send_timeout. Returns how
  // many rows were handed to senders.
  // Throws StoreError when the store cannot be read; nothing is handed out then.
  std::size_t dispatch_due();

  // Blocks until no row is in flight (handed out or settling). Rows whose senders never
  // answer keep it waiting until a dispatch_due() after send_timeout releases them.
  void wait_idle();
  // The same for at most `limit` of real time; false when rows are still in flight.
  bool wait_idle_for(std::chrono::milliseconds limit);
  std::size_t in_flight() const;

  // When the earliest pending row not in flight is due (possibly already), or none; a
  // hint for when to call dispatch_due() next, read from the store. Rows of kinds
  // without a sender are not counted.
  std::optional<Timestamp> next_due() const;

  // How many pending rows wait for a kind no sender carries, by kind (read from the
  // store: call it now and then, not every round).
  std::map<std::string, std::int64_t> waiting_for_a_channel() const;

 private:
  struct State;  // shared with the callbacks handed to senders and the store
  std::shared_ptr<State> state_;
};

}  // namespace supportgw
