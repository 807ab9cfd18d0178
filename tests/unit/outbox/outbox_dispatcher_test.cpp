#include "core/outbox/outbox_dispatcher.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "core/intake/follow_up_matcher.hpp"
#include "core/util/error.hpp"
#include "tests/support/manual_clock.hpp"
#include "tests/support/store_fixture.hpp"

namespace supportgw {
namespace {

using namespace std::chrono_literals;
using testing::ManualClock;
using testing::StoreFixture;

sdk::Delivery delivered(std::string thread_id = {}) {
  sdk::Delivery delivery;
  delivery.thread_id = std::move(thread_id);
  return delivery;
}

sdk::Delivery refused(std::string why, bool retry = true) {
  sdk::Delivery delivery;
  delivery.status = sdk::Status(sdk::StatusCode::unavailable, std::move(why));
  delivery.retry = retry;
  return delivery;
}

// Answers every message at once, inline, with what `answer` says (delivered by default).
class AnsweringSender final : public sdk::Sender {
 public:
  using Answer = std::function<sdk::Delivery(const sdk::OutboundMessage&, int call)>;
  explicit AnsweringSender(Answer answer = {}) : answer_(std::move(answer)) {}

  void send(const sdk::OutboundMessage& message, Done done) override {
    int call = 0;
    {
      std::lock_guard lock(mutex_);
      seen_.push_back(message);
      call = static_cast<int>(seen_.size());
    }
    done(answer_ ? answer_(message, call) : delivered());
  }

  std::vector<sdk::OutboundMessage> seen() const {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  Answer answer_;
  mutable std::mutex mutex_;
  std::vector<sdk::OutboundMessage> seen_;
};

// Keeps every message with its `done` until the test answers it.
class HoldingSender final : public sdk::Sender {
 public:
  void send(const sdk::OutboundMessage& message, Done done) override {
    std::lock_guard lock(mutex_);
    held_.push_back({message, std::move(done)});
  }
  std::size_t held() const {
    std::lock_guard lock(mutex_);
    return held_.size();
  }
  const sdk::OutboundMessage message(std::size_t i) const {
    std::lock_guard lock(mutex_);
    return held_.at(i).message;
  }
  // Calls the i-th message's `done` (again, if the test says so).
  void answer(std::size_t i, sdk::Delivery delivery) {
    Done done;
    {
      std::lock_guard lock(mutex_);
      done = held_.at(i).done;
    }
    done(std::move(delivery));
  }

 private:
  struct Held {
    sdk::OutboundMessage message;
    Done done;
  };
  mutable std::mutex mutex_;
  std::vector<Held> held_;
};

// Runs posted functions on its own thread, in order: a channel's executor, or the
// network a sender waits on.
class WorkerThread {
 public:
  WorkerThread() : thread_([this] { run(); }) {}
  ~WorkerThread() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_one();
    thread_.join();
  }
  void post(std::function<void()> work) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(work));
    }
    ready_.notify_one();
  }

 private:
  void run() {
    for (;;) {
      std::function<void()> work;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) {
          return;
        }
        work = std::move(queue_.front());
        queue_.pop_front();
      }
      work();
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

// What the dispatcher reported settling, and a way to wait for it.
class SettledLog {
 public:
  OutboxDispatcher::Listener listener() {
    return [this](const OutboxSettled& settled) {
      {
        std::lock_guard lock(mutex_);
        all_.push_back(settled);
      }
      changed_.notify_all();
    };
  }
  // True once at least `count` attempts have settled; the limit only guards against a
  // hanging test.
  bool wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 60s, [&] { return all_.size() >= count; });
  }
  std::vector<OutboxSettled> all() const {
    std::lock_guard lock(mutex_);
    return all_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<OutboxSettled> all_;
};

class OutboxDispatcherTest : public ::testing::Test {
 protected:
  OutboxDispatcherTest() : clock_(fixture_.now()), ticket_(fixture_.create().ticket) {}

