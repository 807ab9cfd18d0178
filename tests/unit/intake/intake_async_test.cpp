// Intake::submit_async: the completion comes once, on the store's writer thread, after
// the durable commit and after the listener heard of the scheduled actions; a refused
// message reaches it as the exception, with nothing written.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "core/util/error.hpp"
#include "tests/unit/intake/intake_fixture.hpp"

namespace supportgw::testing {
namespace {

using Outcome = sdk::IntakeResult::Outcome;
using namespace std::chrono_literals;
constexpr const char* kOnenetMorning = "2026-11-24T10:00:00+13:00";

// What a completion saw when it ran.
struct Completed {
  std::exception_ptr error;
  sdk::IntakeResult result;
  std::thread::id thread;
  std::uint64_t commits = 0;  // the store's durable commits by then
  std::size_t queued = 0;     // actions the scheduler held by then
  std::int64_t tickets = -1;  // tickets a reader saw by then
};

class AsyncIntake : public ::testing::Test {
 protected:
  // Submits `message` and waits (bounded) for its completion.
  Completed submit(sdk::InboundMessage message) {
    auto done = std::make_shared<std::promise<Completed>>();
    auto future = done->get_future();
    d_.intake().submit_async(std::move(message),
                             [this, done](std::exception_ptr error, sdk::IntakeResult result) {
                               Completed seen;
                               seen.error = error;
                               seen.result = std::move(result);
                               seen.thread = std::this_thread::get_id();
                               seen.commits = sqlite_store().commit_count();
                               seen.queued = d_.scheduler().queued();
                               seen.tickets = d_.ticket_count();
                               done->set_value(std::move(seen));
                             });
    if (future.wait_for(30s) != std::future_status::ready) {
      ADD_FAILURE() << "no completion within 30 s";
      return {};
    }
    return future.get();
  }

  sqlite::SqliteStore& sqlite_store() { return dynamic_cast<sqlite::SqliteStore&>(d_.store()); }

  IntakeDeployment d_{"onenet", kOnenetMorning};
};

TEST_F(AsyncIntake, CompletesAfterTheCommitOnTheWriterThread) {
  const std::uint64_t commits_before = sqlite_store().commit_count();
  const Completed completed = submit(mail("<m1@c>", "Printer broken"));
  ASSERT_FALSE(completed.error);
  EXPECT_EQ(completed.result.outcome, Outcome::created);
  EXPECT_FALSE(completed.result.reference.empty());
  EXPECT_FALSE(completed.result.token.empty());
  EXPECT_NE(completed.thread, std::this_thread::get_id());
  EXPECT_GT(completed.commits, commits_before);
  EXPECT_EQ(completed.tickets, 1);
  // The listener ran before the completion: the scheduler already held the ladder.
  EXPECT_GT(completed.queued, 0u);
  EXPECT_EQ(d_.ticket(completed.result.reference).subject, "Printer broken");
}

TEST_F(AsyncIntake, RefusedMessageReachesTheCompletionAsInvalidArgument) {
  const Completed completed = submit(mail("", "no origin id"));
  ASSERT_TRUE(completed.error);
  EXPECT_THROW(std::rethrow_exception(completed.error), InvalidArgument);
  EXPECT_TRUE(completed.result.reference.empty());
  EXPECT_NE(completed.thread, std::this_thread::get_id());
  EXPECT_EQ(d_.ticket_count(), 0);

  auto oversized = mail("<m2@c>", "x", std::string(Intake::kMaxTextBytes + 1, 'y'));
  const Completed too_long = submit(std::move(oversized));
  ASSERT_TRUE(too_long.error);
  try {
    std::rethrow_exception(too_long.error);
  } catch (const InvalidArgument& error) {
    EXPECT_NE(std::string(error.what()).find("the text is"), std::string::npos) << error.what();
  }
  EXPECT_EQ(d_.ticket_count(), 0);
}

TEST_F(AsyncIntake, ARefusalDoesNotDisturbTheMessagesAroundIt) {
  constexpr int kMessages = 40;
  std::vector<std::future<std::pair<bool, sdk::IntakeResult>>> futures;
  for (int i = 0; i < kMessages; ++i) {
    auto done = std::make_shared<std::promise<std::pair<bool, sdk::IntakeResult>>>();
    futures.push_back(done->get_future());
    auto message =
        mail(i % 10 == 5 ? "" : "<m" + std::to_string(i) + "@c>", "Problem " + std::to_string(i));
    d_.intake().submit_async(std::move(message),
                             [done](std::exception_ptr error, sdk::IntakeResult result) {
                               done->set_value({error == nullptr, std::move(result)});
                             });
  }
  int created = 0;
  int refused = 0;
  for (auto& future : futures) {
    ASSERT_EQ(future.wait_for(30s), std::future_status::ready);
    const auto [ok, result] = future.get();
    created += ok && result.outcome == Outcome::created ? 1 : 0;
    refused += ok ? 0 : 1;
  }
  EXPECT_EQ(created, kMessages - kMessages / 10);
  EXPECT_EQ(refused, kMessages / 10);
  EXPECT_EQ(d_.ticket_count(), kMessages - kMessages / 10);
}

TEST_F(AsyncIntake, TheSameContactTwiceIsOneTicket) {
  const Completed first = submit(mail("<same@c>", "Printer broken"));
  const Completed again = submit(mail("<same@c>", "Printer broken"));
  ASSERT_FALSE(first.error);
  ASSERT_FALSE(again.error);
  EXPECT_EQ(again.result.outcome, Outcome::duplicate);
  EXPECT_EQ(again.result.reference, first.result.reference);
  EXPECT_EQ(d_.ticket_count(), 1);
}

TEST_F(AsyncIntake, AThrowingListenerIsReportedButTheContactIsKept) {
  d_.intake().set_listener([](const sla::NewActions&) { throw std::runtime_error("queue full"); });
  const Completed completed = submit(mail("<m1@c>", "Printer broken"));
  ASSERT_TRUE(completed.error);
  EXPECT_THROW(std::rethrow_exception(completed.error), std::runtime_error);
  EXPECT_EQ(d_.ticket_count(), 1);
  d_.intake().set_listener([](const sla::NewActions&) {});
  const Completed again = submit(mail("<m1@c>", "Printer broken"));
  ASSERT_FALSE(again.error);
  EXPECT_EQ(again.result.outcome, Outcome::duplicate);
}

}  // namespace
}  // namespace supportgw::testing
