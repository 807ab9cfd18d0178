#include "core/outbox/outbox_dispatcher.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <mutex>
#include <random>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/intake/follow_up_matcher.hpp"
#include "core/util/error.hpp"

namespace supportgw {

namespace {

// Spread of every retry wait (±20%), so rows that failed together come back apart.
constexpr double kJitter = 0.2;

std::string describe(const sdk::Status& status) {
  std::string text = sdk::to_string(status.code());
  if (!status.message().empty()) {
    text += ": " + status.message();
  }
  return text;
}

std::string exception_text(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

sdk::Delivery failure(sdk::StatusCode code, std::string message) {
  sdk::Delivery delivery;
  delivery.status = sdk::Status(code, std::move(message));
  return delivery;
}

}  // namespace

struct OutboxDispatcher::State : std::enable_shared_from_this<State> {
  struct Route {
    std::shared_ptr<sdk::Sender> sender;
    Post post;
  };

  // A row between hand-out and the commit that settles it.
  struct Flight {
    // Tells this hand-out from a later one of the same row, so a late `done` of an
    // earlier attempt cannot settle the current one.
    std::uint64_t serial = 0;
    std::optional<TicketId> ticket_id;
    std::string kind;
    int attempts = 0;  // before this attempt
    Timestamp handed_out_at{};
    bool settling = false;  // its outcome is decided and submitted
  };

  // What one unit of work records for one attempt.
  struct Outcome {
    OutboxId id = 0;
    std::uint64_t serial = 0;
    std::optional<TicketId> ticket_id;
    std::string kind;
    int attempt = 1;
    Timestamp at{};
    bool delivered = false;
    std::string thread_id;
    std::optional<Timestamp> next_attempt;  // none with !delivered: failed for good
    std::string error;
  };

  struct Job {
    Route route;
    sdk::OutboundMessage message;
    std::uint64_t serial = 0;
  };

  State(Store& store_in, const Clock& clock_in, Options options_in)
      : store(store_in), clock(clock_in), options(options_in), random(std::random_device{}()) {}

  std::chrono::milliseconds backoff_locked(int attempts_before) {
    auto delay = options.first_retry;
    for (int i = 0; i < attempts_before && delay < options.max_retry; ++i) {
      delay = delay > options.max_retry / 2 ? options.max_retry : delay * 2;
    }
    delay = std::min(delay, options.max_retry);
    std::uniform_real_distribution<double> spread(1.0 - kJitter, 1.0 + kJitter);
    return std::chrono::milliseconds(
        static_cast<std::int64_t>(static_cast<double>(delay.count()) * spread(random)));
  }

  // Marks `flight` settling (it stays in flight until the outcome is committed).
  Outcome start_settling_locked(OutboxId id, Flight& flight, Timestamp now) {
    flight.settling = true;
    ++settling;
    Outcome outcome;
    outcome.id = id;
    outcome.serial = flight.serial;
    outcome.ticket_id = flight.ticket_id;
    outcome.kind = flight.kind;
    outcome.attempt = flight.attempts + 1;
    outcome.at = now;
    return outcome;
  }

  // `final_allowed` is false for failures that are no fault of the message (no channel
  // for its kind), which are retried however often they happened.
  Outcome failed_locked(OutboxId id, Flight& flight, Timestamp now, std::string error, bool retry,
                        bool final_allowed) {
    Outcome outcome = start_settling_locked(id, flight, now);
    outcome.error = std::move(error);
    const bool give_up = final_allowed && (!retry || outcome.attempt >= options.max_attempts);
    if (!give_up) {
      outcome.next_attempt = now + backoff_locked(flight.attempts);
    }
    return outcome;
  }

  Outcome answered_locked(OutboxId id, Flight& flight, Timestamp now, sdk::Delivery delivery) {
    if (!delivery.status.ok()) {
      return failed_locked(id, flight, now, describe(delivery.status), delivery.retry, true);
    }
    Outcome outcome = start_settling_locked(id, flight, now);
    outcome.delivered = true;
    outcome.thread_id = std::move(delivery.thread_id);
    return outcome;
  }

  // From a sender's `done` (any thread, any number of times).
  void settle(OutboxId id, std::uint64_t serial, sdk::Delivery delivery) {
    Outcome outcome;
    {
      std::lock_guard lock(mutex);
      if (closed) {
        return;  // the row stays pending in the store and is sent again after a restart
      }
      auto found = flights.find(id);
      if (found == flights.end() || found->second.serial != serial || found->second.settling) {
        return;  // a second `done`, or one after send_timeout released the row
      }
      outcome = answered_locked(id, found->second, clock.now(), std::move(delivery));
    }
    commit(std::move(outcome));
  }