  // A row about ticket_ (or about no ticket with `about_ticket` false).
  OutboxId enqueue(std::string kind = "mail", std::optional<Timestamp> not_before = {},
                   bool about_ticket = true) {
    NewOutboxMessage message;
    if (about_ticket) {
      message.ticket_id = ticket_.id;
    }
    message.kind = std::move(kind);
    message.recipient = "ann@example.test";
    message.subject = "[" + ticket_.reference + "] Printer on fire";
    message.body = "We are on it.";
    message.not_before = not_before;
    return store().write(
        [&](WriteTransaction& tx) { return tx.enqueue_outbox(message, clock_.now()); });
  }
  std::vector<OutboxId> enqueue_many(std::size_t count) {
    std::vector<OutboxId> ids;
    for (std::size_t i = 0; i < count; ++i) {
      ids.push_back(enqueue());
    }
    return ids;
  }
  OutboxMessage row(OutboxId id) {
    for (const OutboxMessage& message :
         store().query([&](ReadTransaction& tx) { return tx.ticket_outbox(ticket_.id); })) {
      if (message.id == id) {
        return message;
      }
    }
    throw NotFound("outbox row " + std::to_string(id));
  }
  std::unique_ptr<OutboxDispatcher> make(OutboxDispatcherOptions options = {}) {
    auto dispatcher = std::make_unique<OutboxDispatcher>(store(), clock_, options);
    dispatcher->set_listener(settled_.listener());
    return dispatcher;
  }
  Store& store() { return fixture_.store(); }

  StoreFixture fixture_;
  ManualClock clock_;
  Ticket ticket_;
  SettledLog settled_;
};

TEST_F(OutboxDispatcherTest, DeliversEveryDueRowOnceAndMarksItSent) {
  const auto ids = enqueue_many(3);
  auto sender = std::make_shared<AnsweringSender>();
  auto dispatcher = make();
  dispatcher->add_sender("mail", sender, {});

  EXPECT_EQ(dispatcher->dispatch_due(), 3u);
  dispatcher->wait_idle();
  EXPECT_EQ(dispatcher->in_flight(), 0u);
  EXPECT_EQ(dispatcher->dispatch_due(), 0u);

  const auto seen = sender->seen();
  ASSERT_EQ(seen.size(), 3u);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(seen[i].id, ids[i]);
    EXPECT_EQ(seen[i].kind, "mail");
    EXPECT_EQ(seen[i].recipient, "ann@example.test");
    EXPECT_EQ(seen[i].body, "We are on it.");
    EXPECT_EQ(seen[i].ticket_reference, ticket_.reference);
    EXPECT_EQ(seen[i].attempt, 1);
    EXPECT_EQ(seen[i].idempotency_key, "supportgw-outbox-" + std::to_string(ids[i]));
    const OutboxMessage stored = row(ids[i]);
    EXPECT_EQ(stored.status, OutboxStatus::sent);
    EXPECT_EQ(stored.attempts, 1);
  }
  ASSERT_EQ(settled_.all().size(), 3u);
  for (const OutboxSettled& settled : settled_.all()) {
    EXPECT_EQ(settled.outcome, OutboxSettled::Outcome::sent);
  }
}

TEST_F(OutboxDispatcherTest, RowsWithoutATicketGoOutWithoutAReference) {
  const OutboxId id = enqueue("mail", std::nullopt, false);
  auto sender = std::make_shared<AnsweringSender>();
  auto dispatcher = make();
  dispatcher->add_sender("mail", sender, {});
  EXPECT_EQ(dispatcher->dispatch_due(), 1u);
  dispatcher->wait_idle();
  ASSERT_EQ(sender->seen().size(), 1u);
  EXPECT_EQ(sender->seen()[0].id, id);
  EXPECT_EQ(sender->seen()[0].ticket_reference, "");
  EXPECT_TRUE(store()
                  .query([&](ReadTransaction& tx) { return tx.due_outbox(Timestamp::max(), 10); })
                  .empty());
}

