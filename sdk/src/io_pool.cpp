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
  boost::asio::io_context io;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::condition_variable all_done;
  int running = 0;
  bool stopped = false;
};

IoPool::IoPool(int threads) : impl_(std::make_unique<Impl>()) {
  impl_->work.emplace(impl_->io.get_executor());
  const int count = threads < 1 ? 1 : threads;
  impl_->running = count;
  for (int i = 0; i < count; ++i) {
    impl_->threads.emplace_back([impl = impl_.get()] {
      for (;;) {
        try {
          impl->io.run();
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

boost::asio::any_io_executor IoPool::executor() const { return impl_->io.get_executor(); }

void IoPool::stop(std::chrono::milliseconds grace) {
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopped) {
      return;
    }
    impl_->stopped = true;
  }
  impl_->work.reset();
  {
    std::unique_lock lock(impl_->mutex);
    impl_->all_done.wait_for(lock, grace, [this] { return impl_->running == 0; });
  }
  impl_->io.stop();
  for (auto& thread : impl_->threads) {
    thread.join();
  }
  impl_->threads.clear();
}

}  // namespace supportgw::sdk
