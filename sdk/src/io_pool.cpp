#include "supportgw/sdk/io_pool.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace supportgw::sdk {

struct IoPool::Impl {
  using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts;
  std::vector<WorkGuard> work;
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::condition_variable all_done;
  int running = 0;
  bool stopped = false;
};

IoPool::IoPool(int threads, Sharing sharing) : impl_(std::make_unique<Impl>()) {
  const int count = threads < 1 ? 1 : threads;
  const int contexts = sharing == Sharing::context_per_thread ? count : 1;
  for (int i = 0; i < contexts; ++i) {
    // The concurrency hint tells Asio how many threads run the context; with one it
    // need not wake another thread for each handler it queues.
    impl_->contexts.push_back(std::make_unique<boost::asio::io_context>(
        sharing == Sharing::context_per_thread ? 1 : count));
    impl_->work.emplace_back(impl_->contexts.back()->get_executor());
  }
  impl_->running = count;
  for (int i = 0; i < count; ++i) {
    boost::asio::io_context& io = *impl_->contexts[static_cast<std::size_t>(i % contexts)];
    impl_->threads.emplace_back([impl = impl_.get(), &io] {
      for (;;) {
        try {
          io.run();
          break;
        } catch (const std::exception&) {
          // A handler threw: the pool goes on (the handler's owner logs its own errors).
        }
      }
      std::lock_guard lock(impl->mutex);
      if (--impl->running == 0) {
        impl->all_done.notify_all();
      }
    });
  }
}

IoPool::~IoPool() { stop(); }

boost::asio::any_io_executor IoPool::executor() const {
  return impl_->contexts.front()->get_executor();
}

std::vector<boost::asio::any_io_executor> IoPool::executors() const {
  std::vector<boost::asio::any_io_executor> all;
  for (const auto& context : impl_->contexts) {
    all.emplace_back(context->get_executor());
  }
  return all;
}

void IoPool::stop(std::chrono::milliseconds grace) {
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopped) {
      return;
    }
    impl_->stopped = true;
  }
  impl_->work.clear();
  {
    std::unique_lock lock(impl_->mutex);
    impl_->all_done.wait_for(lock, grace, [this] { return impl_->running == 0; });
  }
  for (const auto& context : impl_->contexts) {
    context->stop();
  }
  for (auto& thread : impl_->threads) {
    thread.join();
  }
  impl_->threads.clear();
}

}  // namespace supportgw::sdk
