#include "core/sla/due_time.hpp"

#include <cmath>
#include <string>

#include "core/util/error.hpp"

namespace supportgw::sla {

using std::chrono::milliseconds;

Timestamp due_after(const calendar::BusinessCalendar& calendar, Timestamp start,
                    const policy::Duration& duration) {
  if (duration.kind == policy::Duration::Kind::business_days) {
    return calendar.add_business_days(start, duration.business_days);
  }
  return calendar.add(start, duration.open_time);
}

milliseconds open_time_budget(const calendar::BusinessCalendar& calendar, Timestamp start,
                              const policy::Duration& duration) {
  if (duration.kind == policy::Duration::Kind::business_days) {
    return calendar.between(calendar.next_opening(start),
                            calendar.add_business_days(start, duration.business_days));
  }
  return duration.open_time;
}

Timestamp share_due(const calendar::BusinessCalendar& calendar, Timestamp start,
                    const policy::Duration& duration, double share) {
  if (!(share > 0.0 && share <= 1.0)) {
    throw InvalidArgument("a share of an SLA target must lie in (0, 1], not " +
                          std::to_string(share));
  }
  // The full share is the target's own due instant. Adding the whole budget would give
  // the same open time but can land on the closing before a night (Tuesday 17:00 rather
  // than Wednesday 08:00 for business days), and a breach warning must not come before
  // the breach it announces.
  if (share == 1.0) {
    return due_after(calendar, start, duration);
  }
  const milliseconds budget = open_time_budget(calendar, start, duration);
  // Rounded to the millisecond: 0.75 of 4 h is exactly 3 h, not 2:59:59.999.
  const auto part =
      static_cast<milliseconds::rep>(std::llround(share * static_cast<double>(budget.count())));
  return calendar.add(start, milliseconds{part});
}

}  // namespace supportgw::sla
