#pragma once
// A clock tests move by hand, to walk simulated time through a ticket's life.

#include <atomic>

#include "core/util/time.hpp"

namespace supportgw::testing {

class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : now_(start.time_since_epoch().count()) {}
  Timestamp now() const override { return Timestamp(std::chrono::milliseconds(now_.load())); }
  void set(Timestamp at) { now_ = at.time_since_epoch().count(); }
  void advance(std::chrono::milliseconds by) { now_ += by.count(); }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace supportgw::testing
