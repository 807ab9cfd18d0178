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
//
// Sharing: by default every thread runs one io_context, so any thread takes any handler
// and a slow handler holds up nobody else. With context_per_thread each thread runs an
// io_context of its own, and the channel spreads its work over them by connection
// (HttpServerOptions::connection_executors = executors()). Nothing then hands handlers
// from thread to thread, and those wake-ups cost more than a small request itself: a
// ticket page took 40-43 us of CPU on one thread against 54-61 us on two sharing a
// context (web_bench). A handler that blocks holds up the other connections of its
// thread, so handlers must not.

#include <chrono>
#include <memory>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

namespace supportgw::sdk {

class IoPool {
 public:
  enum class Sharing { one_context, context_per_thread };

  // Starts `threads` threads (at least 1) running one new io_context, or one each.
  explicit IoPool(int threads, Sharing sharing = Sharing::one_context);
  // stop()
  ~IoPool();
  IoPool(const IoPool&) = delete;
  IoPool& operator=(const IoPool&) = delete;

  // The (first) io_context's executor.
  boost::asio::any_io_executor executor() const;
  // Every io_context's executor: one, or one per thread.
  std::vector<boost::asio::any_io_executor> executors() const;

  // Lets the work already queued finish (up to `grace`), then stops the io_contexts and
  // joins the threads. Call it after closing what keeps work alive (acceptors, timers),
  // from a thread that is not one of the pool's. Idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace supportgw::sdk
