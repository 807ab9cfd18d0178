#include "core/domain/reference_format.hpp"

#include <cctype>
#include <charconv>

#include "core/util/error.hpp"

namespace supportgw {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_literal_char(char c) {
  return is_alnum(c) || c == '-' || c == '_' || c == '.' || c == '/' || c == '#';
}
char ascii_upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }

std::string zero_padded(std::uint64_t value, std::size_t width) {
  std::string digits = std::to_string(value);
  if (digits.size() < width) {
    digits.insert(0, width - digits.size(), '0');
  }
  return digits;
}

// Reads exactly `count` digits at text[pos]; returns the value or -1.
int fixed_digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) {
    return -1;
  }
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (!is_digit(text[pos + i])) {
      return -1;
    }
    value = value * 10 + (text[pos + i] - '0');
  }
  return value;
}

// Longest sequence number we accept in text: 20 digits is the most a uint64 holds.
constexpr std::size_t kMaxSequenceDigits = 20;

}  // namespace

ReferenceFormat::ReferenceFormat(std::string_view format) : text_(format) {
  auto fail = [&](std::size_t column, const std::string& what) {
    throw InvalidArgument("reference format '" + text_ + "', column " + std::to_string(column + 1) +
                          ": " + what);
  };
  if (format.empty()) {
    fail(0, "the format is empty; expected something like SR-{yyyy}-{seq:6}");
  }
  int sequences = 0;
  std::size_t pos = 0;
  while (pos < format.size()) {
    if (format[pos] == '{') {
      const std::size_t close = format.find('}', pos);
      if (close == std::string_view::npos) {
        fail(pos, "'{' is never closed");
      }
      const std::string_view name = format.substr(pos + 1, close - pos - 1);
      Part part{PartKind::literal, {}, 0};
      if (name == "yyyy") {
        part.kind = PartKind::year4;
      } else if (name == "yy") {
        part.kind = PartKind::year2;
      } else if (name == "mm") {
        part.kind = PartKind::month;
      } else if (name == "dd") {
        part.kind = PartKind::day;
      } else if (name == "seq" || name.starts_with("seq:")) {
        part.kind = PartKind::sequence;
        if (name.size() > 3) {
          const std::string_view width = name.substr(4);
          std::size_t value = 0;
          auto [end, ec] = std::from_chars(width.data(), width.data() + width.size(), value);
          if (ec != std::errc() || end != width.data() + width.size() || value < 1 ||
              value > kMaxSequenceDigits) {
            fail(pos, "the width in {" + std::string(name) + "} must be a number from 1 to 20");
          }
          part.width = value;
        }
        ++sequences;
      } else {
        fail(pos, "unknown placeholder {" + std::string(name) +
                      "}; expected {yyyy}, {yy}, {mm}, {dd}, {seq} or {seq:N}");
      }
      // Two adjacent number parts could not be told apart when parsing text.
      if (!parts_.empty() && parts_.back().kind != PartKind::literal &&
          (part.kind == PartKind::sequence || parts_.back().kind == PartKind::sequence)) {
        fail(pos, "the sequence must be separated from other number parts by literal text");
      }
      parts_.push_back(part);
      pos = close + 1;
      continue;
    }
    if (!is_literal_char(format[pos])) {
      fail(pos, std::string("character '") + format[pos] +
                    "' is not allowed; literal text may use letters, digits and -_./#");
    }
    if (parts_.empty() || parts_.back().kind != PartKind::literal) {
      parts_.push_back(Part{PartKind::literal, {}, 0});
    }
    parts_.back().literal.push_back(format[pos]);
    ++pos;
  }
  if (sequences != 1) {
    fail(0, sequences == 0 ? "there is no {seq}; a reference needs a sequence to be unique"
                           : "there is more than one {seq}");
  }
}

std::string ReferenceFormat::sequence_scope(CivilDate date) const {
  std::string scope;
  for (const Part& part : parts_) {
    if (part.kind == PartKind::sequence) {
      scope += "{seq}";
    } else {
      scope += render_part_without_sequence(part, date);
    }
  }
  return scope;
}

