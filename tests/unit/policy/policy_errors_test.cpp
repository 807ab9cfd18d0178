// Every kind of mistake in a policy file is refused with the file, the line and column
// of the mistake, and what was expected there.

#include <gtest/gtest.h>

#include "core/policy/policy_error.hpp"
#include "core/policy/policy_parser.hpp"
#include "sample_policy.hpp"

namespace supportgw::policy {
namespace {

using testing::kSamplePolicy;
using testing::location_of;
using testing::replaced;

// Parses `text` and checks the error points at the first `needle` and says `message`.
void expect_error(const std::string& text, std::string_view needle, std::string_view message) {
  SCOPED_TRACE(std::string("expecting '") + std::string(message) + "'");
  try {
    (void)parse_policy(text, "p.toml");
    ADD_FAILURE() << "the policy was accepted";
  } catch (const PolicyError& error) {
    EXPECT_EQ(error.file(), "p.toml");
    EXPECT_EQ(std::to_string(error.line()) + ":" + std::to_string(error.column()),
              location_of(text, needle))
        << error.what();
    EXPECT_NE(std::string(error.what()).find(message), std::string::npos) << error.what();
    EXPECT_EQ(std::string(error.what()).rfind("p.toml:", 0), 0u) << error.what();
  }
}

// Replaces `from` by `to` in the sample; the error must point at `needle` (by default
// the replacement itself).
void expect_sample_error(std::string_view from, std::string_view to, std::string_view message,
                         std::string_view needle = {}) {
  expect_error(replaced(kSamplePolicy, from, to), needle.empty() ? to : needle, message);
}

TEST(PolicyErrors, TomlSyntax) {
  try {
    (void)parse_policy(replaced(kSamplePolicy, "name = \"Acme\"", "name = \"Acme"), "p.toml");
    FAIL();
  } catch (const PolicyError& error) {
    EXPECT_EQ(error.line(), 3u) << error.what();  // the string runs into the line's end
    EXPECT_NE(error.message().find("parsing string"), std::string::npos) << error.what();
  }
  try {
    (void)parse_policy("[vendor]\nname = \n", "bad.toml");
    FAIL();
  } catch (const PolicyError& error) {
    EXPECT_EQ(error.line(), 2u);
    EXPECT_EQ(std::string(error.what()).rfind("bad.toml:2:", 0), 0u) << error.what();
  }
}

TEST(PolicyErrors, WrongType) {
  expect_sample_error("level = 1", "level = \"1\"", "expected an integer, found a string", "\"1\"");
  expect_sample_error("name = \"Acme\"", "name = 7", "vendor.name: expected a string", "7");
  expect_sample_error("billable = false", "billable = \"no\"", "expected true or false", "\"no\"");
  expect_sample_error("keywords = [\"down\", \"outage\"]", "keywords = [\"down\", 3]",
                      "severity[0].keywords[1]: expected a string, found an integer", "3]");
  expect_sample_error("start = 2026-01-05", "start = \"2026-01-05\"", "expected a date",
                      "\"2026-01-05\"");
}

TEST(PolicyErrors, UnknownKeys) {
  expect_sample_error("first_response = {", "frist_response = {",
                      "unknown key 'frist_response' in [severity[0].sla]; did you mean "
                      "'first_response'?",
                      "frist_response");
  expect_sample_error("[vendor]", "[vendorr]",
                      "unknown key 'vendorr' at the top level; did you mean 'vendor'?", "vendorr");
  expect_sample_error("status_page =", "homepage =", "expected one of: name, reference_format",
                      "homepage");
  // TOML puts a key after [[billing.rule]] into that rule, not into [billing].
  expect_error(std::string(kSamplePolicy) + "default_group = \"Free\"\n",
               "default_group = \"Free\"",
               "unknown key 'default_group' in [product[0].version[2]]");
}

TEST(PolicyErrors, MissingKeys) {
  expect_sample_error("language = \"en\"\n", "", "missing key 'language' in [vendor]", "[vendor]");
  expect_sample_error("[vendor]", "[vendor_gone]", "unknown key", "vendor_gone");
  expect_error("", "", "missing key 'vendor'");
  // A severity without SLA points at its [[severity]] header.
  const std::string no_sla = replaced(
      kSamplePolicy,
      "[severity.sla]\nfirst_response = { within = \"2 business days\", calendar = \"office\" }\n",
      "");
  const auto second = no_sla.find("[[severity]]", no_sla.find("[[severity]]") + 1);
  expect_error(no_sla, no_sla.substr(second, 40), "missing key 'sla'");
  expect_sample_error("first_response = { within = \"1h\", calendar = \"always\" }\n", "",
                      "missing key 'first_response' in [severity[0].sla]", "[severity.sla]");
}

TEST(PolicyErrors, BadDuration) {
  expect_sample_error("\"1h\"", "\"1 hour\"", "expected a duration such as \"4h\"");
  expect_sample_error("after = \"8h\"", "after = 8", "expected a duration string", "8\n");
  expect_sample_error("reopen_window = \"30d\"", "reopen_window = \"2 business days\"",
                      "expected a wall-clock duration", "\"2 business days\"\nrequired");
  expect_sample_error("\"1h\"", "\"0m\"", "expected a duration greater than zero");
  // Days on a business-hours calendar mean nothing anyone intends.
  expect_sample_error("after = \"1h30m\"", "after = \"2d\"",
                      "\"d\", \"w\") are wall-clock units, but calendar 'office'", "\"2d\"");
}

TEST(PolicyErrors, BadUploads) {
  const std::string sample(kSamplePolicy);
  expect_error(sample + "[uploads]\nretention = \"0h\"\n", "\"0h\"",
               "uploads.retention: expected a duration of at least a minute");
  expect_error(sample + "[uploads]\ntoken_lifetime = \"5 business days\"\n", "\"5 business days\"",
               "expected a wall-clock duration");
  expect_error(sample + "[uploads]\ntoken_lifetme = \"30d\"\n", "token_lifetme",
               "unknown key 'token_lifetme' in [uploads]; did you mean 'token_lifetime'?");
}

TEST(PolicyErrors, BadTimeZone) {
  expect_sample_error("\"Europe/Berlin\"", "\"Europe/Berlni\"",
                      "'Europe/Berlni' is not an IANA time zone");
  expect_sample_error("time_zone = \"UTC\"", "time_zone = \"UTC+1\"", "not an IANA time zone",
                      "\"UTC+1\"");
}

TEST(PolicyErrors, BadIntervals) {
  expect_sample_error("\"13:00-17:00\"", "\"17:00-13:00\"", "ends before it starts");
  expect_sample_error("\"13:00-17:00\"", "\"13:00-25:00\"", "expected an interval \"HH:MM-HH:MM\"");
  expect_sample_error("\"13:00-17:00\"", "\"1pm-5pm\"", "expected an interval");
  expect_sample_error("[\"08:00-12:00\", \"13:00-17:00\"]", "[\"08:00-12:00\", \"11:00-17:00\"]",
                      "intervals overlap", "[\"08:00-12:00\", \"11:00-17:00\"]");
  expect_sample_error("fri = [", "thu = [", "weekday 'thu' is given twice", "thu = [\"08:00-14");
  expect_sample_error("fri = [", "friday = [", "unknown key 'friday' in [calendars.office.hours]",
                      "friday = [");
  expect_sample_error("mon-thu", "thu-mon", "unknown key 'thu-mon'");
}

TEST(PolicyErrors, BadHolidays) {
  expect_sample_error("date = \"01-01\"", "date = \"02-30\"", "expected a month and day",
                      "\"02-30\"");
  expect_sample_error("easter = -2", "easter = -2\ndate = \"04-01\"",
                      "expected exactly one of date",
                      "[[calendars.office.holiday]]\nname = \"Good");
  expect_sample_error("nth = 4", "nth = 0", "expected 1..5", "0\n");
  expect_sample_error("observance = \"monday_if_weekend\"", "observance = \"mondayise\"",
                      "unknown observance 'mondayise'", "\"mondayise\"");
}

TEST(PolicyErrors, UnknownReferences) {
  expect_sample_error("calendar = \"office\"\nunless", "calendar = \"offfice\"\nunless",
                      "unknown calendar 'offfice'; expected one of the [calendars]: always, office",
                      "\"offfice\"");
  expect_sample_error("notify = [\"director\", \"alice\"]", "notify = [\"director\", \"alicia\"]",
                      "'alicia' is not a contact, role or rotation", "\"alicia\"");
  expect_sample_error("members = [\"dana\"]", "members = [\"diana\"]", "unknown contact 'diana'",
                      "\"diana\"");
  expect_sample_error("page = \"on_call\"", "page = \"oncall\"", "'oncall' is not a contact",
                      "\"oncall\"");
  expect_sample_error(
      "set_flags = { fee = ", "set_flags = { fees = ", "flag 'fees' is not declared", "fees =");
  expect_sample_error("group = \"Free\"", "group = \"Gratis\"", "unknown billing group 'Gratis'",
                      "\"Gratis\"");
  expect_sample_error("\"description\", \"system_details\"", "\"description\", \"sys_details\"",
                      "unknown field 'sys_details'", "\"sys_details\"");
  expect_sample_error("of_target = \"first_response\"", "of_target = \"resolution_time\"",
                      "expected first_response, update_interval or resolution",
                      "\"resolution_time\"");
}

TEST(PolicyErrors, BadReferenceFormat) {
  expect_sample_error("\"AC-{yyyy}-{seq:4}\"", "\"AC-{yyyy}\"", "there is no {seq}");
  expect_sample_error("\"AC-{yyyy}-{seq:4}\"", "\"AC {seq}\"", "is not allowed");
}

TEST(PolicyErrors, SeverityLevels) {
  expect_sample_error("level = 2", "level = 3", "level 2 is missing", "3\nname = \"Routine\"");
  expect_sample_error("level = 2", "level = 1", "severity 1 is defined twice",
                      "1\nname = \"Routine\"");
  expect_sample_error("level = 1", "level = 0", "expected an integer from 1 to 100",
                      "0\nname = \"System");
  expect_sample_error("raise_to_level = 1", "raise_to_level = 2",
                      "expected a more severe level than 2", "2\n\n[after_hours]");
  expect_sample_error("severities = [2]", "severities = [3]", "expected an integer from 1 to 2",
                      "3]");
  expect_sample_error("severities = [2]\naction = \"next_business_day\"\n",
                      "severities = [1]\naction = \"next_business_day\"\n",
                      "severity 1 already has an after-hours rule", "1]\naction = \"next");
  expect_sample_error("\"pager\"]", "\"phone:option-3\"]", "this route already implies",
                      "\"phone:option-3\"]");
}

TEST(PolicyErrors, StepsThatMakeNoSense) {
  expect_sample_error("page = \"on_call\"\nrepage_every", "repage_every",
                      "repage_every: only allowed with page", "\"1h\"\nrepage_limit");
  expect_sample_error("raise_to_level = 1\n", "", "a step does nothing",
                      "[[severity.escalation.step]]\nafter = \"1h30m\"");
  expect_sample_error("at_share = 0.75", "at_share = 1.5", "expected a number greater than 0",
                      "1.5");
  expect_sample_error("at_share = 0.75\n",
                      "after = \"1h\"\ncalendar = \"always\"\nat_share = 0.75\n", "but not both",
                      "[[severity.escalation.step]]\nafter = \"1h\"");
  expect_sample_error("unless = [\"resolved\"]", "unless = [\"fixed\"]",
                      "unknown condition 'fixed'", "\"fixed\"");
}

TEST(PolicyErrors, PeopleAndCalendars) {
  expect_sample_error("[roles.director]", "[roles.alice]", "role 'alice' has the name of a contact",
                      "alice]\ntitle");
  expect_sample_error("phone = \"+1 555 0101\"\n", "",
                      "expected at least one of email, phone or pager", "[contacts.bob]");
  expect_sample_error("handover = \"mon 09:00\"", "handover = \"monday 9am\"",
                      "expected a weekday and a time", "\"monday 9am\"");
  expect_sample_error("start = 2026-01-05", "start = 2026-01-06",
                      "expected a date on the handover weekday", "2026-01-06");
  expect_sample_error("always_open = true", "always_open = true\nhours = {}",
                      "an always-open calendar has no hours", "{}");
  expect_sample_error("to = 2026-12-26", "to = 2026-12-20", "expected a date on or after 'from'",
                      "2026-12-20");
}

TEST(PolicyErrors, Miscellaneous) {
  expect_sample_error("language = \"en\"", "language = \"English\"", "BCP 47", "\"English\"");
  expect_sample_error("\"INC[0-9]{7}\"", "\"INC[0-9\"", "ECMAScript regular expression");
  expect_sample_error("released = 2026-06-01", "released = 2024-06-01",
                      "expected versions in order of release", "2024-06-01");
  expect_sample_error("default_severity = 2", "default_severity = 5",
                      "expected an integer from 1 to 2", "5\nreopen");
}

TEST(PolicyErrors, UnreadableFile) {
  EXPECT_THROW((void)load_policy("/nonexistent/policy.toml"), InvalidArgument);
  try {
    (void)load_policy("/nonexistent/policy.toml");
  } catch (const InvalidArgument& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent/policy.toml"), std::string::npos);
  }
}

}  // namespace
}  // namespace supportgw::policy