  void commit(Outcome outcome) {
    auto shared = std::make_shared<const Outcome>(std::move(outcome));
    auto self = shared_from_this();
    try {
      store.submit(
          [shared](WriteTransaction& tx) {
            const Outcome& o = *shared;
            if (o.delivered) {
              tx.mark_outbox_sent(o.id, o.at);
              if (!o.thread_id.empty() && o.ticket_id) {
                tx.remember_ticket_key(intake::kThreadKey, o.thread_id, *o.ticket_id);
              }
            } else {
              tx.mark_outbox_attempt_failed(o.id, o.next_attempt, o.error);
            }
          },
          [self, shared](std::exception_ptr error) { self->finish(*shared, error); });
    } catch (...) {
      finish(*shared, std::current_exception());
    }
  }

  // After the commit (or its failure): frees the row's slot and tells the listener.
  void finish(const Outcome& outcome, std::exception_ptr error) {
    Listener told;
    {
      std::lock_guard lock(mutex);
      auto found = flights.find(outcome.id);
      if (found != flights.end() && found->second.serial == outcome.serial) {
        flights.erase(found);
      }
      // The round running now may have read the row before this commit; see dispatch.
      settled_this_round.insert(outcome.id);
      told = listener;
    }
    if (told) {
      OutboxSettled settled;
      settled.id = outcome.id;
      settled.kind = outcome.kind;
      settled.attempt = outcome.attempt;
      settled.error = outcome.error;
      if (error) {
        settled.outcome = OutboxSettled::Outcome::store_error;
        settled.error = exception_text(error);
      } else if (outcome.delivered) {
        settled.outcome = OutboxSettled::Outcome::sent;
      } else if (outcome.next_attempt) {
        settled.outcome = OutboxSettled::Outcome::will_retry;
        settled.next_attempt = outcome.next_attempt;
      } else {
        settled.outcome = OutboxSettled::Outcome::failed;
      }
      try {
        told(settled);
      } catch (...) {
        // The listener runs on the store's writer thread; nothing useful can be done
        // with its failure there, and the outcome is already recorded.
      }
    }
    {
      // Counted down only after the listener so the destructor's wait covers it.
      std::lock_guard lock(mutex);
      --settling;
    }
    changed.notify_all();
  }

  void hand_out(Job job) {
    const OutboxId id = job.message.id;
    const std::uint64_t serial = job.serial;
    const std::string kind = job.message.kind;
    std::weak_ptr<State> weak = weak_from_this();
    auto run = [weak, id, serial, sender = std::move(job.route.sender),
                message = std::move(job.message)]() {
      {
        auto self = weak.lock();
        if (!self || self->is_closed()) {
          return;  // stopped before the channel got to it; the row stays pending
        }
      }
      // Weak, so a sender that keeps `done` forever does not keep the dispatcher alive.
      sdk::Sender::Done done = [weak, id, serial](sdk::Delivery delivery) {
        if (auto self = weak.lock()) {
          self->settle(id, serial, std::move(delivery));
        }
      };
      try {
        sender->send(message, done);
      } catch (const std::exception& e) {
        done(failure(sdk::StatusCode::internal,
                     "the '" + message.kind + "' sender threw: " + e.what()));
      } catch (...) {
        done(failure(sdk::StatusCode::internal,
                     "the '" + message.kind + "' sender threw a non-standard exception"));
      }
    };
    try {
      if (job.route.post) {
        job.route.post(std::move(run));
      } else {
        run();
      }
    } catch (const std::exception& e) {
      settle(id, serial,
             failure(sdk::StatusCode::unavailable,
                     "could not reach the '" + kind + "' channel: " + e.what()));
    } catch (...) {
      settle(id, serial,
             failure(sdk::StatusCode::unavailable, "could not reach the '" + kind + "' channel"));
    }
  }

  bool is_closed() const {
    std::lock_guard lock(mutex);
    return closed;
  }

  // The kinds some sender carries. Rows of other kinds are left alone, pending and
  // untouched, until a channel for them is added: reading them only to record "no
  // channel" would cost a commit per row and round, and with no mail channel that was
  // every acknowledgement of every ticket.
  std::vector<std::string> routed_kinds_locked() const {
    std::vector<std::string> kinds;
    for (const auto& [kind, route] : routes) {
      kinds.push_back(kind);
    }
    return kinds;
  }

