#pragma once
// What a channel may tell customers of the vendor's policy: its severity levels in the
// vendor's words, so a form offers "1 – System Down: production stopped" rather than
// bare numbers. A snapshot: SIGHUP may replace the policy, so ask again per request.

#include <string>
#include <vector>

namespace supportgw::sdk {

struct SeverityLevel {
  int level = 0;           // 1 is the most severe
  std::string name;        // "System Down", "Kritisch"
  std::string definition;  // what qualifies, as the vendor words it
};

struct PolicyView {
  std::string vendor_name;
  std::string language;                   // BCP 47: "en", "de"
  std::vector<SeverityLevel> severities;  // in level order
};

}  // namespace supportgw::sdk
