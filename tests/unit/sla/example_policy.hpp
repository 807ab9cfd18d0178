#pragma once
// The seed vendors' deployments (examples/*/policy.toml) as the SLA tests use them: the
// real files, so a test breaks when a policy changes what a vendor was promised.

#include <filesystem>
#include <string_view>
#include <vector>

#include "core/policy/policy_parser.hpp"
#include "core/sla/calendar_set.hpp"
#include "core/sla/timeline.hpp"
#include "core/util/time.hpp"

namespace supportgw::sla::testing {

inline policy::Policy example(std::string_view vendor) {
  return policy::load_policy(std::filesystem::path(SUPPORTGW_EXAMPLES_DIR) / vendor /
                             "policy.toml");
}

inline Timestamp at(std::string_view iso) { return parse_iso8601(iso); }

// A policy with the calendars built from it, kept together because CalendarSet holds no
// reference to the policy but timelines need both.
struct Example {
  explicit Example(std::string_view vendor) : policy(example(vendor)), calendars(policy) {}
  std::vector<TimelineEntry> timeline(int severity, std::string_view opened) const {
    return plan_timeline(policy, calendars, severity, at(opened));
  }
  policy::Policy policy;
  CalendarSet calendars;
};

}  // namespace supportgw::sla::testing
