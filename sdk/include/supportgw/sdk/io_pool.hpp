#pragma once
// The plugin's own Asio io_context and the threads that run it.
//
// Why a plugin runs its own instead of sharing the daemon's: Asio keeps per-library
// state — the thread-local call stack that tells its scheduler "this thread is inside
// run()" — and a plugin built with hidden visibility (as every plugin is) has its own
// copy. A socket operation started by plugin code and completed on a thread that the
// host's copy of io_context::run() drives crashes inside Asio. So every io_context is
// run by the library that does I/O on it: the host's by the host, a plugin's by the
// plugin, through this class (compiled into the plugin from the SDK's static library).
// Crossing is by plain calls only: the host calls your completions on its threads, and
// you post to your executor from there.
//
//   start():  pool_ = std::make_unique<sdk::IoPool>(context.suggested_threads());
//             server = HttpServer::start(pool_->executor(), ...);
//   stop():   server->stop(); pool_->stop();

#include <chrono>
#include <memory>

#include <boost/asio/any_io_executor.hpp>

namespace supportgw::sdk {

class IoPool {
 public:
  // Starts `threads` threads (at least 1) running a new io_context.
  explicit IoPool(int threads);
  // stop()
  ~IoPool();
  IoPool(const IoPool&) = delete;
  IoPool& operator=(const IoPool&) = delete;

  boost::asio::any_io_executor executor() const;

  // Lets the work already queued finish (up to `grace`), then stops the io_context and
  // joins the threads. Call it after closing what keeps work alive (acceptors, timers),
  // from a thread that is not one of the pool's. Idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace supportgw::sdk
