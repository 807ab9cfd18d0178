#include "core/calendar/business_calendar.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <map>
#include <mutex>
#include <stdexcept>
#include <utility>

#include <date/date.h>
#include <date/tz.h>

#include "core/calendar/civil_date.hpp"
#include "core/util/error.hpp"

namespace supportgw::calendar {

namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using LocalTime = date::local_time<milliseconds>;

constexpr int minutes_per_day = 24 * 60;

// Instants the arithmetic accepts: 1584..9998, one year inside the holiday range on each
// side, so that walking a day back from a start still finds holiday rules for that day's
// year. The walk stops at local year 9999 (last_walked_year); the extra UTC day lets an
// instant that ends local 9998 in any zone (UTC-12) still be passed back in.
constexpr int last_walked_year = last_supported_year - 1;
constexpr Timestamp earliest_instant{
    date::sys_days{date::year{first_supported_year + 1} / date::January / 1}};
constexpr Timestamp latest_instant{
    date::sys_days{date::year{last_walked_year + 1} / date::January / 2}};

constexpr std::array<const char*, 7> weekday_names = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                      "Friday", "Saturday", "Sunday"};

// "08:30" for minute 510; a bad value still prints (as "-00:30" or "25:00").
std::string hh_mm(int minute) {
  const long long magnitude = minute < 0 ? -static_cast<long long>(minute) : minute;
  auto two_digits = [](long long n) { return (n < 10 ? "0" : "") + std::to_string(n); };
  return (minute < 0 ? "-" : "") + two_digits(magnitude / 60) + ":" + two_digits(magnitude % 60);
}

// One open interval of one local day, as instants: [begin, end), never empty.
struct Range {
  Timestamp begin;
  Timestamp end;
};

struct YearHolidays {
  std::vector<Holiday> list;
  std::vector<date::sys_days> days;  // sorted, for lookup
};

}  // namespace

class BusinessCalendar::Impl {
 public:
  explicit Impl(CalendarSpec s) : spec(std::move(s)) {
    if (spec.time_zone.empty()) {
      if (!spec.always_open) {
        fail("has no time zone (expected an IANA name such as Europe/Berlin)");
      }
      spec.time_zone = "UTC";
    }
    try {
      zone = date::locate_zone(spec.time_zone);
    } catch (const std::runtime_error&) {
      // date/tz reports a missing zone as a bare runtime_error; say which calendar.
      fail("time zone '" + spec.time_zone + "' is not in the tz database");
    }
    if (spec.always_open) {
      const bool any_hours = std::any_of(spec.weekly_hours.begin(), spec.weekly_hours.end(),
                                         [](const auto& day) { return !day.empty(); });
      if (any_hours || !spec.holidays.empty()) {
        fail("is open 24x7 and cannot also list business hours or holidays");
      }
      return;
    }
    bool any_open = false;
    for (std::size_t w = 0; w < spec.weekly_hours.size(); ++w) {
      int previous_end = 0;
      for (const OpenInterval& interval : spec.weekly_hours[w]) {
        const std::string where = std::string(weekday_names[w]) + " interval " +
                                  hh_mm(interval.start_minute) + "-" + hh_mm(interval.end_minute);
        if (interval.start_minute < 0 || interval.end_minute > minutes_per_day ||
            interval.start_minute >= interval.end_minute) {
          fail(where + " must satisfy 00:00 <= start < end <= 24:00");
        }
        if (interval.start_minute < previous_end) {
          fail(where + " starts at " + hh_mm(interval.start_minute) +
               ", before the previous interval ends at " + hh_mm(previous_end) +
               " (intervals must be sorted and must not overlap)");
        }
        previous_end = interval.end_minute;
        any_open = true;
      }
    }
    if (!any_open) {
      fail("is not 24x7 but has no open hours on any weekday");
    }
    check_holiday_rules(spec);
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw InvalidArgument("calendar '" + spec.name + "' " + what);
  }

  void check_instant(Timestamp at) const {
    if (at < earliest_instant || at >= latest_instant) {
      fail("handles instants in the years " + std::to_string(first_supported_year + 1) + ".." +
           std::to_string(last_walked_year) + " only, not " + format_utc(at));
    }
  }

  date::local_days local_day(Timestamp at) const {
    return date::floor<date::days>(zone->to_local(at));
  }

