#include "core/cli/policy_explain_commands.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "core/calendar/business_calendar.hpp"
#include "core/policy/policy_parser.hpp"
#include "core/sla/calendar_set.hpp"
#include "core/sla/timeline.hpp"
#include "core/util/error.hpp"

namespace supportgw::cli {
namespace {

struct ExplainArguments {
  std::string policy_file;
  int severity = 0;
  std::string opened;
};

struct HolidayArguments {
  std::string policy_file;
  int year = 0;
};

boost::json::object instant_json(const calendar::BusinessCalendar& clock, Timestamp at) {
  return boost::json::object{{"local", clock.format_local(at)}, {"utc", format_utc(at)}};
}

std::string_view kind_name(sla::TimelineEntry::Kind kind) {
  switch (kind) {
    case sla::TimelineEntry::Kind::sla_due:
      return "sla_due";
    case sla::TimelineEntry::Kind::escalation_step:
      return "escalation_step";
    case sla::TimelineEntry::Kind::repage:
      return "repage";
  }
  return "?";
}

int run_explain(const GlobalOptions& options, const ExplainArguments& args) {
  const policy::Policy policy = policy::load_policy(args.policy_file);
  // An unknown level is a wrong value on the command line (exit 4), not a missing ticket.
  if (args.severity < 1 || static_cast<std::size_t>(args.severity) > policy.severities.size()) {
    throw InvalidArgument(args.policy_file + " defines severities 1.." +
                          std::to_string(policy.severities.size()) + ", not " +
                          std::to_string(args.severity));
  }
  const Timestamp opened = parse_iso8601(args.opened);
  const sla::CalendarSet calendars(policy);
  const std::vector<sla::TimelineEntry> timeline =
      sla::plan_timeline(policy, calendars, args.severity, opened);
  // Every instant is shown in the vendor's zone, whatever calendar measured it: the
  // vendor reads one clock, and an always-open calendar may carry no zone of its own.
  const calendar::BusinessCalendar& clock = calendars.vendor_zone();
  const policy::Severity& severity = policy.severity(args.severity);

  if (options.json) {
    boost::json::array entries;
    for (const sla::TimelineEntry& entry : timeline) {
      boost::json::object item = instant_json(clock, entry.at);
      item["kind"] = kind_name(entry.kind);
      item["label"] = entry.label;
      item["calendar"] = entry.calendar;
      item["detail"] = entry.detail;
      if (entry.delivered_at) {
        item["delivered_at"] = instant_json(clock, *entry.delivered_at);
      }
      entries.push_back(std::move(item));
    }
    std::cout << boost::json::serialize(boost::json::object{
                     {"policy", args.policy_file},
                     {"vendor", policy.vendor.name},
                     {"time_zone", policy.vendor.time_zone},
                     {"severity",
                      boost::json::object{{"level", severity.level}, {"name", severity.name}}},
                     {"opened", instant_json(clock, opened)},
                     {"entries", std::move(entries)}})
              << '\n';
    return 0;
  }

  std::cout << policy.vendor.name << ": severity " << severity.level << " (" << severity.name
            << ") opened " << clock.format_local(opened) << " (" << format_utc(opened)
            << "); local times in " << policy.vendor.time_zone << '\n';
  for (const sla::TimelineEntry& entry : timeline) {
    std::cout << clock.format_local(entry.at) << "  " << format_utc(entry.at) << "  " << entry.label
              << " [" << entry.calendar << "]\n"
              << "    " << entry.detail << '\n';
    if (entry.delivered_at) {
      std::cout << "    sent " << clock.format_local(*entry.delivered_at) << "  "
                << format_utc(*entry.delivered_at) << '\n';
    }
  }
  if (timeline.empty()) {
    std::cout << "(no SLA targets or escalation steps)\n";
  }
  return 0;
}

std::string iso_date(const CivilDate& date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", date.year, date.month, date.day);
  return text;
}

std::string_view weekday_name(const CivilDate& date) {
  namespace chrono = std::chrono;
  static constexpr std::string_view names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  const chrono::sys_days day{chrono::year_month_day{
      chrono::year{date.year}, chrono::month{date.month}, chrono::day{date.day}}};
  return names[chrono::weekday{day}.iso_encoding() - 1];
}

int run_holidays(const GlobalOptions& options, const HolidayArguments& args) {
  const policy::Policy policy = policy::load_policy(args.policy_file);
  const sla::CalendarSet calendars(policy);

  boost::json::array calendar_list;
  if (!options.json) {
    std::cout << policy.vendor.name << ": holidays observed in " << args.year << '\n';
  }
  for (const auto& [name, spec] : policy.calendars) {
    // A 24x7 calendar has no holidays to check.
    if (spec.always_open) {
      continue;
    }
    const calendar::BusinessCalendar& business = calendars.get(name);
    const std::vector<calendar::Holiday> holidays = business.holidays(args.year);
    if (options.json) {
      boost::json::array days;
      for (const calendar::Holiday& holiday : holidays) {
        days.push_back(boost::json::object{{"date", iso_date(holiday.date)},
                                           {"weekday", weekday_name(holiday.date)},
                                           {"name", holiday.name},
                                           {"observed", holiday.observed}});
      }
      calendar_list.push_back(boost::json::object{
          {"name", name}, {"time_zone", business.time_zone()}, {"holidays", std::move(days)}});
      continue;
    }
    std::cout << name << " (" << business.time_zone() << "): " << holidays.size()
              << (holidays.size() == 1 ? " holiday\n" : " holidays\n");
    for (const calendar::Holiday& holiday : holidays) {
      std::cout << "  " << iso_date(holiday.date) << "  " << weekday_name(holiday.date) << "  "
                << holiday.name << '\n';
    }
  }
  if (options.json) {
    std::cout << boost::json::serialize(
                     boost::json::object{{"policy", args.policy_file},
                                         {"vendor", policy.vendor.name},
                                         {"year", args.year},
                                         {"calendars", std::move(calendar_list)}})
              << '\n';
  }
  return 0;
}

}  // namespace

void add_policy_explain_commands(CLI::App& app, GlobalOptions& options,
                                 std::function<int()>& action) {
  CLI::App* policy = app.get_subcommand("policy");

  auto explain_args = std::make_shared<ExplainArguments>();
  CLI::App* explain = policy->add_subcommand(
      "explain", "Print the timeline of a ticket: SLA due times and escalation steps");
  explain->add_option("--policy", explain_args->policy_file, "policy.toml file")->required();
  explain->add_option("--severity", explain_args->severity, "Severity level (1 = most severe)")
      ->required();
  explain
      ->add_option("--opened", explain_args->opened,
                   "When the ticket is opened: 2026-12-18T16:00:00+01:00")
      ->required();
  explain->callback([&options, &action, explain_args] {
    action = [&options, explain_args] { return run_explain(options, *explain_args); };
  });

  auto holiday_args = std::make_shared<HolidayArguments>();
  CLI::App* holidays = policy->add_subcommand(
      "holidays", "List the holidays each business calendar of a policy observes in a year");
  holidays->add_option("--policy", holiday_args->policy_file, "policy.toml file")->required();
  holidays->add_option("--year", holiday_args->year, "Year, e.g. 2026")
      ->required()
      ->check(CLI::Range(calendar::first_supported_year, calendar::last_supported_year));
  holidays->callback([&options, &action, holiday_args] {
    action = [&options, holiday_args] { return run_holidays(options, *holiday_args); };
  });
}

}  // namespace supportgw::cli