TEST_F(OutboxDispatcherTest, FailedSendsAreRetriedWithGrowingBackoffUntilSent) {
  const OutboxId id = enqueue();
  auto sender = std::make_shared<AnsweringSender>([](const sdk::OutboundMessage&, int call) {
    return call <= 2 ? refused("relay.example.test:25: connection refused") : delivered();
  });
  auto dispatcher = make();
  dispatcher->add_sender("mail", sender, {});

  const Timestamp first_try = clock_.now();
  EXPECT_EQ(dispatcher->dispatch_due(), 1u);
  dispatcher->wait_idle();
  OutboxMessage stored = row(id);
  EXPECT_EQ(stored.status, OutboxStatus::pending);
  EXPECT_EQ(stored.attempts, 1);
  EXPECT_NE(stored.last_error.find("connection refused"), std::string::npos) << stored.last_error;
  const auto first_wait = stored.next_attempt_at - first_try;
  EXPECT_GE(first_wait, 4s);  // 5 s ± 20%
  EXPECT_LE(first_wait, 6s);

  // Not due again before the backoff has passed.
  EXPECT_EQ(dispatcher->dispatch_due(), 0u);
  clock_.set(stored.next_attempt_at - 1ms);
  EXPECT_EQ(dispatcher->dispatch_due(), 0u);

  clock_.set(stored.next_attempt_at);
  const Timestamp second_try = clock_.now();
  EXPECT_EQ(dispatcher->dispatch_due(), 1u);
  dispatcher->wait_idle();
  stored = row(id);
  EXPECT_EQ(stored.status, OutboxStatus::pending);
  EXPECT_EQ(stored.attempts, 2);
  const auto second_wait = stored.next_attempt_at - second_try;
  EXPECT_GE(second_wait, 8s);  // 10 s ± 20%
  EXPECT_LE(second_wait, 12s);
  EXPECT_GT(second_wait, first_wait);

  clock_.set(stored.next_attempt_at);
  EXPECT_EQ(dispatcher->dispatch_due(), 1u);
  dispatcher->wait_idle();
  stored = row(id);
  EXPECT_EQ(stored.status, OutboxStatus::sent);
  EXPECT_EQ(stored.attempts, 3);

  clock_.advance(24h);
  EXPECT_EQ(dispatcher->dispatch_due(), 0u);
  dispatcher->wait_idle();
  const auto seen = sender->seen();
  ASSERT_EQ(seen.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(seen[i].attempt, i + 1);
    EXPECT_EQ(seen[i].idempotency_key, seen[0].idempotency_key);
  }
  const auto log = settled_.all();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].outcome, OutboxSettled::Outcome::will_retry);
  EXPECT_EQ(log[1].outcome, OutboxSettled::Outcome::will_retry);
  EXPECT_EQ(log[2].outcome, OutboxSettled::Outcome::sent);
}

TEST_F(OutboxDispatcherTest, BackoffStopsGrowingAtMaxRetry) {
  const OutboxId id = enqueue();
  auto sender = std::make_shared<AnsweringSender>(
      [](const sdk::OutboundMessage&, int) { return refused("still down"); });
  OutboxDispatcherOptions options;
  options.first_retry = 1s;
  options.max_retry = 4s;
  options.max_attempts = 100;
  auto dispatcher = make(options);
  dispatcher->add_sender("mail", sender, {});
  for (int attempt = 1; attempt <= 6; ++attempt) {
    const Timestamp tried = clock_.now();
    ASSERT_EQ(dispatcher->dispatch_due(), 1u) << "attempt " << attempt;
    dispatcher->wait_idle();
    const OutboxMessage stored = row(id);
    EXPECT_LE(stored.next_attempt_at - tried, 4800ms) << "attempt " << attempt;  // 4 s + 20%
    clock_.set(stored.next_attempt_at);
  }
}

TEST_F(OutboxDispatcherTest, AFailureThatRetryingCannotHelpFailsAtOnce) {
  const OutboxId id = enqueue();
  auto sender = std::make_shared<AnsweringSender>([](const sdk::OutboundMessage&, int) {
    return refused("recipient 'ann@' is not an address", false);
  });
  auto dispatcher = make();
  dispatcher->add_sender("mail", sender, {});
  EXPECT_EQ(dispatcher->dispatch_due(), 1u);
  dispatcher->wait_idle();
  const OutboxMessage stored = row(id);
  EXPECT_EQ(stored.status, OutboxStatus::failed);
  EXPECT_EQ(stored.attempts, 1);
  EXPECT_NE(stored.last_error.find("not an address"), std::string::npos);
  clock_.advance(24h);
  EXPECT_EQ(dispatcher->dispatch_due(), 0u);
  ASSERT_EQ(settled_.all().size(), 1u);
  EXPECT_EQ(settled_.all()[0].outcome, OutboxSettled::Outcome::failed);
}