  // Wall-clock time on a local day to an instant: a skipped local time moves forward to
  // the end of the gap (to_sys with a choose returns the transition for it), a repeated
  // one is its first occurrence. Both keep the mapping monotonic, so intervals stay
  // ordered and days never overlap.
  Timestamp to_instant(LocalTime local) const {
    return zone->to_sys(local, date::choose::earliest);
  }

  std::shared_ptr<const YearHolidays> year_holidays(int year) const {
    const std::lock_guard lock(cache_mutex);
    auto& slot = cache[year];
    if (!slot) {
      auto computed = std::make_shared<YearHolidays>();
      computed->list = holidays_in_year(spec, year);
      for (const Holiday& h : computed->list) {
        computed->days.push_back(date::sys_days{to_ymd(h.date)});
      }
      // Sorted by date already; unique because one day can carry several names.
      computed->days.erase(std::unique(computed->days.begin(), computed->days.end()),
                           computed->days.end());
      slot = std::move(computed);
    }
    return slot;
  }

  // Remembers the holidays of the year being walked, so a walk over many days takes the
  // cache lock once per year rather than once per day.
  struct Cursor {
    int year = INT_MIN;
    std::shared_ptr<const YearHolidays> holidays;
  };

  // Appends the open ranges of one local day: nothing on holidays and closed weekdays.
  void day_ranges(date::local_days day, Cursor& cursor, std::vector<Range>& out) const {
    const date::year_month_day ymd{day};
    const int year = static_cast<int>(ymd.year());
    if (year > last_walked_year) {
      fail("cannot count business time past the year " + std::to_string(last_walked_year));
    }
    const unsigned iso_weekday = date::weekday{day}.iso_encoding() - 1;
    const auto& intervals = spec.weekly_hours[iso_weekday];
    if (intervals.empty()) {
      return;
    }
    if (cursor.year != year) {
      cursor.holidays = year_holidays(year);
      cursor.year = year;
    }
    const auto& off = cursor.holidays->days;
    if (std::binary_search(off.begin(), off.end(), date::sys_days{day.time_since_epoch()})) {
      return;
    }
    const LocalTime midnight{day};
    for (const OpenInterval& interval : intervals) {
      const Timestamp begin = to_instant(midnight + minutes{interval.start_minute});
      const Timestamp end = to_instant(midnight + minutes{interval.end_minute});
      if (begin < end) {  // an interval wholly inside a skipped hour holds nothing
        out.push_back({begin, end});
      }
    }
  }

  CalendarSpec spec;
  const date::time_zone* zone = nullptr;
  mutable std::mutex cache_mutex;
  mutable std::map<int, std::shared_ptr<const YearHolidays>> cache;
};

BusinessCalendar::BusinessCalendar(CalendarSpec spec)
    : impl_(std::make_shared<const Impl>(std::move(spec))) {}

const std::string& BusinessCalendar::name() const { return impl_->spec.name; }
const std::string& BusinessCalendar::time_zone() const { return impl_->spec.time_zone; }
bool BusinessCalendar::always_open() const { return impl_->spec.always_open; }
const CalendarSpec& BusinessCalendar::spec() const { return impl_->spec; }

bool BusinessCalendar::is_open(Timestamp at) const {
  impl_->check_instant(at);
  if (impl_->spec.always_open) {
    return true;
  }
  Impl::Cursor cursor;
  std::vector<Range> ranges;
  const date::local_days day = impl_->local_day(at);
  // The day before too: its ranges end at or before this day's midnight, so this is
  // only a guard for zones whose DST change happens at midnight.
  impl_->day_ranges(day - date::days{1}, cursor, ranges);
  impl_->day_ranges(day, cursor, ranges);
  return std::any_of(ranges.begin(), ranges.end(),
                     [&](const Range& r) { return r.begin <= at && at < r.end; });
}

Timestamp BusinessCalendar::next_opening(Timestamp at) const { return add(at, milliseconds{0}); }

