#pragma once
// Fires scheduled SLA breaches, escalation steps and re-pages when they are due.
//
// The queue is a min-heap of (due instant, action id) in memory, loaded from the store
// at start-up and fed by every change that schedules something. Asking what is due
// costs O(log n) per due action and nothing per open ticket, so a scheduler step when
// nothing is due is constant however many tickets are open.
//
// Exactly once: an action is fired inside a unit of work that first checks it is still
// pending and then, in the same transaction, writes its events and outbox rows and
// marks it done. A crash before the commit leaves it pending (it fires after the
// restart, marked late); after the commit it is never fired again — even by a second
// scheduler in another process. Due actions are submitted together, in due order, so
// they run in that order and share commits.
//
// Thread-safety: every member may be called from any thread; run_due() calls are
// serialised internally. The store and engine must outlive the scheduler.

#include <cstddef>
#include <mutex>
#include <optional>
#include <queue>
#include <vector>

#include "core/sla/sla_engine.hpp"
#include "core/store/store.hpp"

namespace supportgw::sla {

class EscalationScheduler {
 public:
  struct Fired {
    ScheduledAction action;
    FireResult result;
  };

  EscalationScheduler(Store& store, const SlaEngine& engine);

  // Queues every pending action in the store (in pages); returns how many were queued.
  std::size_t load();
  // Queues actions that a committed change scheduled.
  void add(const NewActions& actions);
  // Queues pending actions with ids above the highest seen: work other processes
  // scheduled (a CLI beside the daemon). Returns how many.
  std::size_t poll_store();

  std::optional<Timestamp> next_due() const;
  std::size_t queued() const;

  // Fires every queued action due at or before `now`, oldest first, and what those
  // firings schedule if it is due by `now` as well. Returns what was done (actions
  // found stale are not listed).
  std::vector<Fired> run_due(Timestamp now);

 private:
  struct Entry {
    Timestamp due_at;
    std::int64_t id;
    bool operator>(const Entry& other) const {
      return due_at != other.due_at ? due_at > other.due_at : id > other.id;
    }
  };

  void push_locked(const ScheduledAction& action);

  Store& store_;
  const SlaEngine& engine_;
  mutable std::mutex mutex_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue_;
  std::int64_t highest_id_ = 0;
  std::mutex run_mutex_;
};

}  // namespace supportgw::sla
