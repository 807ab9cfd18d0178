#pragma once
// Reply and forward prefixes of subjects in the languages customers write in, so that
// "AW: WG: Re[2]: [NC-2026-00012] Drucker druckt nicht" and "Drucker druckt nicht"
// compare equal when intake looks for possible duplicates.
//
// Prefixes recognised (any letter case, each optionally followed by "[n]" or "(n)" and
// spaces before its colon, nested in any order): Re, Fwd, Fw, AW (German), WG (German),
// SV (Scandinavian), VS (Norwegian/Finnish), Antw (Dutch), Doorst (Dutch), TR (French),
// RV (Spanish), Enc (Portuguese), Rif (Italian), Odp and PD (Polish), YNT (Turkish),
// VL (Finnish). Stateless and thread-safe.

#include <string>
#include <string_view>

#include "core/domain/reference_format.hpp"

namespace supportgw::intake {

// `subject` without leading reply/forward prefixes and without "[...]" tags that hold
// one of our references (per `format`, when given), with runs of white space made one
// space, trimmed and in ASCII lower case: the key two subjects are compared by.
std::string normalized_subject(std::string_view subject, const ReferenceFormat* format = nullptr);

// True when the subject starts with a reply or forward prefix.
bool has_reply_prefix(std::string_view subject);

// True when the contact says it continues an earlier one: a reply/forward prefix, or
// words such as "follow-up" or "Nachtrag" in the subject or the start of the text.
bool says_follow_up(std::string_view subject, std::string_view text);

}  // namespace supportgw::intake