std::string ReferenceFormat::render(CivilDate date, std::uint64_t sequence) const {
  std::string out;
  for (const Part& part : parts_) {
    if (part.kind == PartKind::sequence) {
      out += zero_padded(sequence, part.width);
    } else {
      out += render_part_without_sequence(part, date);
    }
  }
  return out;
}

std::string ReferenceFormat::render_part_without_sequence(const Part& part, CivilDate date) {
  switch (part.kind) {
    case PartKind::literal:
      return part.literal;
    case PartKind::year4:
      return zero_padded(static_cast<std::uint64_t>(date.year), 4);
    case PartKind::year2:
      return zero_padded(static_cast<std::uint64_t>(date.year % 100), 2);
    case PartKind::month:
      return zero_padded(date.month, 2);
    case PartKind::day:
      return zero_padded(date.day, 2);
    case PartKind::sequence:
      break;
  }
  return {};
}

std::size_t ReferenceFormat::match_at(std::string_view text, std::size_t pos) const {
  const std::size_t start = pos;
  for (const Part& part : parts_) {
    switch (part.kind) {
      case PartKind::literal: {
        if (pos + part.literal.size() > text.size()) {
          return std::string_view::npos;
        }
        for (std::size_t i = 0; i < part.literal.size(); ++i) {
          if (ascii_upper(text[pos + i]) != ascii_upper(part.literal[i])) {
            return std::string_view::npos;
          }
        }
        pos += part.literal.size();
        break;
      }
      case PartKind::year4:
        if (fixed_digits(text, pos, 4) < 0) {
          return std::string_view::npos;
        }
        pos += 4;
        break;
      case PartKind::year2:
        if (fixed_digits(text, pos, 2) < 0) {
          return std::string_view::npos;
        }
        pos += 2;
        break;
      case PartKind::month: {
        const int month = fixed_digits(text, pos, 2);
        if (month < 1 || month > 12) {
          return std::string_view::npos;
        }
        pos += 2;
        break;
      }
      case PartKind::day: {
        const int day = fixed_digits(text, pos, 2);
        if (day < 1 || day > 31) {
          return std::string_view::npos;
        }
        pos += 2;
        break;
      }
      case PartKind::sequence: {
        std::size_t digits = 0;
        while (pos + digits < text.size() && is_digit(text[pos + digits])) {
          ++digits;
        }
        const std::size_t min_digits = part.width == 0 ? 1 : part.width;
        if (digits < min_digits || digits > kMaxSequenceDigits) {
          return std::string_view::npos;
        }
        pos += digits;
        break;
      }
    }
  }
  return pos - start;
}

std::string ReferenceFormat::normalise(std::string_view matched) const {
  // Literal parts take the format's case; digits are left as they are.
  std::string out(matched);
  std::size_t pos = 0;
  for (const Part& part : parts_) {
    if (part.kind == PartKind::literal) {
      out.replace(pos, part.literal.size(), part.literal);
      pos += part.literal.size();
    } else if (part.kind == PartKind::year4) {
      pos += 4;
    } else if (part.kind == PartKind::sequence) {
      while (pos < out.size() && is_digit(out[pos])) {
        ++pos;
      }
    } else {
      pos += 2;
    }
  }
  return out;
}

bool ReferenceFormat::matches(std::string_view candidate) const {
  return match_at(candidate, 0) == candidate.size();
}

std::vector<std::string> ReferenceFormat::find_all(std::string_view text) const {
  std::vector<std::string> found;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const bool glued_before = pos > 0 && is_alnum(text[pos - 1]);
    const std::size_t length = glued_before ? std::string_view::npos : match_at(text, pos);
    if (length != std::string_view::npos && length > 0) {
      const std::size_t end = pos + length;
      if (end == text.size() || !is_alnum(text[end])) {
        found.push_back(normalise(text.substr(pos, length)));
        pos = end;
        continue;
      }
    }
    ++pos;
  }
  return found;
}

}  // namespace supportgw
