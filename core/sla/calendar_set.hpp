#pragma once
// Every calendar a policy names, built once into BusinessCalendars (which check their
// specs and resolve time zones). The SLA clocks, the escalation engine and `policy
// explain` look calendars up here by name instead of rebuilding them per ticket.
//
// Immutable after construction; safe to share between threads.

#include <string_view>

#include "core/calendar/business_calendar.hpp"
#include "core/policy/policy.hpp"

namespace supportgw::sla {

class CalendarSet {
 public:
  // Throws InvalidArgument naming the policy file and the calendar when one is bad.
  explicit CalendarSet(const policy::Policy& policy);

  // Throws NotFound naming the calendar when the policy has none of that name.
  const calendar::BusinessCalendar& get(std::string_view name) const;

  // An always-open calendar in the vendor's time zone: the clock every instant is
  // shown on (timelines, acknowledgements) and whose local date numbers references.
  const calendar::BusinessCalendar& vendor_zone() const { return vendor_zone_; }

 private:
  policy::NameMap<calendar::BusinessCalendar> calendars_;
  calendar::BusinessCalendar vendor_zone_;
};

}  // namespace supportgw::sla
