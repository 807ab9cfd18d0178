#pragma once
// A business calendar as the policy file describes it: plain data, checked and
// turned into a BusinessCalendar (calendar/business_calendar.hpp) that does the
// arithmetic. Weekdays are numbered ISO style: 0 = Monday ... 6 = Sunday.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/util/time.hpp"

namespace supportgw::calendar {

// [start, end) in minutes after local midnight; end may be 1440 (24:00).
struct OpenInterval {
  int start_minute = 0;
  int end_minute = 0;
  friend bool operator==(const OpenInterval&, const OpenInterval&) = default;
};

// When a holiday that falls on a weekend is observed instead.
enum class Observance {
  on_the_day,         // never moved
  monday_if_weekend,  // Saturday or Sunday -> the following Monday
  nearest_weekday,    // Saturday -> Friday, Sunday -> Monday (US federal style)
  next_free_weekday,  // Saturday/Sunday -> the next weekday that is not already a
                      // holiday (NZ/UK "Mondayisation": Christmas on Sat -> Mon,
                      // Boxing Day on Sun -> Tue)
};

enum class HolidayRuleKind {
  fixed_date,       // month + day every year (Christmas: 12-25)
  easter_relative,  // offset days from Western Easter Sunday (Good Friday: -2)
  nth_weekday,      // nth weekday of a month (Thanksgiving: 4th Thursday of November);
                    // nth = -1 means the last one (Memorial Day)
  explicit_dates,   // a list of dates given year by year (Matariki)
};

struct HolidayRule {
  std::string name;
  HolidayRuleKind kind = HolidayRuleKind::fixed_date;
  unsigned month = 1;            // fixed_date, nth_weekday
  unsigned day = 1;              // fixed_date
  int easter_offset = 0;         // easter_relative
  unsigned weekday = 0;          // nth_weekday: 0 = Monday
  int nth = 1;                   // nth_weekday: 1..5, or -1 for the last
  std::vector<CivilDate> dates;  // explicit_dates
  Observance observance = Observance::on_the_day;
  std::optional<int> first_year;  // the rule applies from this year on
  std::optional<int> last_year;   // ... up to and including this year
};

struct CalendarSpec {
  std::string name;          // "business", "24x7"
  std::string time_zone;     // IANA name, e.g. "Europe/Berlin"
  bool always_open = false;  // 24x7: no hours, no holidays
  // Open intervals per weekday, sorted and not overlapping; empty = closed all day.
  std::array<std::vector<OpenInterval>, 7> weekly_hours;
  std::vector<HolidayRule> holidays;
};

}  // namespace supportgw::calendar