Timestamp BusinessCalendar::add(Timestamp start, milliseconds business_duration) const {
  const Impl& cal = *impl_;
  cal.check_instant(start);
  if (business_duration < milliseconds{0}) {
    cal.fail("cannot add a negative business duration (" +
             std::to_string(business_duration.count()) + " ms)");
  }
  if (cal.spec.always_open) {
    if (business_duration >= latest_instant - start) {
      cal.fail("cannot count business time past the year " + std::to_string(last_walked_year));
    }
    return start + business_duration;
  }
  Impl::Cursor cursor;
  std::vector<Range> ranges;
  milliseconds remaining = business_duration;
  for (date::local_days day = cal.local_day(start) - date::days{1};; day += date::days{1}) {
    ranges.clear();
    cal.day_ranges(day, cursor, ranges);
    for (const Range& r : ranges) {
      if (r.end <= start) {
        continue;
      }
      const Timestamp from = std::max(r.begin, start);
      // `<=`: a duration that runs out exactly at a closing time ends there, and a zero
      // duration ends at the first opening.
      if (remaining <= r.end - from) {
        return from + remaining;
      }
      remaining -= r.end - from;
    }
  }
}

milliseconds BusinessCalendar::between(Timestamp from, Timestamp to) const {
  if (to < from) {
    return -between(to, from);
  }
  const Impl& cal = *impl_;
  cal.check_instant(from);
  cal.check_instant(to);
  if (cal.spec.always_open) {
    return to - from;
  }
  Impl::Cursor cursor;
  std::vector<Range> ranges;
  milliseconds total{0};
  const date::local_days last = cal.local_day(to);
  for (date::local_days day = cal.local_day(from) - date::days{1}; day <= last;
       day += date::days{1}) {
    ranges.clear();
    cal.day_ranges(day, cursor, ranges);
    for (const Range& r : ranges) {
      const Timestamp begin = std::max(r.begin, from);
      const Timestamp end = std::min(r.end, to);
      if (begin < end) {
        total += end - begin;
      }
    }
  }
  return total;
}

Timestamp BusinessCalendar::add_business_days(Timestamp start, int days) const {
  const Impl& cal = *impl_;
  cal.check_instant(start);
  if (days < 0) {
    cal.fail("cannot add a negative number of business days (" + std::to_string(days) + ")");
  }
  if (cal.spec.always_open) {
    // Checked before converting so the zone is never asked about absurd years; a day
    // of slack covers the zone offset.
    if (start + date::days{days} >= latest_instant - date::days{1}) {
      cal.fail("cannot count business days past the year " + std::to_string(last_walked_year));
    }
    return cal.to_instant(cal.zone->to_local(start) + date::days{days});
  }
  const Timestamp opening = next_opening(start);
  if (days == 0) {
    return opening;
  }
  const LocalTime local = cal.zone->to_local(opening);
  date::local_days day = date::floor<date::days>(local);
  const milliseconds time_of_day = local - LocalTime{day};

  Impl::Cursor cursor;
  std::vector<Range> ranges;
  for (int found = 0; found < days;) {
    day += date::days{1};
    ranges.clear();
    cal.day_ranges(day, cursor, ranges);
    if (!ranges.empty()) {
      ++found;
    }
  }
  const Timestamp target = cal.to_instant(LocalTime{day} + time_of_day);
  for (const Range& r : ranges) {
    if (target < r.begin) {
      return r.begin;  // before the day's opening or in a break
    }
    if (target < r.end) {
      return target;
    }
  }
  return ranges.back().end;  // after the day's last closing: the end of that day
}

std::vector<Holiday> BusinessCalendar::holidays(int year) const {
  if (impl_->spec.always_open) {
    return {};
  }
  return impl_->year_holidays(year)->list;
}

bool BusinessCalendar::is_holiday(const CivilDate& local_day) const {
  if (impl_->spec.always_open) {
    return false;
  }
  const date::year_month_day ymd = to_ymd(local_day);
  if (!ymd.ok()) {
    impl_->fail("was asked about " + std::to_string(local_day.year) + "-" +
                std::to_string(local_day.month) + "-" + std::to_string(local_day.day) +
                ", which is not a date");
  }
  const auto& days = impl_->year_holidays(local_day.year)->days;
  return std::binary_search(days.begin(), days.end(), date::sys_days{ymd});
}

CivilDate BusinessCalendar::local_date(Timestamp at) const {
  impl_->check_instant(at);
  return to_civil(date::year_month_day{impl_->local_day(at)});
}

std::string BusinessCalendar::format_local(Timestamp at) const {
  impl_->check_instant(at);
  if (at == date::floor<std::chrono::seconds>(at)) {
    return date::format("%FT%T%Ez",
                        date::make_zoned(impl_->zone, date::floor<std::chrono::seconds>(at)));
  }
  return date::format("%FT%T%Ez", date::make_zoned(impl_->zone, at));
}

}  // namespace supportgw::calendar
