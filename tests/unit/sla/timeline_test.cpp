// plan_timeline on the seed vendors' real policies: the instants `policy explain` prints
// and the escalation engine must agree with.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "core/util/error.hpp"
#include "tests/unit/sla/example_policy.hpp"

namespace supportgw::sla {
namespace {

using Kind = TimelineEntry::Kind;
using testing::at;
using testing::Example;

// The entry whose label is `label`; fails the test when there is none.
const TimelineEntry& entry(const std::vector<TimelineEntry>& timeline, std::string_view label) {
  const auto found = std::find_if(timeline.begin(), timeline.end(),
                                  [&](const TimelineEntry& e) { return e.label == label; });
  if (found == timeline.end()) {
    std::string labels;
    for (const TimelineEntry& e : timeline) {
      labels += "\n  " + e.label;
    }
    ADD_FAILURE() << "no entry '" << label << "'; the timeline has:" << labels;
    static const TimelineEntry none;
    return none;
  }
  return *found;
}

std::vector<std::string> labels(const std::vector<TimelineEntry>& timeline) {
  std::vector<std::string> result;
  for (const TimelineEntry& e : timeline) {
    result.push_back(e.label);
  }
  return result;
}

bool sorted(const std::vector<TimelineEntry>& timeline) {
  return std::is_sorted(timeline.begin(), timeline.end(),
                        [](const TimelineEntry& a, const TimelineEntry& b) { return a.at < b.at; });
}

// --- NETCOR (Europe/Berlin, Mon-Fri 08:30-17:00, Lower Saxony holidays) ---------------

TEST(Timeline, NetcorKritischOpenedFridayAfternoon) {
  const Example netcor("netcor");
  const auto timeline = netcor.timeline(1, "2026-12-18T16:00:00+01:00");
  ASSERT_TRUE(sorted(timeline));
  // The example: 1 h on Friday until 17:00, 3 h from Monday 08:30.
  const TimelineEntry& first = entry(timeline, "first response due");
  EXPECT_EQ(first.kind, Kind::sla_due);
  EXPECT_EQ(first.at, at("2026-12-21T11:30:00+01:00"));
  EXPECT_EQ(first.calendar, "geschaeftszeiten");
  EXPECT_EQ(first.detail, "first response within 4h on geschaeftszeiten");
  // "täglich verfolgt": one business day after the first response, taken at its due time.
  EXPECT_EQ(entry(timeline, "first update due").at, at("2026-12-22T11:30:00+01:00"));
  // Breach warning at 75 % of 4 business hours: 1 h Friday + 2 h Monday.
  const TimelineEntry& warning = entry(timeline, "step 1: Reaktionszeit zu 75 % verstrichen");
  EXPECT_EQ(warning.kind, Kind::escalation_step);
  EXPECT_EQ(warning.at, at("2026-12-21T10:30:00+01:00"));
  EXPECT_EQ(warning.detail,
            "notify role support_lead (Leitung Support); due at 75% of the first response "
            "target (4h on geschaeftszeiten); not if responded");
  EXPECT_FALSE(warning.delivered_at);
  // The breach notice coincides with the breach and is listed after it.
  EXPECT_EQ(entry(timeline, "step 2: Reaktionszeit überschritten").at,
            at("2026-12-21T11:30:00+01:00"));
  EXPECT_EQ(labels(timeline), (std::vector<std::string>{
                                  "step 1: Reaktionszeit zu 75 % verstrichen", "first response due",
                                  "step 2: Reaktionszeit überschritten", "first update due"}));
}

TEST(Timeline, NetcorBusinessDayTargetsSkipChristmas) {
  const Example netcor("netcor");
  // "2 Geschäftstage": Wednesday 23rd -> Thursday 24th is one, the 25th and 26th are
  // holidays, Monday 28th is two; the time of day is kept.
  EXPECT_EQ(entry(netcor.timeline(3, "2026-12-23T10:00:00+01:00"), "first response due").at,
            at("2026-12-28T10:00:00+01:00"));
  // "4 Geschäftstage" from Friday 16:00: Mon 21, Tue 22, Wed 23, Thu 24.
  const auto niedrig = netcor.timeline(4, "2026-12-18T16:00:00+01:00");
  ASSERT_EQ(niedrig.size(), 1u);  // no update interval, no resolution, no ladder
  EXPECT_EQ(niedrig[0].at, at("2026-12-24T16:00:00+01:00"));
  EXPECT_EQ(niedrig[0].detail, "first response within 4 business days on geschaeftszeiten");
}

TEST(Timeline, NetcorAcrossTheSpringForwardWeekend) {
  const Example netcor("netcor");
  // Clocks go to summer time on Sunday 29 March 2026 at 02:00; business hours stay
  // 08:30-17:00 local, so the offset in the answers changes, the local times do not.
  const auto timeline = netcor.timeline(1, "2026-03-27T16:00:00+01:00");
  EXPECT_EQ(entry(timeline, "step 1: Reaktionszeit zu 75 % verstrichen").at,
            at("2026-03-30T10:30:00+02:00"));
  EXPECT_EQ(entry(timeline, "first response due").at, at("2026-03-30T11:30:00+02:00"));
  EXPECT_EQ(entry(timeline, "first update due").at, at("2026-03-31T11:30:00+02:00"));
}

// --- NetEx (America/Chicago; the seed's escalation table on the 24x7 calendar) ---------

TEST(Timeline, NetexEscalationTableAsTheExampleDefinesIt) {
  const Example netex("netex");
  struct Row {
    int level;
    const char* director;
    const char* president;
  };
  // Opened Monday 1 June 2026, 09:00 CDT; every step lands in business hours, so none
  // is held.
  for (const Row& row : {Row{1, "2026-06-01T17:00:00-05:00", "2026-06-02T09:00:00-05:00"},
                         Row{2, "2026-06-04T09:00:00-05:00", "2026-06-08T09:00:00-05:00"},
                         Row{3, "2026-06-11T09:00:00-05:00", "2026-06-15T09:00:00-05:00"},
                         Row{4, "2026-07-16T09:00:00-05:00", "2026-07-31T09:00:00-05:00"}}) {
    SCOPED_TRACE("severity " + std::to_string(row.level));
    const auto timeline = netex.timeline(row.level, "2026-06-01T09:00:00-05:00");
    const TimelineEntry& director = entry(timeline, "step 1: Director of Customer Services");
    EXPECT_EQ(director.at, at(row.director));
    EXPECT_EQ(director.calendar, "24x7");
    EXPECT_FALSE(director.delivered_at);
    const TimelineEntry& president = entry(timeline, "step 2: President and General Manager");
    EXPECT_EQ(president.at, at(row.president));
    EXPECT_FALSE(president.delivered_at);
  }
}

TEST(Timeline, NetexSystemDownAcrossTheUsSpringForward) {
  const Example netex("netex");
  // Saturday 7 March 2026 20:00 CST; at 02:00 on Sunday the clocks jump to 03:00 CDT.
  // "8 hours" and "24 hours" are elapsed time, so they end an hour later on the clock.
  const auto timeline = netex.timeline(1, "2026-03-07T20:00:00-06:00");
  EXPECT_EQ(entry(timeline, "first response due").at, at("2026-03-07T21:00:00-06:00"));
  EXPECT_EQ(entry(timeline, "step 1: Director of Customer Services").at,
            at("2026-03-08T05:00:00-05:00"));
  EXPECT_EQ(entry(timeline, "step 2: President and General Manager").at,
            at("2026-03-08T21:00:00-05:00"));
}

TEST(Timeline, NetexBusinessDayTargetAcrossTheUsSpringForward) {
  const Example netex("netex");
  // Friday 6 March 10:00 CST: "1 business day" is Monday 10:00 local, now CDT.
  const auto timeline = netex.timeline(3, "2026-03-06T10:00:00-06:00");
  EXPECT_EQ(entry(timeline, "first response due").at, at("2026-03-09T10:00:00-05:00"));
  // 10 and 14 days of elapsed time: 11:00 on the clock after the change.
  EXPECT_EQ(entry(timeline, "step 1: Director of Customer Services").at,
            at("2026-03-16T11:00:00-05:00"));
  EXPECT_EQ(entry(timeline, "step 2: President and General Manager").at,
            at("2026-03-20T11:00:00-05:00"));
}

TEST(Timeline, NetexNotificationsDueAtNightWaitForBusinessHours) {
  const Example netex("netex");
  // Opened Thursday 17 December 20:00. 3 days later is Sunday 20:00: the Director's mail
  // waits for Monday 08:00. 7 days later is Christmas Eve 20:00: Friday is Christmas
  // Day (observed), then the weekend, so the President hears on Monday the 28th.
  const auto timeline = netex.timeline(2, "2026-12-17T20:00:00-06:00");
  const TimelineEntry& director = entry(timeline, "step 1: Director of Customer Services");
  EXPECT_EQ(director.at, at("2026-12-20T20:00:00-06:00"));
  ASSERT_TRUE(director.delivered_at);
  EXPECT_EQ(*director.delivered_at, at("2026-12-21T08:00:00-06:00"));
  EXPECT_NE(director.detail.find("notification held until business opens"), std::string::npos)
      << director.detail;
  const TimelineEntry& president = entry(timeline, "step 2: President and General Manager");
  EXPECT_EQ(president.at, at("2026-12-24T20:00:00-06:00"));
  ASSERT_TRUE(president.delivered_at);
  EXPECT_EQ(*president.delivered_at, at("2026-12-28T08:00:00-06:00"));
  // Severity 1 has no notify calendar: the Director hears at night.
  const auto system_down = netex.timeline(1, "2026-12-17T20:00:00-06:00");
  const TimelineEntry& night = entry(system_down, "step 1: Director of Customer Services");
  EXPECT_EQ(night.at, at("2026-12-18T04:00:00-06:00"));
  EXPECT_FALSE(night.delivered_at);
}

TEST(Timeline, StepNotifyCalendarOverridesTheLadders) {
  Example netex("netex");
  // A step may follow its own calendar: the President only on the 24x7 one (never held).
  netex.policy.severities[1].escalation.steps[1].notify_calendar = "24x7";
  const auto timeline = netex.timeline(2, "2026-12-17T20:00:00-06:00");
  EXPECT_TRUE(entry(timeline, "step 1: Director of Customer Services").delivered_at);
  EXPECT_FALSE(entry(timeline, "step 2: President and General Manager").delivered_at);
}

TEST(Timeline, RaiseToLevelIsSpelledOut) {
  Example netex("netex");
  policy::EscalationStep& step = netex.policy.severities[1].escalation.steps[0];
  step.raise_to_level = 1;
  const auto timeline = netex.timeline(2, "2026-06-01T09:00:00-05:00");
  EXPECT_EQ(entry(timeline, "step 1: Director of Customer Services").detail,
            "notify role director_customer_services (Director of Customer Services); raise to "
            "level 1 (System Down); due 3d after opening (24x7); not if resolved");
}

// --- Jet.Net (America/Los_Angeles): "paged to respond within an hour" ----------------

TEST(Timeline, JetnetPagesAtOnceAndRepagesEveryHour) {
  const Example jetnet("jetnet");
  // A Saturday night on a holiday weekend: pages are never held for a calendar.
  const auto timeline = jetnet.timeline(1, "2026-07-04T02:00:00-07:00");
  ASSERT_TRUE(sorted(timeline));
  const TimelineEntry& page = entry(timeline, "step 1: Page the technician on call");
  EXPECT_EQ(page.kind, Kind::escalation_step);
  EXPECT_EQ(page.at, at("2026-07-04T02:00:00-07:00"));
  EXPECT_EQ(page.detail,
            "page rotation technician (Technician on call); due 0m after opening (24x7); not "
            "if acknowledged or responded");
  EXPECT_EQ(entry(timeline, "first response due").at, at("2026-07-04T03:00:00-07:00"));
  EXPECT_EQ(entry(timeline, "step 2: Response hour missed").at, at("2026-07-04T03:00:00-07:00"));
  // No repage_limit: the first three are listed.
  std::vector<Timestamp> repages;
  for (const TimelineEntry& e : timeline) {
    if (e.kind == Kind::repage) {
      repages.push_back(e.at);
      EXPECT_EQ(e.calendar, "wall clock");
      EXPECT_EQ(e.detail,
                "page rotation technician (Technician on call) again, every 1h; not if "
                "acknowledged or responded");
      EXPECT_FALSE(e.delivered_at);
    }
  }
  EXPECT_EQ(repages, (std::vector<Timestamp>{at("2026-07-04T03:00:00-07:00"),
                                             at("2026-07-04T04:00:00-07:00"),
                                             at("2026-07-04T05:00:00-07:00")}));
  EXPECT_EQ(entry(timeline,
                  "step 1: Page the technician on call, re-page 1 (no limit; the first 3 are "
                  "listed)")
                .at,
            at("2026-07-04T03:00:00-07:00"));
  // At 03:00: the due target first, then steps and re-pages in policy order.
  EXPECT_EQ(labels(timeline)[1], "first response due");
  EXPECT_EQ(labels(timeline)[2],
            "step 1: Page the technician on call, re-page 1 (no limit; the first 3 are listed)");
  EXPECT_EQ(labels(timeline)[3], "step 2: Response hour missed");
}

TEST(Timeline, JetnetRepagesAreWallClockAcrossTheSpringForward) {
  const Example jetnet("jetnet");
  // Sunday 8 March 2026 01:30 PST; at 02:00 the clocks jump to 03:00 PDT.
  const auto timeline = jetnet.timeline(1, "2026-03-08T01:30:00-08:00");
  std::vector<Timestamp> repages;
  for (const TimelineEntry& e : timeline) {
    if (e.kind == Kind::repage) {
      repages.push_back(e.at);
    }
  }
  EXPECT_EQ(repages, (std::vector<Timestamp>{at("2026-03-08T03:30:00-07:00"),
                                             at("2026-03-08T04:30:00-07:00"),
                                             at("2026-03-08T05:30:00-07:00")}));
  EXPECT_EQ(entry(timeline, "first response due").at, at("2026-03-08T03:30:00-07:00"));
}

TEST(Timeline, RepageLimitAndLadderStopsFromNeT) {
  const Example net("ne-t");
  // "Re-page every 15 minutes", at most 3 times; the ladder also stops once owned.
  const auto timeline = net.timeline(1, "2026-06-01T23:50:00-04:00");
  const std::string step = "step 1: Re-page the On-Call engineer";
  EXPECT_EQ(entry(timeline, step).at, at("2026-06-02T00:05:00-04:00"));
  EXPECT_EQ(entry(timeline, step + ", re-page 1 of 3").at, at("2026-06-02T00:20:00-04:00"));
  EXPECT_EQ(entry(timeline, step + ", re-page 2 of 3").at, at("2026-06-02T00:35:00-04:00"));
  const TimelineEntry& last = entry(timeline, step + ", re-page 3 of 3");
  EXPECT_EQ(last.at, at("2026-06-02T00:50:00-04:00"));
  EXPECT_EQ(last.detail,
            "page rotation on_call (On-Call engineer) again, every 15m; not if acknowledged, "
            "responded or owned");
  EXPECT_EQ(std::count_if(timeline.begin(), timeline.end(),
                          [](const TimelineEntry& e) { return e.kind == Kind::repage; }),
            3);
}

TEST(Timeline, JetnetRoutineWarnsHalfWayThroughTwoBusinessDays) {
  const Example jetnet("jetnet");
  // Opened Saturday: the two business days run Monday 08:00 to Wednesday 08:00 (18 open
  // hours). Half of them is Monday 17:00; the full share is the due instant itself.
  const auto timeline = jetnet.timeline(2, "2026-03-28T10:00:00-07:00");
  EXPECT_EQ(entry(timeline, "step 1: Usual 24 hours passed").at, at("2026-03-30T17:00:00-07:00"));
  EXPECT_EQ(entry(timeline, "resolution due").at, at("2026-04-01T08:00:00-07:00"));
  EXPECT_EQ(entry(timeline, "first response due").at, at("2026-04-01T08:00:00-07:00"));
  EXPECT_EQ(entry(timeline, "step 2: 48-hour limit passed").at, at("2026-04-01T08:00:00-07:00"));
  EXPECT_EQ(labels(timeline),
            (std::vector<std::string>{"step 1: Usual 24 hours passed", "first response due",
                                      "resolution due", "step 2: 48-hour limit passed"}));
}

// --- OneNet (Pacific/Auckland) ---------------------------------------------------------

TEST(Timeline, OnenetNormalWaitsOverMatariki) {
  const Example onenet("onenet");
  // Thursday 9 July 2026 10:00 NZST + 1 business day: Friday the 10th is Matariki, so
  // Monday the 13th, 10:00.
  EXPECT_EQ(entry(onenet.timeline(2, "2026-07-09T10:00:00+12:00"), "first response due").at,
            at("2026-07-13T10:00:00+12:00"));
}

TEST(Timeline, UnknownSeverityIsNotFound) {
  const Example netcor("netcor");
  EXPECT_THROW((void)netcor.timeline(5, "2026-12-18T16:00:00+01:00"), NotFound);
  EXPECT_THROW((void)netcor.timeline(0, "2026-12-18T16:00:00+01:00"), NotFound);
}

}  // namespace
}  // namespace supportgw::sla
