#pragma once
// Ticket references such as "SR-2026-000123", made from a vendor's format string.
//
// A format is literal text with placeholders:
//   {yyyy} four-digit year   {yy} two-digit year   {mm} month   {dd} day
//   {seq}  the sequence number, unpadded   {seq:N}  zero-padded to at least N digits
// Exactly one {seq} is required; it is what makes a reference unique. Literal text
// may use letters, digits and "-_./#". The sequence restarts whenever the rendered
// date parts change (a yearly format numbers each year from 1), which is why the
// store keys sequences by `sequence_scope()`.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/time.hpp"

namespace supportgw {

class ReferenceFormat {
 public:
  // Throws InvalidArgument naming the format, the column and what was expected.
  explicit ReferenceFormat(std::string_view format);

  const std::string& text() const { return text_; }

  // The key under which the store counts this format's sequence on `date`: the
  // format with its date parts filled in, e.g. "SR-2026-{seq}".
  std::string sequence_scope(CivilDate date) const;

  // "SR-{yyyy}-{seq:6}" with 2026-11-22 and 123 -> "SR-2026-000123".
  std::string render(CivilDate date, std::uint64_t sequence) const;

  // True when `candidate` is, in full, a reference of this format (literal text is
  // compared without regard to ASCII case; date parts must be real months/days).
  bool matches(std::string_view candidate) const;

  // Every reference of this format found in free text (a mail subject, a body),
  // in order of appearance, normalised to the format's letter case. A match must not
  // be glued to letters or digits on either side ("XSR-2026-0001" is not one).
  std::vector<std::string> find_all(std::string_view text) const;

 private:
  enum class PartKind { literal, year4, year2, month, day, sequence };
  struct Part {
    PartKind kind;
    std::string literal;    // for literal parts
    std::size_t width = 0;  // minimum digits for sequence
  };

  // Length of a match of all parts at text[pos...], or npos.
  std::size_t match_at(std::string_view text, std::size_t pos) const;
  std::string normalise(std::string_view matched) const;
  static std::string render_part_without_sequence(const Part& part, CivilDate date);

  std::string text_;
  std::vector<Part> parts_;
};

}  // namespace supportgw