  std::size_t dispatch() {
    std::vector<Outcome> released;
    std::vector<std::string> kinds;
    std::size_t in_flight_before = 0;
    Timestamp now{};
    {
      std::lock_guard lock(mutex);
      now = clock.now();
      if (options.send_timeout.count() > 0) {
        for (auto& [id, flight] : flights) {
          if (!flight.settling && now - flight.handed_out_at >= options.send_timeout) {
            released.push_back(
                failed_locked(id, flight, now,
                              "no answer from the '" + flight.kind + "' sender within " +
                                  std::to_string(options.send_timeout.count()) + " ms",
                              true, true));
          }
        }
      }
      // Rows settled from here on may still look pending in the snapshot read below
      // (read before their commit); they are skipped this round. Rows settled before
      // are committed, so the snapshot already shows them as they are now.
      settled_this_round.clear();
      in_flight_before = flights.size();
      kinds = routed_kinds_locked();
    }
    for (Outcome& outcome : released) {
      commit(std::move(outcome));
    }
    if (in_flight_before >= options.max_in_flight || kinds.empty()) {
      return 0;
    }

    struct DueRow {
      OutboxMessage row;
      std::string reference;
    };
    // Rows in flight are due too and come first; reading past them keeps a full batch of
    // fresh rows in reach.
    auto due = store.query([&](ReadTransaction& tx) {
      std::vector<DueRow> rows;
      std::map<TicketId, std::string> references;
      for (OutboxMessage& row : tx.due_outbox(now, options.batch + in_flight_before, kinds)) {
        std::string reference;
        if (row.ticket_id) {
          auto known = references.find(*row.ticket_id);
          if (known == references.end()) {
            const auto ticket = tx.ticket_by_id(*row.ticket_id);
            known = references.emplace(*row.ticket_id, ticket ? ticket->reference : "").first;
          }
          reference = known->second;
        }
        rows.push_back(DueRow{std::move(row), std::move(reference)});
      }
      return rows;
    });

    std::vector<Job> jobs;
    std::vector<Outcome> unrouted;
    {
      std::lock_guard lock(mutex);
      std::size_t taken = 0;
      for (DueRow& due_row : due) {
        if (flights.size() >= options.max_in_flight || taken >= options.batch) {
          break;
        }
        OutboxMessage& row = due_row.row;
        if (flights.contains(row.id) || settled_this_round.contains(row.id)) {
          continue;
        }
        ++taken;
        Flight& flight = flights[row.id];
        flight.serial = next_serial++;
        flight.ticket_id = row.ticket_id;
        flight.kind = row.kind;
        flight.attempts = row.attempts;
        flight.handed_out_at = now;
        const auto route = routes.find(row.kind);
        if (route == routes.end()) {
          // Its sender went away since the read above (clear_senders while reloading).
          // Not the message's fault: retried with backoff, never failed for good.
          unrouted.push_back(failed_locked(
              row.id, flight, now, "no channel carries '" + row.kind + "' messages", true, false));
          continue;
        }
        sdk::OutboundMessage message;
        message.id = row.id;
        message.kind = std::move(row.kind);
        message.recipient = std::move(row.recipient);
        message.subject = std::move(row.subject);
        message.body = std::move(row.body);
        message.ticket_reference = std::move(due_row.reference);
        message.attempt = row.attempts + 1;
        message.idempotency_key = "supportgw-outbox-" + std::to_string(row.id);
        jobs.push_back(Job{route->second, std::move(message), flight.serial});
      }
    }
    for (Outcome& outcome : unrouted) {
      commit(std::move(outcome));
    }
    const std::size_t handed = jobs.size();
    for (Job& job : jobs) {
      hand_out(std::move(job));
    }
    return handed;
  }

  Store& store;
  const Clock& clock;
  const Options options;

  mutable std::mutex mutex;
  std::condition_variable changed;  // a row settled
  std::map<std::string, Route, std::less<>> routes;
  std::unordered_map<OutboxId, Flight> flights;
  std::unordered_set<OutboxId> settled_this_round;
  std::size_t settling = 0;  // outcomes submitted and not yet finished
  std::uint64_t next_serial = 1;
  bool closed = false;
  std::mt19937 random;
  Listener listener;

