// Page ids from the web channel's RandomPool (plugins/web/random_pool.hpp).

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "random_pool.hpp"

namespace web {
namespace {

TEST(RandomPool, HandsOutHexIdsThatNeverRepeatAcrossRefills) {
  RandomPool pool;
  std::set<std::string> seen;
  // Many blocks' worth, with sizes that do not divide the block.
  for (int i = 0; i < 2000; ++i) {
    const std::size_t bytes = i % 3 == 0 ? 16 : 7;
    const std::string id = pool.hex(bytes);
    ASSERT_EQ(id.size(), bytes * 2);
    ASSERT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    if (bytes == 16) {
      EXPECT_TRUE(seen.insert(id).second) << "repeated: " << id;
    }
  }
  EXPECT_EQ(pool.hex(RandomPool::kBlock).size(), RandomPool::kBlock * 2);
  EXPECT_THROW(pool.hex(RandomPool::kBlock + 1), std::invalid_argument);
}

TEST(RandomPool, IsSafeToShareBetweenThreads) {
  RandomPool pool;
  std::vector<std::vector<std::string>> ids(4);
  std::vector<std::thread> threads;
  for (auto& mine : ids) {
    threads.emplace_back([&pool, &mine] {
      for (int i = 0; i < 500; ++i) {
        mine.push_back(pool.hex(16));
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  std::set<std::string> all;
  for (const auto& mine : ids) {
    all.insert(mine.begin(), mine.end());
  }
  EXPECT_EQ(all.size(), 2000u);
}

}  // namespace
}  // namespace web
