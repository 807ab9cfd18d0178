// Many threads creating tickets at once: every create gets its own reference, none is
// lost, and the sequence has no gaps.

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

#include "tests/support/store_fixture.hpp"

namespace supportgw {
namespace {

TEST(StoreConcurrency, FourThreadsCreateTenThousandUniqueTickets) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2'500;
  testing::StoreFixture fixture;
  std::vector<std::vector<std::string>> references(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        references[t].push_back(
            fixture.create("thread " + std::to_string(t) + " ticket " + std::to_string(i))
                .ticket.reference);
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  std::set<std::string> unique;
  for (const auto& list : references) {
    unique.insert(list.begin(), list.end());
  }
  ASSERT_EQ(unique.size(), static_cast<std::size_t>(kThreads * kPerThread));
  // Gapless: exactly SR-2026-000001 .. SR-2026-010000.
  EXPECT_EQ(*unique.begin(), "SR-2026-000001");
  EXPECT_EQ(*unique.rbegin(), "SR-2026-010000");

  fixture.reopen();
  EXPECT_EQ(fixture.store().query([](ReadTransaction& tx) { return tx.count_tickets(); }),
            kThreads * kPerThread);
  // Each thread's tickets are in the store under the reference it was given.
  fixture.store().read([&](ReadTransaction& tx) {
    for (int t = 0; t < kThreads; ++t) {
      const auto ticket = tx.ticket_by_reference(references[t].back());
      ASSERT_TRUE(ticket.has_value());
      EXPECT_EQ(ticket->subject,
                "thread " + std::to_string(t) + " ticket " + std::to_string(kPerThread - 1));
    }
  });
}

TEST(StoreConcurrency, ReadersRunWhileWritersCommit) {
  testing::StoreFixture fixture;
  fixture.create("seed");
  std::atomic<bool> done{false};
  std::atomic<int> reads{0};
  std::thread reader([&] {
    std::int64_t last = 0;
    while (!done) {
      const auto count =
          fixture.store().query([](ReadTransaction& tx) { return tx.count_tickets(); });
      EXPECT_GE(count, last);  // never goes backwards
      last = count;
      ++reads;
    }
  });
  for (int i = 0; i < 300; ++i) {
    fixture.create("write " + std::to_string(i));
  }
  done = true;
  reader.join();
  EXPECT_GT(reads.load(), 0);
}

}  // namespace
}  // namespace supportgw