TEST_F(OutboxDispatcherTest, GivesUpAfterMaxAttempts) {
  const OutboxId id = enqueue();
  auto sender = std::make_shared<AnsweringSender>(
      [](const sdk::OutboundMessage&, int) { return refused("relay down"); });
  OutboxDispatcherOptions options;
  options.max_attempts = 3;
  auto dispatcher = make(options);
  dispatcher->add_sender("mail", sender, {});
  for (int attempt = 1; attempt <= 3; ++attempt) {
    EXPECT_EQ(dispatcher->dispatch_due(), 1u) << "attempt " << attempt;
    dispatcher->wait_idle();
    clock_.advance(1h);
  }
  const OutboxMessage stored = row(id);
  EXPECT_EQ(stored.status, OutboxStatus::failed);
  EXPECT_EQ(stored.attempts, 3);
  EXPECT_EQ(dispatcher->dispatch_due(), 0u);
  EXPECT_EQ(sender->seen().size(), 3u);
}

TEST_F(OutboxDispatcherTest, ASenderThatThrowsCountsAsAFailedAttempt) {
  class ThrowingSender final : public sdk::Sender {
   public:
    void send(const sdk::OutboundMessage&, Done) override {
      throw std::runtime_error("smtp client not initialised");
    }
  };
  const OutboxId id = enqueue();
  auto dispatcher = make();
  dispatcher->add_sender("mail", std::make_shared<ThrowingSender>(), {});
  EXPECT_EQ(dispatcher->dispatch_due(), 1u);
  dispatcher->wait_idle();
  const OutboxMessage stored = row(id);
  EXPECT_EQ(stored.status, OutboxStatus::pending);
  EXPECT_EQ(stored.attempts, 1);
  EXPECT_NE(stored.last_error.find("smtp client not initialised"), std::string::npos)
      << stored.last_error;
  EXPECT_GT(stored.next_attempt_at, clock_.now());
}

TEST_F(OutboxDispatcherTest, APostThatThrowsCountsAsAFailedAttempt) {
  const OutboxId id = enqueue();
  auto dispatcher = make();
  dispatcher->add_sender("mail", std::make_shared<AnsweringSender>(), [](std::function<void()>) {
    throw std::runtime_error("executor stopped");
  });
  EXPECT_EQ(dispatcher->dispatch_due(), 1u);
  dispatcher->wait_idle();
  const OutboxMessage stored = row(id);
  EXPECT_EQ(stored.status, OutboxStatus::pending);
  EXPECT_EQ(stored.attempts, 1);
  EXPECT_NE(stored.last_error.find("executor stopped"), std::string::npos) << stored.last_error;
}

TEST_F(OutboxDispatcherTest, ASecondDoneIsIgnored) {
  const OutboxId id = enqueue();
  auto sender = std::make_shared<HoldingSender>();
  auto dispatcher = make();
  dispatcher->add_sender("mail", sender, {});
  EXPECT_EQ(dispatcher->dispatch_due(), 1u);
  sender->answer(0, delivered());
  sender->answer(0, refused("changed my mind"));
  dispatcher->wait_idle();
  sender->answer(0, refused("and again"));
  dispatcher->wait_idle();
  const OutboxMessage stored = row(id);
  EXPECT_EQ(stored.status, OutboxStatus::sent);
  EXPECT_EQ(stored.attempts, 1);
  EXPECT_EQ(stored.last_error, "");
  EXPECT_EQ(settled_.all().size(), 1u);
}

TEST_F(OutboxDispatcherTest, AKindWithoutSenderWaitsUntouchedUntilAChannelCarriesIt) {
  const OutboxId id = enqueue("page");
  const OutboxId mail = enqueue("mail");
  OutboxDispatcherOptions options;
  options.max_attempts = 2;
  auto dispatcher = make(options);
  auto mailer = std::make_shared<AnsweringSender>();
  dispatcher->add_sender("mail", mailer, {});

  // However long the channel is missing, the row is neither tried nor failed: it costs
  // no commit per round, and it keeps every attempt for when it can be sent.
  for (int round = 0; round < 4; ++round) {
    EXPECT_EQ(dispatcher->dispatch_due(), round == 0 ? 1u : 0u);
    dispatcher->wait_idle();
    clock_.advance(1h);
  }
  EXPECT_EQ(row(mail).status, OutboxStatus::sent);
  OutboxMessage stored = row(id);
  EXPECT_EQ(stored.status, OutboxStatus::pending);
  EXPECT_EQ(stored.attempts, 0);
  EXPECT_EQ(stored.last_error, "");
  EXPECT_EQ(dispatcher->waiting_for_a_channel(),
            (std::map<std::string, std::int64_t>{{"page", 1}}));
  ASSERT_TRUE(dispatcher->next_due() == std::nullopt) << "a row no sender carries looked due";

  auto pager = std::make_shared<AnsweringSender>();
  dispatcher->add_sender("page", pager, {});
  EXPECT_TRUE(dispatcher->waiting_for_a_channel().empty());
  EXPECT_EQ(dispatcher->next_due(), stored.next_attempt_at);
  EXPECT_EQ(dispatcher->dispatch_due(), 1u);
  dispatcher->wait_idle();
  EXPECT_EQ(row(id).status, OutboxStatus::sent);
  ASSERT_EQ(pager->seen().size(), 1u);
  EXPECT_EQ(pager->seen()[0].attempt, 1);
}

