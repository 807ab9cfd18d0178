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

// Since SDK 1.2. A field the policy asks customers for ([intake] and [[product]]), so a
// form can ask for it, mark it required and say what it is in the vendor's words.
struct IntakeField {
  // A built-in field (customer_name, customer_company, customer_email, customer_phone,
  // product, product_version, subject, description, attachment) or one of the vendor's
  // own (intake.custom_fields), which a channel hands in as InboundMessage::fields[id].
  std::string id;
  std::string label;  // in the policy's language
  bool custom = false;
  bool required = false;     // for every product
  bool recommended = false;  // asked for, never refused without
  // Products for which the field is required (recommended) although it is not for all.
  std::vector<std::string> required_for_products;
  std::vector<std::string> recommended_for_products;
};

// Since SDK 1.2. What a new-ticket form should ask, by the policy in force.
struct IntakeForm {
  // Every field the policy names, each once: required ones first, in policy order.
  std::vector<IntakeField> fields;
  std::vector<std::string> products;  // the policy's product names, may be empty
  // The vendor's advice before filling in a form, e.g. "For an outage, call the
  // emergency hotline" ([intake] guidance); may be empty.
  std::string guidance;
  std::string status_page;  // [vendor] status_page, may be empty
};

}  // namespace supportgw::sdk
