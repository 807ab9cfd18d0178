// [calendars.<name>]: business hours, 24x7, holidays -> calendar::CalendarSpec.

#include <algorithm>
#include <array>

#include "core/policy/parse_steps.hpp"

namespace supportgw::policy::detail {
namespace {

using calendar::CalendarSpec;
using calendar::HolidayRule;
using calendar::HolidayRuleKind;
using calendar::Observance;
using calendar::OpenInterval;

constexpr std::string_view kWeekdays = "mon, tue, wed, thu, fri, sat, sun";

// "mon" or "mon-fri" -> the days it covers, or empty when it is neither.
std::vector<unsigned> days_of_key(std::string_view key) {
  std::vector<unsigned> days;
  if (const auto day = weekday_from_name(key)) {
    days.push_back(*day);
    return days;
  }
  if (key.size() == 7 && key[3] == '-') {
    const auto first = weekday_from_name(key.substr(0, 3));
    const auto last = weekday_from_name(key.substr(4));
    if (first && last && *first < *last) {
      for (unsigned day = *first; day <= *last; ++day) {
        days.push_back(day);
      }
    }
  }
  return days;
}

// "08:30-17:00" -> [510, 1020).
OpenInterval parse_interval(const Source& source, const toml::node& node, const std::string& path) {
  const std::string text = expect_string(source, node, path);
  const std::string expected =
      ": expected an interval \"HH:MM-HH:MM\" such as \"08:30-17:00\" (24-hour clock, end may "
      "be 24:00), found \"" +
      text.substr(0, 40) + "\"";
  if (text.size() != 11 || text[5] != '-') {
    source.fail(node, path + expected);
  }
  const auto start = minute_of_day(std::string_view(text).substr(0, 5), false);
  const auto end = minute_of_day(std::string_view(text).substr(6), true);
  if (!start || !end) {
    source.fail(node, path + expected);
  }
  if (*start >= *end) {
    source.fail(node, path + ": the interval \"" + text +
                          "\" ends before it starts; expected start < end within one day "
                          "(split a night shift into two days)");
  }
  return OpenInterval{*start, *end};
}

void parse_hours(const Source& source, const toml::table& hours, const std::string& path,
                 CalendarSpec& spec) {
  std::array<bool, 7> given{};
  for (auto&& [key, node] : hours) {
    const std::string day_path = path + "." + std::string(key.str());
    const std::vector<unsigned> days = days_of_key(key.str());
    if (days.empty()) {
      source.fail(key.source(), "unknown key '" + std::string(key.str().substr(0, 40)) + "' in [" +
                                    path + "]; expected a weekday (" + std::string(kWeekdays) +
                                    ") or a range of them such as \"mon-fri\"");
    }
    const auto* array = node.as_array();
    if (array == nullptr) {
      source.fail(node, day_path +
                            ": expected an array of intervals such as [\"08:30-17:00\"] ([] for "
                            "closed), found " +
                            std::string(describe(node)));
    }
    std::vector<OpenInterval> intervals;
    for (std::size_t i = 0; i < array->size(); ++i) {
      intervals.push_back(
          parse_interval(source, *array->get(i), day_path + "[" + std::to_string(i) + "]"));
    }
    std::sort(intervals.begin(), intervals.end(), [](const OpenInterval& a, const OpenInterval& b) {
      return a.start_minute < b.start_minute;
    });
    for (std::size_t i = 1; i < intervals.size(); ++i) {
      if (intervals[i].start_minute < intervals[i - 1].end_minute) {
        source.fail(node, day_path +
                              ": intervals overlap; expected separate intervals such as "
                              "[\"08:00-12:00\", \"13:00-17:00\"]");
      }
    }
    for (unsigned day : days) {
      if (given[day]) {
        source.fail(key.source(), "[" + path + "]: weekday '" +
                                      std::string(kWeekdays.substr(day * 5, 3)) +
                                      "' is given twice; expected each day at most once");
      }
      given[day] = true;
      spec.weekly_hours[day] = intervals;
    }
  }
}

Observance parse_observance(const TableReader& rule) {
  static constexpr std::array<std::pair<std::string_view, Observance>, 4> kNames{{
      {"on_the_day", Observance::on_the_day},
      {"monday_if_weekend", Observance::monday_if_weekend},
      {"nearest_weekday", Observance::nearest_weekday},
      {"next_free_weekday", Observance::next_free_weekday},
  }};
  const auto name = rule.optional_string("observance");
  if (!name) {
    return Observance::on_the_day;
  }
  for (const auto& [text, observance] : kNames) {
    if (text == *name) {
      return observance;
    }
  }
  rule.fail("observance", "unknown observance '" + name->substr(0, 40) +
                              "'; expected on_the_day, monday_if_weekend, nearest_weekday or "
                              "next_free_weekday");
}

HolidayRule parse_holiday(const Source& source, const toml::table& table, const std::string& path) {
  const TableReader rule(source, table, path,
                         {"name", "date", "easter", "weekday", "nth", "month", "dates",
                          "observance", "first_year", "last_year"});
  HolidayRule holiday;
  holiday.name = rule.string("name");
  const int kinds = int{rule.has("date")} + int{rule.has("easter")} + int{rule.has("weekday")} +
                    int{rule.has("dates")};
  if (kinds != 1) {
    rule.source().fail(rule.where(),
                       "[" + path + "] (" + holiday.name.substr(0, 40) +
                           "): expected exactly one of date = \"MM-DD\", easter = OFFSET, "
                           "weekday + nth + month, or dates = [YYYY-MM-DD, ...]");
  }
  if (rule.has("date")) {
    holiday.kind = HolidayRuleKind::fixed_date;
    const std::string text = rule.string("date");
    static constexpr std::array<unsigned, 12> kDaysInMonth{31, 29, 31, 30, 31, 30,
                                                           31, 31, 30, 31, 30, 31};
    const auto digits = [&](std::size_t at) {
      return text[at] >= '0' && text[at] <= '9' && text[at + 1] >= '0' && text[at + 1] <= '9';
    };
    bool ok = text.size() == 5 && text[2] == '-' && digits(0) && digits(3);
    if (ok) {
      holiday.month = static_cast<unsigned>((text[0] - '0') * 10 + (text[1] - '0'));
      holiday.day = static_cast<unsigned>((text[3] - '0') * 10 + (text[4] - '0'));
      ok = holiday.month >= 1 && holiday.month <= 12 && holiday.day >= 1 &&
           holiday.day <= kDaysInMonth[holiday.month - 1];
    }
    if (!ok) {
      rule.fail("date", "expected a month and day \"MM-DD\" such as \"12-25\", found \"" +
                            text.substr(0, 20) + "\"");
    }
  } else if (rule.has("easter")) {
    holiday.kind = HolidayRuleKind::easter_relative;
    holiday.easter_offset = static_cast<int>(rule.integer("easter", -100, 100));
  } else if (rule.has("weekday")) {
    holiday.kind = HolidayRuleKind::nth_weekday;
    const std::string day = rule.string("weekday");
    const auto weekday = weekday_from_name(day);
    if (!weekday) {
      rule.fail("weekday", "expected a weekday (" + std::string(kWeekdays) + "), found \"" +
                               day.substr(0, 20) + "\"");
    }
    holiday.weekday = *weekday;
    holiday.month = static_cast<unsigned>(rule.integer("month", 1, 12));
    holiday.nth = static_cast<int>(rule.integer("nth", -1, 5));
    if (holiday.nth == 0) {
      rule.fail("nth", "expected 1..5 (the nth such weekday of the month) or -1 (the last)");
    }
  } else {
    holiday.kind = HolidayRuleKind::explicit_dates;
    const toml::node& node = rule.require("dates");
    const auto* dates = node.as_array();
    if (dates == nullptr || dates->empty()) {
      rule.fail("dates", "expected a non-empty array of dates such as [2026-07-10]");
    }
    for (std::size_t i = 0; i < dates->size(); ++i) {
      holiday.dates.push_back(expect_date(source, *dates->get(i),
                                          rule.path_of("dates") + "[" + std::to_string(i) + "]"));
    }
  }
  if (holiday.kind != HolidayRuleKind::nth_weekday) {
    for (std::string_view only : {"month", "nth"}) {
      if (rule.has(only)) {
        rule.fail(only, "only allowed with weekday = \"...\" (an nth-weekday holiday)");
      }
    }
  }
  if (rule.has("observance") && holiday.kind != HolidayRuleKind::fixed_date) {
    rule.fail("observance",
              "only allowed with date = \"MM-DD\": the other kinds of holiday never move");
  }
  holiday.observance = parse_observance(rule);
  if (const auto first = rule.optional_integer("first_year", 1900, 2200)) {
    holiday.first_year = static_cast<int>(*first);
  }
  if (const auto last = rule.optional_integer("last_year", 1900, 2200)) {
    holiday.last_year = static_cast<int>(*last);
    if (holiday.first_year && *holiday.first_year > *holiday.last_year) {
      rule.fail("last_year", "expected last_year >= first_year");
    }
  }
  return holiday;
}

CalendarSpec parse_calendar(const Source& source, const std::string& name, const toml::table& table,
                            const Policy& policy) {
  const std::string path = "calendars." + name;
  const TableReader reader(source, table, path, {"time_zone", "always_open", "hours", "holiday"});
  CalendarSpec spec;
  spec.name = name;
  spec.time_zone = reader.optional_string("time_zone").value_or(policy.vendor.time_zone);
  if (reader.has("time_zone")) {
    check_time_zone(source, reader.require("time_zone"), reader.path_of("time_zone"),
                    spec.time_zone);
  }
  spec.always_open = reader.optional_boolean("always_open").value_or(false);
  if (spec.always_open) {
    for (std::string_view key : {"hours", "holiday"}) {
      if (reader.has(key)) {
        reader.fail(key,
                    "an always-open calendar has no hours or holidays; remove this or set "
                    "always_open = false");
      }
    }
    return spec;
  }
  if (!reader.has("hours")) {
    reader.source().fail(reader.where(),
                         "[" + path +
                             "]: missing key 'hours'; expected business hours such as "
                             "hours = { mon-fri = [\"08:00-17:00\"] }, or always_open = "
                             "true");
  }
  parse_hours(source, reader.subtable("hours"), reader.path_of("hours"), spec);
  const bool ever_open = std::any_of(spec.weekly_hours.begin(), spec.weekly_hours.end(),
                                     [](const auto& day) { return !day.empty(); });
  if (!ever_open) {
    reader.fail("hours", "the calendar is never open; expected at least one open interval");
  }
  if (const toml::array* holidays = reader.optional_table_array("holiday")) {
    for (std::size_t i = 0; i < holidays->size(); ++i) {
      spec.holidays.push_back(
          parse_holiday(source, *holidays->get(i)->as_table(),
                        reader.path_of("holiday") + "[" + std::to_string(i) + "]"));
    }
  }
  return spec;
}

}  // namespace

void parse_calendars(const TableReader& root, Policy& policy) {
  const toml::table& calendars = root.subtable("calendars");
  if (calendars.empty()) {
    root.fail("calendars", "expected at least one calendar, such as [calendars.business]");
  }
  for (auto&& [key, node] : calendars) {
    const std::string name(key.str());
    const toml::table& table = expect_table(root.source(), node, "calendars." + name);
    policy.calendars.emplace(name, parse_calendar(root.source(), name, table, policy));
  }
}

}  // namespace supportgw::policy::detail