TEST_F(OutboxDispatcherTest, OneSenderPerKind) {
  auto dispatcher = make();
  dispatcher->add_sender("mail", std::make_shared<AnsweringSender>(), {});
  try {
    dispatcher->add_sender("mail", std::make_shared<AnsweringSender>(), {});
    FAIL() << "a second sender for 'mail' was accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("'mail'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(dispatcher->add_sender("page", nullptr, {}), InvalidArgument);
  EXPECT_THROW(dispatcher->add_sender("", std::make_shared<AnsweringSender>(), {}),
               InvalidArgument);
  dispatcher->clear_senders();
  dispatcher->add_sender("mail", std::make_shared<AnsweringSender>(), {});
}

TEST_F(OutboxDispatcherTest, OptionsThatCannotWorkAreRefused) {
  OutboxDispatcherOptions options;
  options.max_in_flight = 0;
  EXPECT_THROW(OutboxDispatcher(store(), clock_, options), InvalidArgument);
  options = {};
  options.max_retry = 1s;
  EXPECT_THROW(OutboxDispatcher(store(), clock_, options), InvalidArgument);
  options = {};
  options.max_attempts = 0;
  EXPECT_THROW(OutboxDispatcher(store(), clock_, options), InvalidArgument);
}

TEST_F(OutboxDispatcherTest, ManyRowsAnsweredFromOtherThreadsNeverExceedMaxInFlight) {
  constexpr std::size_t kRows = 500;
  constexpr std::size_t kMaxInFlight = 16;

  // Sends on a channel executor, answers from a "network" thread.
  class AsyncSender final : public sdk::Sender {
   public:
    explicit AsyncSender(WorkerThread& network) : network_(network) {}
    void send(const sdk::OutboundMessage& message, Done done) override {
      {
        std::lock_guard lock(mutex_);
        ++outstanding_;
        most_outstanding_ = std::max(most_outstanding_, outstanding_);
      }
      network_.post([this, id = message.id, done = std::move(done)] {
        {
          std::lock_guard lock(mutex_);
          --outstanding_;
          delivered_.push_back(id);
        }
        done(delivered());
      });
    }
    std::size_t most_outstanding() const {
      std::lock_guard lock(mutex_);
      return most_outstanding_;
    }
    std::vector<OutboxId> delivered_ids() const {
      std::lock_guard lock(mutex_);
      return delivered_;
    }

   private:
    WorkerThread& network_;
    mutable std::mutex mutex_;
    std::size_t outstanding_ = 0;
    std::size_t most_outstanding_ = 0;
    std::vector<OutboxId> delivered_;
  };

  const auto ids = store().write([&](WriteTransaction& tx) {
    std::vector<OutboxId> made;
    for (std::size_t i = 0; i < kRows; ++i) {
      made.push_back(tx.enqueue_outbox(
          NewOutboxMessage{ticket_.id, "mail", "ann@example.test", "s", "b", std::nullopt},
          clock_.now()));
    }
    return made;
  });

  WorkerThread network;
  WorkerThread executor;
  auto sender = std::make_shared<AsyncSender>(network);
  OutboxDispatcherOptions options;
  options.max_in_flight = kMaxInFlight;
  options.batch = 50;
  auto dispatcher = make(options);
  dispatcher->add_sender(
      "mail", sender, [&executor](std::function<void()> work) { executor.post(std::move(work)); });

  // The daemon's loop: dispatch, wait for an attempt to settle (a slot to free), again.
  std::size_t handed = 0;
  while (settled_.all().size() < kRows) {
    const std::size_t settled_before = settled_.all().size();
    handed += dispatcher->dispatch_due();
    EXPECT_LE(dispatcher->in_flight(), kMaxInFlight);
    ASSERT_TRUE(settled_.wait_for(std::min(settled_before + 1, kRows)))
        << "nothing settled; " << dispatcher->in_flight() << " in flight";
  }
  dispatcher->wait_idle();

  EXPECT_EQ(handed, kRows);
  EXPECT_LE(sender->most_outstanding(), kMaxInFlight);
  auto delivered_ids = sender->delivered_ids();
  EXPECT_EQ(delivered_ids.size(), kRows);
  std::sort(delivered_ids.begin(), delivered_ids.end());
  EXPECT_EQ(delivered_ids, ids);  // each row exactly once
  for (const OutboxMessage& message :
       store().query([&](ReadTransaction& tx) { return tx.ticket_outbox(ticket_.id); })) {
    EXPECT_EQ(message.status, OutboxStatus::sent) << "row " << message.id;
    EXPECT_EQ(message.attempts, 1) << "row " << message.id;
  }
  EXPECT_EQ(dispatcher->dispatch_due(), 0u);
}

TEST_F(OutboxDispatcherTest, TheThreadIdASenderReportsFindsTheTicket) {
  enqueue();
  const std::string thread_id = "supportgw-outbox-1.7f3a@gateway.example.test";
  auto sender = std::make_shared<AnsweringSender>(
      [&](const sdk::OutboundMessage&, int) { return delivered(thread_id); });
  auto dispatcher = make();
  dispatcher->add_sender("mail", sender, {});
  EXPECT_EQ(dispatcher->dispatch_due(), 1u);
  dispatcher->wait_idle();
  const auto found = store().query(
      [&](ReadTransaction& tx) { return tx.ticket_by_key(intake::kThreadKey, thread_id); });
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, ticket_.id);
}

