#pragma once
// How a policy duration turns into instants on a calendar. Shared by the SLA clocks,
// the escalation engine and the timeline `policy explain` prints, so all three agree.

#include <chrono>

#include "core/calendar/business_calendar.hpp"
#include "core/policy/duration.hpp"
#include "core/util/time.hpp"

namespace supportgw::sla {

// The instant `duration` after `start` on `calendar`: open time is added with
// BusinessCalendar::add, business days with add_business_days.
Timestamp due_after(const calendar::BusinessCalendar& calendar, Timestamp start,
                    const policy::Duration& duration);

// The open time `duration` amounts to when counted from `start`: the minutes of an
// open-time duration, or for N business days the open time between next_opening(start)
// and add_business_days(start, N). A clock that may pause keeps this budget and spends
// it, so pausing works the same for hours and for days.
std::chrono::milliseconds open_time_budget(const calendar::BusinessCalendar& calendar,
                                           Timestamp start, const policy::Duration& duration);

// When `share` of the target `duration` counted from `start` has run: a breach warning
// (EscalationTrigger::share_of_target). For share < 1 it is
// calendar.add(start, share x open_time_budget(calendar, start, duration)), rounded to the
// millisecond; share == 1 is exactly due_after(calendar, start, duration), so a warning
// "at the breach" fires with the breach and never at the closing time before it.
// Throws InvalidArgument unless 0 < share <= 1.
Timestamp share_due(const calendar::BusinessCalendar& calendar, Timestamp start,
                    const policy::Duration& duration, double share);

}  // namespace supportgw::sla
