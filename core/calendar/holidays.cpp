#include "core/calendar/holidays.hpp"

#include <algorithm>
#include <set>

#include <date/date.h>

#include "core/calendar/civil_date.hpp"
#include "core/util/error.hpp"

namespace supportgw::calendar {

namespace {

// Large enough for every real rule (Corpus Christi is Easter + 60) and small enough that
// date arithmetic on int days can never overflow.
constexpr int max_easter_offset = 366;

struct Occurrence {
  date::sys_days day;
  const HolidayRule* rule;
};

[[noreturn]] void fail(const CalendarSpec& spec, const HolidayRule& rule, const std::string& what) {
  throw InvalidArgument("calendar '" + spec.name + "': holiday '" + rule.name + "': " + what);
}

bool is_weekend(date::sys_days day) {
  const date::weekday wd{day};
  return wd == date::Saturday || wd == date::Sunday;
}

void check_rule(const CalendarSpec& spec, const HolidayRule& rule) {
  if (rule.name.empty()) {
    throw InvalidArgument("calendar '" + spec.name + "': a holiday rule has no name");
  }
  auto check_month = [&] {
    if (rule.month < 1 || rule.month > 12) {
      fail(spec, rule, "month " + std::to_string(rule.month) + " is not 1..12");
    }
  };
  switch (rule.kind) {
    case HolidayRuleKind::fixed_date: {
      check_month();
      // A leap year, so that 02-29 is accepted (it is simply absent in other years).
      const auto last =
          date::year_month_day_last{date::year{2000}, date::month_day_last{date::month{rule.month}}}
              .day();
      if (rule.day < 1 || rule.day > static_cast<unsigned>(last)) {
        fail(spec, rule,
             "day " + std::to_string(rule.day) + " does not exist in month " +
                 std::to_string(rule.month));
      }
      break;
    }
    case HolidayRuleKind::easter_relative:
      if (rule.easter_offset < -max_easter_offset || rule.easter_offset > max_easter_offset) {
        fail(spec, rule,
             "Easter offset " + std::to_string(rule.easter_offset) + " is outside -366..366 days");
      }
      break;
    case HolidayRuleKind::nth_weekday:
      check_month();
      if (rule.weekday > 6) {
        fail(spec, rule,
             "weekday " + std::to_string(rule.weekday) + " is not 0 (Monday) .. 6 (Sunday)");
      }
      if (rule.nth != -1 && (rule.nth < 1 || rule.nth > 5)) {
        fail(spec, rule, "nth " + std::to_string(rule.nth) + " is not 1..5 or -1 (the last)");
      }
      break;
    case HolidayRuleKind::explicit_dates:
      if (rule.dates.empty()) {
        fail(spec, rule, "no dates given");
      }
      for (const CivilDate& d : rule.dates) {
        if (!to_ymd(d).ok() || d.year < first_supported_year || d.year > last_supported_year) {
          fail(spec, rule,
               "date " + std::to_string(d.year) + "-" + std::to_string(d.month) + "-" +
                   std::to_string(d.day) + " is not a valid date in years 1583..9999");
        }
      }
      break;
  }
  if (rule.first_year && rule.last_year && *rule.first_year > *rule.last_year) {
    fail(spec, rule,
         "first year " + std::to_string(*rule.first_year) + " is after last year " +
             std::to_string(*rule.last_year));
  }
}

date::sys_days easter_day(int year) {
  // Anonymous Gregorian algorithm (Meeus, "Astronomical Algorithms", ch. 8).
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return date::sys_days{date::year{year} / date::month{static_cast<unsigned>(month)} /
                        date::day{static_cast<unsigned>(day)}};
}

// The day(s) a rule falls on in `year`, before any observance moves them.
void occurrences(const HolidayRule& rule, int year, std::vector<Occurrence>& out) {
  if ((rule.first_year && year < *rule.first_year) || (rule.last_year && year > *rule.last_year)) {
    return;
  }
  const date::year y{year};
  switch (rule.kind) {
    case HolidayRuleKind::fixed_date: {
      const date::year_month_day ymd{y, date::month{rule.month}, date::day{rule.day}};
      if (ymd.ok()) {  // 02-29 only in leap years
        out.push_back({date::sys_days{ymd}, &rule});
      }
      break;
    }
    case HolidayRuleKind::easter_relative:
      out.push_back({easter_day(year) + date::days{rule.easter_offset}, &rule});
      break;
    case HolidayRuleKind::nth_weekday: {
      // ISO 0 = Monday .. 6 = Sunday; date::weekday takes 1 = Monday .. 7 = Sunday.
      const date::weekday wd{rule.weekday + 1};
      if (rule.nth == -1) {
        out.push_back({date::sys_days{date::year_month_weekday_last{y, date::month{rule.month},
                                                                    date::weekday_last{wd}}},
                       &rule});
      } else {
        const date::year_month_weekday ymw{y, date::month{rule.month},
                                           wd[static_cast<unsigned>(rule.nth)]};
        if (ymw.ok()) {  // a 5th weekday exists only in some months
          out.push_back({date::sys_days{ymw}, &rule});
        }
      }
      break;
    }
    case HolidayRuleKind::explicit_dates:
      for (const CivilDate& d : rule.dates) {
        if (d.year == year) {
          out.push_back({date::sys_days{to_ymd(d)}, &rule});
        }
      }
      break;
  }
}

struct Placed {
  date::sys_days day;
  const std::string* name;
  bool observed;
};

}  // namespace

CivilDate western_easter(int year) {
  if (year < first_supported_year || year > last_supported_year) {
    throw InvalidArgument("Easter is computed for years 1583..9999 only, not " +
                          std::to_string(year));
  }
  return to_civil(easter_day(year));
}

void check_holiday_rules(const CalendarSpec& spec) {
  for (const HolidayRule& rule : spec.holidays) {
    check_rule(spec, rule);
  }
}

std::vector<Holiday> holidays_in_year(const CalendarSpec& spec, int year) {
  if (year < first_supported_year || year > last_supported_year) {
    throw InvalidArgument("calendar '" + spec.name + "': holidays are computed for years " +
                          "1583..9999 only, not " + std::to_string(year));
  }
  check_holiday_rules(spec);

  // Observance moves a holiday by at most a few days, so the neighbouring years' rules
  // are enough to find everything observed in `year` (Jan 1 -> Dec 31 before, Dec 31 ->
  // Jan 2 after) and to know which days are taken around the turn of the year.
  std::vector<Occurrence> occ;
  for (int y = year - 1; y <= year + 1; ++y) {
    for (const HolidayRule& rule : spec.holidays) {
      occurrences(rule, y, occ);
    }
  }

  std::vector<Placed> placed;
  std::vector<Occurrence> deferred;  // next_free_weekday holidays that must move
  for (const Occurrence& o : occ) {
    placed.push_back({o.day, &o.rule->name, false});
    if (!is_weekend(o.day)) {
      continue;
    }
    const bool saturday = date::weekday{o.day} == date::Saturday;
    switch (o.rule->observance) {
      case Observance::on_the_day:
        break;
      case Observance::monday_if_weekend:
        placed.push_back({o.day + date::days{saturday ? 2 : 1}, &o.rule->name, true});
        break;
      case Observance::nearest_weekday:
        placed.push_back({o.day + date::days{saturday ? -1 : 1}, &o.rule->name, true});
        break;
      case Observance::next_free_weekday:
        deferred.push_back(o);
        break;
    }
  }

  // Moved holidays take free weekdays in date order, so the earlier holiday gets the
  // earlier day (Christmas before Boxing Day), whatever order the policy lists them in.
  std::set<date::sys_days> taken;
  for (const Placed& p : placed) {
    if (!is_weekend(p.day)) {
      taken.insert(p.day);
    }
  }
  std::stable_sort(deferred.begin(), deferred.end(),
                   [](const Occurrence& a, const Occurrence& b) { return a.day < b.day; });
  for (const Occurrence& o : deferred) {
    date::sys_days day = o.day + date::days{1};
    while (is_weekend(day) || taken.contains(day)) {
      day += date::days{1};
    }
    taken.insert(day);
    placed.push_back({day, &o.rule->name, true});
  }

  std::vector<Holiday> result;
  for (const Placed& p : placed) {
    const CivilDate d = to_civil(p.day);
    if (d.year == year) {
      result.push_back({d, p.observed ? *p.name + " (observed)" : *p.name, p.observed});
    }
  }
  std::sort(result.begin(), result.end(), [](const Holiday& a, const Holiday& b) {
    return a.date == b.date ? a.name < b.name : civil_less(a.date, b.date);
  });
  result.erase(std::unique(result.begin(), result.end()), result.end());
  return result;
}

}  // namespace supportgw::calendar