TEST_F(OutboxDispatcherTest, AfterARestartOnlyTheUnconfirmedRowsAreSentAgain) {
  const auto ids = enqueue_many(6);
  std::set<OutboxId> unconfirmed;
  {
    auto sender = std::make_shared<HoldingSender>();
    auto dispatcher = make();
    dispatcher->add_sender("mail", sender, {});
    ASSERT_EQ(dispatcher->dispatch_due(), 6u);
    ASSERT_EQ(sender->held(), 6u);
    for (std::size_t i = 0; i < 6; ++i) {
      if (i % 2 == 0) {
        sender->answer(i, delivered());
      } else {
        unconfirmed.insert(sender->message(i).id);
      }
    }
    ASSERT_TRUE(settled_.wait_for(3));
    EXPECT_EQ(dispatcher->in_flight(), 3u);
    // The "crash": the dispatcher goes away with three rows delivered but unconfirmed.
    dispatcher.reset();
    // A sender answering after that is harmless and records nothing.
    sender->answer(1, delivered());
    sender->answer(3, refused("late"));
  }
  fixture_.reopen();

  auto sender = std::make_shared<AnsweringSender>();
  auto dispatcher = make();
  dispatcher->add_sender("mail", sender, {});
  EXPECT_EQ(dispatcher->dispatch_due(), 3u);
  dispatcher->wait_idle();
  std::set<OutboxId> resent;
  for (const sdk::OutboundMessage& message : sender->seen()) {
    resent.insert(message.id);
    EXPECT_EQ(message.attempt, 1);  // the unconfirmed try was never recorded
    EXPECT_EQ(message.idempotency_key, "supportgw-outbox-" + std::to_string(message.id));
  }
  EXPECT_EQ(resent, unconfirmed);
  for (OutboxId id : ids) {
    EXPECT_EQ(row(id).status, OutboxStatus::sent) << "row " << id;
    EXPECT_EQ(row(id).attempts, 1) << "row " << id;
  }
  clock_.advance(24h);
  EXPECT_EQ(dispatcher->dispatch_due(), 0u);
}

