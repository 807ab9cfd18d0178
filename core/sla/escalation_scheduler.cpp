#include "core/sla/escalation_scheduler.hpp"

#include <future>

namespace supportgw::sla {

EscalationScheduler::EscalationScheduler(Store& store, const SlaEngine& engine)
    : store_(store), engine_(engine) {}

void EscalationScheduler::push_locked(const ScheduledAction& action) {
  queue_.push(Entry{action.due_at, action.id});
  highest_id_ = std::max(highest_id_, action.id);
}

std::size_t EscalationScheduler::load() { return poll_store(); }

std::size_t EscalationScheduler::poll_store() {
  // Pages keep one read transaction short however large the schedule is.
  constexpr std::size_t kPage = 50'000;
  std::size_t total = 0;
  for (;;) {
    std::int64_t after = 0;
    {
      std::lock_guard lock(mutex_);
      after = highest_id_;
    }
    const auto page =
        store_.query([&](ReadTransaction& tx) { return tx.pending_actions_after(after, kPage); });
    {
      std::lock_guard lock(mutex_);
      for (const ScheduledAction& action : page) {
        push_locked(action);
      }
    }
    total += page.size();
    if (page.size() < kPage) {
      return total;
    }
  }
}

void EscalationScheduler::add(const NewActions& actions) {
  std::lock_guard lock(mutex_);
  for (const ScheduledAction& action : actions) {
    push_locked(action);
  }
}

std::optional<Timestamp> EscalationScheduler::next_due() const {
  std::lock_guard lock(mutex_);
  if (queue_.empty()) {
    return std::nullopt;
  }
  return queue_.top().due_at;
}

std::size_t EscalationScheduler::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

std::vector<EscalationScheduler::Fired> EscalationScheduler::run_due(Timestamp now) {
  std::lock_guard run_lock(run_mutex_);
  std::vector<Fired> fired;
  for (;;) {
    std::vector<std::int64_t> due;
    {
      std::lock_guard lock(mutex_);
      while (!queue_.empty() && queue_.top().due_at <= now) {
        due.push_back(queue_.top().id);
        queue_.pop();
      }
    }
    if (due.empty()) {
      return fired;
    }
    // One unit per action, all submitted at once: they run in this (due) order on the
    // writer thread and share its commits; a failing action rolls back alone.
    std::vector<std::optional<Fired>> outcomes(due.size());
    std::vector<std::promise<std::exception_ptr>> done(due.size());
    for (std::size_t i = 0; i < due.size(); ++i) {
      store_.submit(
          [this, id = due[i], now, &outcomes, i](WriteTransaction& tx) {
            outcomes[i].reset();  // set afresh if the unit runs again (store.hpp)
            const auto action = tx.scheduled_action(id);
            if (!action || action->status != ScheduleStatus::pending) {
              return;  // done already, here or by another process
            }
            outcomes[i] = Fired{*action, engine_.fire(tx, *action, now)};
          },
          [&done, i](std::exception_ptr error) { done[i].set_value(error); });
    }
    std::exception_ptr first_error;
    for (std::size_t i = 0; i < due.size(); ++i) {
      const auto error = done[i].get_future().get();
      if (error) {
        // The action stays pending in the store; queue it again for the next run.
        outcomes[i].reset();
        if (!first_error) {
          first_error = error;
        }
        std::lock_guard lock(mutex_);
        queue_.push(Entry{now + std::chrono::seconds(30), due[i]});
        continue;
      }
      if (outcomes[i]) {
        add(outcomes[i]->result.scheduled);
        fired.push_back(std::move(*outcomes[i]));
      }
    }
    if (first_error) {
      std::rethrow_exception(first_error);
    }
  }
}

}  // namespace supportgw::sla
