#pragma once
// Conversions between supportgw::CivilDate and Howard Hinnant's date types, for the
// calendar sources only (core-internal; pulls in <date/date.h> but not <date/tz.h>).

#include <date/date.h>

#include "core/util/time.hpp"

namespace supportgw::calendar {

inline date::year_month_day to_ymd(const CivilDate& d) {
  return date::year_month_day{date::year{d.year}, date::month{d.month}, date::day{d.day}};
}

inline CivilDate to_civil(const date::year_month_day& ymd) {
  return CivilDate{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                   static_cast<unsigned>(ymd.day())};
}

inline CivilDate to_civil(date::sys_days day) { return to_civil(date::year_month_day{day}); }

// Chronological order of civil dates (CivilDate itself only has ==).
inline bool civil_less(const CivilDate& a, const CivilDate& b) {
  if (a.year != b.year) {
    return a.year < b.year;
  }
  if (a.month != b.month) {
    return a.month < b.month;
  }
  return a.day < b.day;
}

}  // namespace supportgw::calendar
