#pragma once
// Which of the gateway's two text sets a policy's language tag ([vendor] language) gets:
// German for a tag starting "de" ("de", "de-DE", "de-AT"), English for any other.

#include <string_view>

namespace supportgw::policy {

inline bool speaks_german(std::string_view language) { return language.starts_with("de"); }

}  // namespace supportgw::policy
