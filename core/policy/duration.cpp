#include "core/policy/duration.hpp"

#include <array>

namespace supportgw::policy {
namespace {

constexpr std::int64_t kMaxMinutes = 10LL * 365 * 24 * 60;  // ten years
constexpr std::int64_t kMaxBusinessDays = 3660;
constexpr std::string_view kExpected =
    "expected a duration such as \"4h\", \"30m\", \"1h30m\", \"3d\" or \"2 business days\"";

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads digits at text[pos]; caps the value so that huge numbers are refused, not wrapped.
std::optional<std::int64_t> read_number(std::string_view text, std::size_t& pos) {
  const std::size_t start = pos;
  std::int64_t value = 0;
  while (pos < text.size() && is_digit(text[pos])) {
    if (value <= kMaxMinutes) {
      value = value * 10 + (text[pos] - '0');
    }
    ++pos;
  }
  if (pos == start) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<Duration> parse_duration(std::string_view text, std::string& error) {
  const std::string shown =
      "\"" + std::string(text.substr(0, 40)) + (text.size() > 40 ? "...\"" : "\"");
  auto fail = [&](std::string_view why) -> std::optional<Duration> {
    error = std::string(kExpected) + "; " + shown + " " + std::string(why);
    return std::nullopt;
  };
  if (text.empty()) {
    return fail("is empty");
  }
  std::size_t pos = 0;
  const auto first = read_number(text, pos);
  if (!first) {
    return fail("does not start with a number");
  }

  if (pos < text.size() && text[pos] == ' ') {
    const std::string_view rest = text.substr(pos);
    if (rest != " business day" && rest != " business days") {
      return fail("has a space; the only spaced form is \"N business days\"");
    }
    if (*first > kMaxBusinessDays) {
      return fail("is longer than " + std::to_string(kMaxBusinessDays) + " business days");
    }
    Duration duration;
    duration.kind = Duration::Kind::business_days;
    duration.business_days = static_cast<int>(*first);
    return duration;
  }

  // The time-amount form: number-unit pairs with units in the order w, d, h, m.
  static constexpr std::array<std::pair<char, std::int64_t>, 4> kUnits{
      {{'w', 7 * 24 * 60}, {'d', 24 * 60}, {'h', 60}, {'m', 1}}};
  Duration duration;
  std::int64_t total = 0;
  std::size_t next_unit = 0;
  std::optional<std::int64_t> number = first;
  while (true) {
    if (pos >= text.size()) {
      return fail("has a number without a unit (w, d, h or m)");
    }
    const char unit = text[pos++];
    std::size_t index = next_unit;
    while (index < kUnits.size() && kUnits[index].first != unit) {
      ++index;
    }
    if (index == kUnits.size()) {
      const bool known = unit == 'w' || unit == 'd' || unit == 'h' || unit == 'm';
      return fail(known ? "repeats a unit or has units out of order (write w, d, h, m)"
                        : "has an unknown unit; units are w, d, h and m");
    }
    next_unit = index + 1;
    if (unit == 'w' || unit == 'd') {
      duration.uses_day_units = true;
    }
    total += *number * kUnits[index].second;
    if (total > kMaxMinutes) {
      return fail("is longer than ten years");
    }
    if (pos == text.size()) {
      break;
    }
    number = read_number(text, pos);
    if (!number) {
      return fail("has something other than a number after a unit");
    }
  }
  duration.open_time = std::chrono::minutes(total);
  return duration;
}

std::string to_string(const Duration& duration) {
  if (duration.kind == Duration::Kind::business_days) {
    return std::to_string(duration.business_days) +
           (duration.business_days == 1 ? " business day" : " business days");
  }
  std::int64_t minutes = duration.open_time.count();
  if (minutes == 0) {
    return duration.uses_day_units ? "0d" : "0m";
  }
  std::string out;
  auto part = [&](std::int64_t size, char unit) {
    if (minutes >= size) {
      out += std::to_string(minutes / size) + unit;
      minutes %= size;
    }
  };
  if (duration.uses_day_units) {
    // Days are kept as days: "14d" stays "14d" rather than becoming "2w", so a
    // message repeats what the vendor wrote; a zero-day remainder still keeps the flag.
    const std::int64_t days = minutes / (24 * 60);
    out += std::to_string(days) + 'd';
    minutes %= 24 * 60;
  }
  part(60, 'h');
  part(1, 'm');
  return out;
}

}  // namespace supportgw::policy