  // Serialises dispatch rounds, so settled_this_round means "since this round began".
  std::mutex dispatch_mutex;
};

OutboxDispatcher::OutboxDispatcher(Store& store, const Clock& clock, Options options) {
  if (options.batch == 0 || options.max_in_flight == 0) {
    throw InvalidArgument("outbox dispatcher: batch and max_in_flight must be at least 1");
  }
  if (options.first_retry.count() <= 0 || options.max_retry < options.first_retry) {
    throw InvalidArgument(
        "outbox dispatcher: first_retry must be positive and max_retry at least first_retry "
        "(got " +
        std::to_string(options.first_retry.count()) + " ms and " +
        std::to_string(options.max_retry.count()) + " ms)");
  }
  if (options.max_attempts < 1) {
    throw InvalidArgument("outbox dispatcher: max_attempts must be at least 1 (got " +
                          std::to_string(options.max_attempts) + ")");
  }
  if (options.send_timeout.count() < 0) {
    throw InvalidArgument("outbox dispatcher: send_timeout must not be negative");
  }
  state_ = std::make_shared<State>(store, clock, options);
}

OutboxDispatcher::~OutboxDispatcher() {
  std::map<std::string, State::Route, std::less<>> routes;
  Listener listener;
  {
    std::unique_lock lock(state_->mutex);
    state_->closed = true;
    state_->changed.wait(lock, [&] { return state_->settling == 0; });
    routes.swap(state_->routes);
    listener.swap(state_->listener);
  }
  // `routes` and `listener` (plugin and daemon code) are destroyed here, unlocked.
}

void OutboxDispatcher::add_sender(std::string kind, std::shared_ptr<sdk::Sender> sender,
                                  Post post) {
  if (kind.empty()) {
    throw InvalidArgument("outbox dispatcher: a sender needs a message kind");
  }
  if (!sender) {
    throw InvalidArgument("outbox dispatcher: the sender for '" + kind + "' messages is null");
  }
  std::lock_guard lock(state_->mutex);
  if (state_->routes.contains(kind)) {
    throw InvalidArgument("outbox dispatcher: '" + kind +
                          "' messages already have a sender; one channel per kind");
  }
  state_->routes.emplace(std::move(kind), State::Route{std::move(sender), std::move(post)});
}

void OutboxDispatcher::clear_senders() {
  std::map<std::string, State::Route, std::less<>> routes;
  {
    std::lock_guard lock(state_->mutex);
    routes.swap(state_->routes);
  }
}

void OutboxDispatcher::set_listener(Listener listener) {
  std::lock_guard lock(state_->mutex);
  state_->listener.swap(listener);
}

std::size_t OutboxDispatcher::dispatch_due() {
  std::lock_guard round(state_->dispatch_mutex);
  return state_->dispatch();
}

void OutboxDispatcher::wait_idle() {
  std::unique_lock lock(state_->mutex);
  state_->changed.wait(lock, [&] { return state_->flights.empty() && state_->settling == 0; });
}

bool OutboxDispatcher::wait_idle_for(std::chrono::milliseconds limit) {
  std::unique_lock lock(state_->mutex);
  return state_->changed.wait_for(lock, limit,
                                  [&] { return state_->flights.empty() && state_->settling == 0; });
}

std::size_t OutboxDispatcher::in_flight() const {
  std::lock_guard lock(state_->mutex);
  return state_->flights.size();
}

std::optional<Timestamp> OutboxDispatcher::next_due() const {
  std::unordered_set<OutboxId> busy;
  std::vector<std::string> kinds;
  {
    std::lock_guard lock(state_->mutex);
    for (const auto& [id, flight] : state_->flights) {
      busy.insert(id);
    }
    kinds = state_->routed_kinds_locked();
  }
  if (kinds.empty()) {
    return std::nullopt;
  }
  // Pending rows come by next attempt; at most every row in flight precedes the answer.
  const auto rows = state_->store.query(
      [&](ReadTransaction& tx) { return tx.due_outbox(Timestamp::max(), busy.size() + 1, kinds); });
  for (const OutboxMessage& row : rows) {
    if (!busy.contains(row.id)) {
      return row.next_attempt_at;
    }
  }
  return std::nullopt;
}

std::map<std::string, std::int64_t> OutboxDispatcher::waiting_for_a_channel() const {
  std::vector<std::string> kinds;
  {
    std::lock_guard lock(state_->mutex);
    kinds = state_->routed_kinds_locked();
  }
  auto pending =
      state_->store.query([](ReadTransaction& tx) { return tx.pending_outbox_by_kind(); });
  for (const std::string& kind : kinds) {
    pending.erase(kind);
  }
  return pending;
}

}  // namespace supportgw
