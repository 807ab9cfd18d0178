// BusinessCalendar against an independent implementation: Business::Hours, the Perl
// module behind RT's SLA engine (Debian libbusiness-hours-perl, installed by
// scripts/bootstrap). A few hundred random questions on Monday-Friday 08:30-17:00 in
// Europe/Berlin without holidays, spread over 2026-2027 so both DST changes are crossed,
// are answered by both and must agree to the second.
//
// Business::Hours works in whole seconds of process-local time, so the Perl process runs
// with TZ=Europe/Berlin, and its conventions differ from ours in two known ways:
//   - between(a, b) counts the seconds a..b inclusively: ours over [a, b) equals its
//     between(a, b - 1);
//   - add_seconds returns the first business second after the duration ran out, which is
//     the next opening when the duration ends exactly at a closing time: ours equals it
//     after next_opening().

#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/calendar/business_calendar.hpp"
#include "tests/support/temp_dir.hpp"

namespace supportgw::calendar {
namespace {

using std::chrono::seconds;

constexpr int cases = 300;

std::int64_t epoch_seconds(Timestamp t) {
  return std::chrono::duration_cast<seconds>(t.time_since_epoch()).count();
}

Timestamp from_epoch_seconds(std::int64_t s) { return Timestamp{seconds{s}}; }

CalendarSpec oracle_calendar() {
  CalendarSpec spec;
  spec.name = "oracle";
  spec.time_zone = "Europe/Berlin";
  for (int day = 0; day < 5; ++day) {
    spec.weekly_hours[day] = {{8 * 60 + 30, 17 * 60}};
  }
  return spec;
}

// Runs the Perl oracle on `questions` (one per line) and returns its answers.
std::vector<std::int64_t> ask_perl(const std::vector<std::string>& questions) {
  const testing::TempDir dir;
  const auto in = dir / "questions.txt";
  const auto out = dir / "answers.txt";
  {
    std::ofstream file(in);
    for (const std::string& q : questions) {
      file << q << '\n';
    }
  }
  const std::string command = "TZ=Europe/Berlin perl '" SUPPORTGW_BUSINESS_HOURS_ORACLE "' < '" +
                              in.string() + "' > '" + out.string() + "'";
  const int status = std::system(command.c_str());  // NOLINT(cert-env33-c): fixed command
  if (status != 0) {
    ADD_FAILURE() << "'" << command << "' exited with " << status
                  << "; is libbusiness-hours-perl installed (scripts/bootstrap)?";
    return {};
  }
  std::vector<std::int64_t> answers;
  std::ifstream file(out);
  for (std::int64_t value = 0; file >> value;) {
    answers.push_back(value);
  }
  return answers;
}

struct Case {
  Timestamp start;
  std::int64_t number;  // add: the duration in seconds; between: the end instant
};

// Whole-second instants in 2026-2027; every eighth lands exactly on an opening or closing
// time, where the two conventions are most likely to part.
std::vector<Timestamp> random_starts(const BusinessCalendar& cal, std::mt19937_64& random,
                                     int count) {
  const std::int64_t first = epoch_seconds(parse_iso8601("2026-01-01T00:00:00+01:00"));
  std::uniform_int_distribution<std::int64_t> offset(0, 2LL * 365 * 24 * 3600);
  std::vector<Timestamp> starts;
  for (int i = 0; i < count; ++i) {
    std::int64_t s = first + offset(random);
    if (i % 8 == 0) {
      // Snap to 08:30 or 17:00 local on that day, whatever the offset is (+01 or +02).
      const CivilDate day = cal.local_date(from_epoch_seconds(s));
      char text[40];
      std::snprintf(text, sizeof text, "%04d-%02u-%02uT%s:00Z", day.year % 10000, day.month % 100,
                    day.day % 100, i % 16 == 0 ? "07:30" : "16:00");
      const Timestamp utc_guess = parse_iso8601(text);  // +01:00 in winter
      s = epoch_seconds(utc_guess);
      if (cal.format_local(utc_guess).find("+02:00") != std::string::npos) {
        s -= 3600;  // summer time
      }
    }
    starts.push_back(from_epoch_seconds(s));
  }
  return starts;
}

TEST(BusinessHoursOracle, AddMatchesBusinessHoursAddSeconds) {
  const BusinessCalendar cal(oracle_calendar());
  std::mt19937_64 random(18122026);
  // Up to five business days; a quarter of them whole hours, so some end at 17:00.
  std::uniform_int_distribution<std::int64_t> duration(0, 5 * 30600);
  std::vector<Case> questions;
  std::vector<std::string> lines;
  for (const Timestamp start : random_starts(cal, random, cases)) {
    std::int64_t d = duration(random);
    if (questions.size() % 4 == 0) {
      d -= d % 3600;
    }
    questions.push_back({start, d});
    lines.push_back("add " + std::to_string(epoch_seconds(start)) + " " + std::to_string(d));
  }
  const auto answers = ask_perl(lines);
  ASSERT_EQ(answers.size(), questions.size());
  for (std::size_t i = 0; i < questions.size(); ++i) {
    const Case& q = questions[i];
    const Timestamp ours = cal.add(q.start, seconds{q.number});
    ASSERT_NE(answers[i], -1) << lines[i];
    EXPECT_EQ(epoch_seconds(cal.next_opening(ours)), answers[i])
        << lines[i] << ": start " << cal.format_local(q.start) << " + " << q.number << " s; ours "
        << cal.format_local(ours) << ", Business::Hours "
        << cal.format_local(from_epoch_seconds(answers[i]));
  }
}

TEST(BusinessHoursOracle, BetweenMatchesBusinessHoursBetween) {
  const BusinessCalendar cal(oracle_calendar());
  std::mt19937_64 random(21122026);
  std::uniform_int_distribution<std::int64_t> span(1, 10 * 24 * 3600);
  std::vector<Case> questions;
  std::vector<std::string> lines;
  for (const Timestamp start : random_starts(cal, random, cases)) {
    const std::int64_t end = epoch_seconds(start) + span(random);
    questions.push_back({start, end});
    // Business::Hours counts both ends; [start, end) is start..end-1 in whole seconds.
    lines.push_back("between " + std::to_string(epoch_seconds(start)) + " " +
                    std::to_string(end - 1));
  }
  const auto answers = ask_perl(lines);
  ASSERT_EQ(answers.size(), questions.size());
  for (std::size_t i = 0; i < questions.size(); ++i) {
    const Case& q = questions[i];
    const auto ours = cal.between(q.start, from_epoch_seconds(q.number));
    EXPECT_EQ(std::chrono::duration_cast<seconds>(ours).count(), answers[i])
        << lines[i] << ": " << cal.format_local(q.start) << " .. "
        << cal.format_local(from_epoch_seconds(q.number));
  }
}

}  // namespace
}  // namespace supportgw::calendar