TEST_F(OutboxDispatcherTest, HeldRowsWaitForTheirTime) {
  const Timestamp morning = clock_.now() + 8h;
  const OutboxId held = enqueue("mail", morning);
  auto sender = std::make_shared<AnsweringSender>();
  auto dispatcher = make();
  dispatcher->add_sender("mail", sender, {});

  EXPECT_EQ(dispatcher->dispatch_due(), 0u);
  EXPECT_EQ(dispatcher->next_due(), morning);
  clock_.set(morning - 1ms);
  EXPECT_EQ(dispatcher->dispatch_due(), 0u);
  EXPECT_TRUE(sender->seen().empty());
  EXPECT_EQ(row(held).status, OutboxStatus::pending);
  EXPECT_EQ(row(held).attempts, 0);

  clock_.set(morning);
  EXPECT_EQ(dispatcher->dispatch_due(), 1u);
  dispatcher->wait_idle();
  EXPECT_EQ(row(held).status, OutboxStatus::sent);
  EXPECT_EQ(dispatcher->next_due(), std::nullopt);
}

TEST_F(OutboxDispatcherTest, NextDueSkipsRowsInFlight) {
  enqueue();
  const OutboxId later = enqueue("mail", clock_.now() + 1h);
  auto sender = std::make_shared<HoldingSender>();
  auto dispatcher = make();
  dispatcher->add_sender("mail", sender, {});
  EXPECT_EQ(dispatcher->next_due(), clock_.now());
  EXPECT_EQ(dispatcher->dispatch_due(), 1u);
  EXPECT_EQ(dispatcher->next_due(), row(later).next_attempt_at);
  sender->answer(0, delivered());
  dispatcher->wait_idle();
}

TEST_F(OutboxDispatcherTest, ASenderThatNeverAnswersIsReleasedAfterSendTimeout) {
  const OutboxId id = enqueue();
  auto sender = std::make_shared<HoldingSender>();
  OutboxDispatcherOptions options;
  options.send_timeout = 1min;
  auto dispatcher = make(options);
  dispatcher->add_sender("mail", sender, {});

  EXPECT_EQ(dispatcher->dispatch_due(), 1u);
  clock_.advance(59s);
  EXPECT_EQ(dispatcher->dispatch_due(), 0u);
  EXPECT_EQ(dispatcher->in_flight(), 1u);

  clock_.advance(1s);
  EXPECT_EQ(dispatcher->dispatch_due(), 0u);  // released now, due again after the backoff
  dispatcher->wait_idle();
  OutboxMessage stored = row(id);
  EXPECT_EQ(stored.status, OutboxStatus::pending);
  EXPECT_EQ(stored.attempts, 1);
  EXPECT_NE(stored.last_error.find("no answer from the 'mail' sender"), std::string::npos)
      << stored.last_error;

  // The first try answering late changes nothing: it was already counted as failed.
  sender->answer(0, delivered());
  dispatcher->wait_idle();
  EXPECT_EQ(row(id).status, OutboxStatus::pending);

  clock_.set(stored.next_attempt_at);
  EXPECT_EQ(dispatcher->dispatch_due(), 1u);
  ASSERT_EQ(sender->held(), 2u);
  EXPECT_EQ(sender->message(1).attempt, 2);
  sender->answer(1, delivered());
  dispatcher->wait_idle();
  stored = row(id);
  EXPECT_EQ(stored.status, OutboxStatus::sent);
  EXPECT_EQ(stored.attempts, 2);
}

TEST_F(OutboxDispatcherTest, AnOutcomeTheStoreRefusesIsReportedAndFreesTheSlot) {
  const OutboxId id = enqueue();
  auto sender = std::make_shared<HoldingSender>();
  auto dispatcher = make();
  dispatcher->add_sender("mail", sender, {});
  EXPECT_EQ(dispatcher->dispatch_due(), 1u);
  // Someone else (a CLI, another process) settles the row meanwhile.
  store().write([&](WriteTransaction& tx) {
    tx.mark_outbox_attempt_failed(id, std::nullopt, "cancelled by an operator");
  });
  sender->answer(0, delivered());
  dispatcher->wait_idle();
  EXPECT_EQ(dispatcher->in_flight(), 0u);
  ASSERT_EQ(settled_.all().size(), 1u);
  EXPECT_EQ(settled_.all()[0].outcome, OutboxSettled::Outcome::store_error);
  EXPECT_NE(settled_.all()[0].error.find("not pending"), std::string::npos)
      << settled_.all()[0].error;
  EXPECT_EQ(row(id).status, OutboxStatus::failed);
}

}  // namespace
}  // namespace supportgw
