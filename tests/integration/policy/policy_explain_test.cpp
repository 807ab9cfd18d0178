// `supportgw policy explain` and `supportgw policy holidays` run as a vendor runs them:
// the built program on the seed deployments, in text and as JSON.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>
#include <vector>

#include "tests/support/process.hpp"

namespace supportgw {
namespace {

std::string example(const char* vendor) {
  return std::string(SUPPORTGW_EXAMPLES_DIR) + "/" + vendor + "/policy.toml";
}

testing::ProgramResult run(std::vector<std::string> args) {
  args.insert(args.begin(), SUPPORTGW_BINARY);
  return testing::run_program(args);
}

std::string text(const boost::json::value& value) { return std::string(value.as_string()); }

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// --- explain -----------------------------------------------------------------------------

TEST(PolicyExplain, NetcorFirstResponseInText) {
  const auto result = run({"policy", "explain", "--policy", example("netcor"), "--severity", "1",
                           "--opened", "2026-12-18T16:00:00+01:00"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_TRUE(contains(result.out,
                       "NETCOR: severity 1 (Kritisch) opened 2026-12-18T16:00:00+01:00 "
                       "(2026-12-18T15:00:00.000Z); local times in Europe/Berlin\n"))
      << result.out;
  // Local time with offset, UTC, label and calendar on one line; the detail under it.
  EXPECT_TRUE(contains(result.out,
                       "2026-12-21T11:30:00+01:00  2026-12-21T10:30:00.000Z  first response due "
                       "[geschaeftszeiten]\n    first response within 4h on geschaeftszeiten\n"))
      << result.out;
  EXPECT_TRUE(contains(result.out,
                       "2026-12-22T11:30:00+01:00  2026-12-22T10:30:00.000Z  "
                       "first update due [geschaeftszeiten]"))
      << result.out;
  EXPECT_TRUE(contains(result.out,
                       "2026-12-21T10:30:00+01:00  2026-12-21T09:30:00.000Z  "
                       "step 1: Reaktionszeit zu 75 % verstrichen"))
      << result.out;
}

TEST(PolicyExplain, NetcorFirstResponseAsJson) {
  const auto result = run({"policy", "explain", "--policy", example("netcor"), "--severity", "1",
                           "--opened", "2026-12-18T16:00:00+01:00", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const boost::json::object doc = boost::json::parse(result.out).as_object();
  EXPECT_EQ(text(doc.at("vendor")), "NETCOR");
  EXPECT_EQ(text(doc.at("time_zone")), "Europe/Berlin");
  EXPECT_EQ(doc.at("severity").at("level").as_int64(), 1);
  EXPECT_EQ(text(doc.at("severity").at("name")), "Kritisch");
  EXPECT_EQ(text(doc.at("opened").at("local")), "2026-12-18T16:00:00+01:00");
  const boost::json::array& entries = doc.at("entries").as_array();
  ASSERT_EQ(entries.size(), 4u) << result.out;
  const boost::json::object& first = entries[1].as_object();
  EXPECT_EQ(text(first.at("label")), "first response due");
  EXPECT_EQ(text(first.at("kind")), "sla_due");
  EXPECT_EQ(text(first.at("local")), "2026-12-21T11:30:00+01:00");
  EXPECT_EQ(text(first.at("utc")), "2026-12-21T10:30:00.000Z");
  EXPECT_EQ(text(first.at("calendar")), "geschaeftszeiten");
  EXPECT_FALSE(first.contains("delivered_at"));
}

TEST(PolicyExplain, HeldNotificationShowsWhenItIsSent) {
  const auto text_run = run({"policy", "explain", "--policy", example("netex"), "--severity", "2",
                             "--opened", "2026-12-17T20:00:00-06:00"});
  ASSERT_EQ(text_run.exit_code, 0) << text_run.err;
  EXPECT_TRUE(contains(text_run.out,
                       "2026-12-20T20:00:00-06:00  2026-12-21T02:00:00.000Z  step 1: Director of "
                       "Customer Services [24x7]\n"))
      << text_run.out;
  EXPECT_TRUE(
      contains(text_run.out, "    sent 2026-12-21T08:00:00-06:00  2026-12-21T14:00:00.000Z\n"))
      << text_run.out;

  const auto json_run = run({"--json", "policy", "explain", "--policy", example("netex"),
                             "--severity", "2", "--opened", "2026-12-17T20:00:00-06:00"});
  ASSERT_EQ(json_run.exit_code, 0) << json_run.err;
  const boost::json::value doc = boost::json::parse(json_run.out);
  const boost::json::array& entries = doc.at("entries").as_array();
  ASSERT_EQ(entries.size(), 3u) << json_run.out;
  EXPECT_EQ(text(entries[1].at("delivered_at").at("local")), "2026-12-21T08:00:00-06:00");
  EXPECT_EQ(text(entries[2].at("delivered_at").at("local")), "2026-12-28T08:00:00-06:00");
}

TEST(PolicyExplain, WrongValuesAreRefusedWithTheRightExitCode) {
  const auto severity = run({"policy", "explain", "--policy", example("netcor"), "--severity", "9",
                             "--opened", "2026-12-18T16:00:00+01:00"});
  EXPECT_EQ(severity.exit_code, 4) << severity.err;
  EXPECT_TRUE(contains(severity.err, "defines severities 1..4, not 9")) << severity.err;

  const auto opened = run({"policy", "explain", "--policy", example("netcor"), "--severity", "1",
                           "--opened", "2026-12-18 16:00"});
  EXPECT_EQ(opened.exit_code, 4) << opened.err;
  EXPECT_TRUE(contains(opened.err, "'2026-12-18 16:00' is not an ISO 8601 instant")) << opened.err;

  const auto missing = run({"policy", "explain", "--policy", example("netcor")});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_EQ(missing.out, "");
}

// --- holidays ----------------------------------------------------------------------------

TEST(PolicyHolidays, NetcorGermanHolidays2026InText) {
  const auto result = run({"policy", "holidays", "--policy", example("netcor"), "--year", "2026"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "NETCOR: holidays observed in 2026\n"
            "geschaeftszeiten (Europe/Berlin): 10 holidays\n"
            "  2026-01-01  Thu  Neujahr\n"
            "  2026-04-03  Fri  Karfreitag\n"
            "  2026-04-06  Mon  Ostermontag\n"
            "  2026-05-01  Fri  Tag der Arbeit\n"
            "  2026-05-14  Thu  Christi Himmelfahrt\n"
            "  2026-05-25  Mon  Pfingstmontag\n"
            "  2026-10-03  Sat  Tag der Deutschen Einheit\n"
            "  2026-10-31  Sat  Reformationstag\n"
            "  2026-12-25  Fri  1. Weihnachtstag\n"
            "  2026-12-26  Sat  2. Weihnachtstag\n");
}

TEST(PolicyHolidays, NetcorAsJson) {
  const auto result =
      run({"policy", "holidays", "--policy", example("netcor"), "--year", "2026", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const boost::json::object doc = boost::json::parse(result.out).as_object();
  EXPECT_EQ(text(doc.at("vendor")), "NETCOR");
  EXPECT_EQ(doc.at("year").as_int64(), 2026);
  const boost::json::array& calendars = doc.at("calendars").as_array();
  ASSERT_EQ(calendars.size(), 1u);
  EXPECT_EQ(text(calendars[0].at("name")), "geschaeftszeiten");
  const boost::json::array& days = calendars[0].at("holidays").as_array();
  ASSERT_EQ(days.size(), 10u);
  EXPECT_EQ(text(days[4].at("date")), "2026-05-14");
  EXPECT_EQ(text(days[4].at("weekday")), "Thu");
  EXPECT_EQ(text(days[4].at("name")), "Christi Himmelfahrt");
  EXPECT_FALSE(days[4].at("observed").as_bool());
}

TEST(PolicyHolidays, OnenetMatarikiAndMondayisation) {
  const auto result = run({"policy", "holidays", "--policy", example("onenet"), "--year", "2026"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(contains(result.out, "service_hours (Pacific/Auckland): 14 holidays\n"))
      << result.out;
  EXPECT_TRUE(contains(result.out, "  2026-07-10  Fri  Matariki\n")) << result.out;
  EXPECT_TRUE(contains(result.out, "  2026-04-27  Mon  ANZAC Day (observed)\n")) << result.out;
  EXPECT_TRUE(contains(result.out, "  2026-12-28  Mon  Boxing Day (observed)\n")) << result.out;
  // The 24x7 calendar has no holidays and is not listed.
  EXPECT_FALSE(contains(result.out, "24x7")) << result.out;

  const auto json =
      run({"policy", "holidays", "--policy", example("onenet"), "--year", "2027", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const boost::json::value doc = boost::json::parse(json.out);
  bool matariki = false;
  for (const boost::json::value& day : doc.at("calendars").at(0).at("holidays").as_array()) {
    if (text(day.at("name")) == "Matariki") {
      matariki = true;
      EXPECT_EQ(text(day.at("date")), "2027-06-25");
    }
  }
  EXPECT_TRUE(matariki) << json.out;
}

TEST(PolicyHolidays, YearOutOfRangeIsACommandLineError) {
  const auto result = run({"policy", "holidays", "--policy", example("netcor"), "--year", "12026"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
}

}  // namespace
}  // namespace supportgw
