#include "core/sla/calendar_set.hpp"

#include <string>
#include <utility>

#include "core/util/error.hpp"

namespace supportgw::sla {

namespace {

calendar::CalendarSpec vendor_zone_spec(const policy::Policy& policy) {
  calendar::CalendarSpec spec;
  spec.name = "vendor time zone";
  spec.time_zone = policy.vendor.time_zone;
  spec.always_open = true;
  return spec;
}

}  // namespace

CalendarSet::CalendarSet(const policy::Policy& policy) : vendor_zone_(vendor_zone_spec(policy)) {
  for (const auto& [name, spec] : policy.calendars) {
    try {
      calendars_.emplace(name, calendar::BusinessCalendar(spec));
    } catch (const InvalidArgument& error) {
      // The parser checks every spec with file positions, so this only fires for a Policy
      // assembled in code; the policy's name still tells the operator where to look.
      throw InvalidArgument(policy.source + ": calendar '" + name + "': " + error.what());
    }
  }
}

const calendar::BusinessCalendar& CalendarSet::get(std::string_view name) const {
  const auto found = calendars_.find(name);
  if (found == calendars_.end()) {
    std::string known;
    for (const auto& [known_name, unused] : calendars_) {
      known += (known.empty() ? "" : ", ") + known_name;
    }
    throw NotFound("no calendar named '" + std::string(name) + "' (the policy defines: " + known +
                   ")");
  }
  return found->second;
}

}  // namespace supportgw::sla
