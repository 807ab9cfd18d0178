#pragma once
// A complete policy that uses every key policy.toml knows, for tests to parse whole or
// to break one line at a time; and helpers to say where in it an error must point.

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace supportgw::testing {

inline constexpr std::string_view kSamplePolicy = R"toml(# sample
[vendor]
name = "Acme"
reference_format = "AC-{yyyy}-{seq:4}"
time_zone = "Europe/Berlin"
language = "en"
status_page = "https://status.acme.example"

[calendars.office]
hours = { mon-thu = ["08:00-12:00", "13:00-17:00"], fri = ["08:00-14:00"] }
[[calendars.office.holiday]]
name = "New Year"
date = "01-01"
observance = "monday_if_weekend"
[[calendars.office.holiday]]
name = "Good Friday"
easter = -2
[[calendars.office.holiday]]
name = "Thanksgiving"
weekday = "thu"
nth = 4
month = 11
first_year = 2020
last_year = 2030
[[calendars.office.holiday]]
name = "Matariki"
dates = [2026-07-10, 2027-06-25]

[calendars.always]
always_open = true
time_zone = "UTC"

[contacts.alice]
name = "Alice"
email = "alice@acme.example"
pager = "+1 555 0100"
[contacts.bob]
name = "Bob"
phone = "+1 555 0101"
[contacts.dana]
name = "Dana Director"
email = "dana@acme.example"

[roles.director]
title = "Director"
members = ["dana"]

[rotations.on_call]
title = "On call"
handover = "mon 09:00"
start = 2026-01-05
members = ["alice", "bob"]
[[rotations.on_call.override]]
from = 2026-12-24
to = 2026-12-26
member = "bob"
reason = "swap"

[flags]
fee = "An after-hours fee may apply"
bypass = "Bypassed the procedures"

[[severity]]
level = 1
name = "System Down"
definition = "Nothing works."
keywords = ["down", "outage"]
routes = ["phone:option-3", "pager"]
[severity.sla]
first_response = { within = "1h", calendar = "always" }
update_interval = { within = "1 business day", calendar = "office", pauses_while_pending_customer = false }
resolution = { within = "3d", calendar = "always" }
[severity.escalation]
stop_when = ["acknowledged", "owned"]
rearm_on_reopen = true
notify_calendar = "office"
[[severity.escalation.step]]
label = "page"
after = "0m"
calendar = "always"
unless = ["acknowledged"]
page = "on_call"
repage_every = "1h"
repage_limit = 5
[[severity.escalation.step]]
at_share = 0.75
of_target = "first_response"
unless = ["responded"]
notify = ["director", "alice"]
notify_calendar = "always"
[[severity.escalation.step]]
after = "8h"
calendar = "always"
unless = ["resolved"]
notify = ["director"]

[[severity]]
level = 2
name = "Routine"
definition = "Everything else."
[severity.sla]
first_response = { within = "2 business days", calendar = "office" }
[severity.escalation]
rearm_on_reopen = false
[[severity.escalation.step]]
after = "1h30m"
calendar = "office"
unless = ["responded", "resolved"]
raise_to_level = 1

[after_hours]
calendar = "office"
[[after_hours.rule]]
severities = [1]
action = "page"
page = "on_call"
set_flags = { fee = "may apply" }
[[after_hours.rule]]
severities = [2]
action = "next_business_day"

[billing]
default_group = "Standard"
[[billing.group]]
name = "Free"
description = "Our fault"
billable = false
[[billing.group]]
name = "Standard"
description = "Normal work"
billable = true
[[billing.rule]]
group = "Free"
keywords = ["infrastructure"]
[[billing.rule]]
group = "Standard"
after_hours = true
severities = [1]
channels = ["phone"]
flags = ["fee"]

[intake]
default_severity = 2
reopen_window = "30d"
required_fields = ["description", "system_details"]
recommended_fields = ["attachment"]
custom_fields = { system_details = "System details" }
guidance = "For an outage, call the hotline."

[follow_up]
reference_in_subject = true
reference_in_body = false
customer_ticket_pattern = "INC[0-9]{7}"
match_sender_and_subject = true
unreferenced_flag = "bypass"

[[product]]
name = "Widget"
required_fields = ["product_version"]
supported_days_after_replacement = 180
[[product.version]]
version = "1.0"
released = 2025-01-10
[[product.version]]
version = "2.0"
released = 2026-01-15
[[product.version]]
version = "3.0"
released = 2026-06-01
end_of_support = 2030-12-31
)toml";

// `text` with the first `from` replaced by `to`; fails the test when `from` is absent.
inline std::string replaced(std::string_view text, std::string_view from, std::string_view to) {
  std::string out(text);
  const auto at = out.find(from);
  EXPECT_NE(at, std::string::npos) << "the sample has no '" << from << "'";
  if (at != std::string::npos) {
    out.replace(at, from.size(), to);
  }
  return out;
}

// "line:column" (both from 1) of the first `needle` in `text`, "?" when absent.
inline std::string location_of(std::string_view text, std::string_view needle) {
  const auto at = text.find(needle);
  if (at == std::string_view::npos) {
    return "?";
  }
  const auto line_start = text.rfind('\n', at);
  const std::size_t column = line_start == std::string_view::npos ? at + 1 : at - line_start;
  std::size_t line = 1;
  for (std::size_t i = 0; i < at; ++i) {
    line += text[i] == '\n' ? 1 : 0;
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace supportgw::testing
