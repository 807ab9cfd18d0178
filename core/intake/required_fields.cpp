#include "core/intake/required_fields.hpp"

#include <algorithm>
#include <map>

#include "core/policy/language.hpp"

namespace supportgw::intake {
namespace {

struct Label {
  const char* en;
  const char* de;
};

const std::map<std::string, Label, std::less<>>& builtin_labels() {
  static const std::map<std::string, Label, std::less<>> labels = {
      {"customer_name", {"your name", "Ihr Name"}},
      {"customer_email", {"your email address", "Ihre E-Mail-Adresse"}},
      {"customer_phone", {"your phone number", "Ihre Telefonnummer"}},
      {"customer_company", {"your company", "Ihre Firma"}},
      {"product", {"the product", "das Produkt"}},
      {"product_version", {"the product version", "die Software-Version"}},
      {"description", {"a description of the problem", "eine Beschreibung des Problems"}},
      {"subject", {"a subject", "einen Betreff"}},
      {"attachment", {"a file (screenshot, log)", "eine Datei (Screenshot, Log)"}},
  };
  return labels;
}

std::string message_field(const sdk::InboundMessage& message, const std::string& name) {
  const auto found = message.fields.find(name);
  return found == message.fields.end() ? std::string() : found->second;
}

std::string either(const std::string& identity, const sdk::InboundMessage& message,
                   const std::string& name) {
  return identity.empty() ? message_field(message, name) : identity;
}

bool is_blank(const std::string& value) {
  return std::all_of(value.begin(), value.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

}  // namespace

std::string field_value(const sdk::InboundMessage& message, const std::string& field) {
  if (field == "customer_name") {
    return either(message.sender.name, message, field);
  }
  if (field == "customer_email") {
    return either(message.sender.email, message, field);
  }
  if (field == "customer_phone") {
    return either(message.sender.phone, message, field);
  }
  if (field == "customer_company") {
    return either(message.sender.company, message, field);
  }
  if (field == "description") {
    return either(message.text, message, field);
  }
  if (field == "subject") {
    return message.subject;
  }
  if (field == "attachment") {
    return message.attachments.empty() ? std::string() : std::string("1");
  }
  return message_field(message, field);
}

std::vector<std::string> missing_fields(const policy::Policy& policy,
                                        const policy::Product* product,
                                        const sdk::InboundMessage& message) {
  std::vector<std::string> wanted = policy.intake.required_fields;
  if (product != nullptr) {
    wanted.insert(wanted.end(), product->required_fields.begin(), product->required_fields.end());
  }
  std::vector<std::string> missing;
  for (const std::string& field : wanted) {
    if (is_blank(field_value(message, field)) &&
        std::find(missing.begin(), missing.end(), field) == missing.end()) {
      missing.push_back(field);
    }
  }
  return missing;
}

std::string field_label(const policy::Policy& policy, const std::string& field,
                        const std::string& language) {
  if (const auto custom = policy.intake.custom_fields.find(field);
      custom != policy.intake.custom_fields.end()) {
    return custom->second;
  }
  if (const auto builtin = builtin_labels().find(field); builtin != builtin_labels().end()) {
    return policy::speaks_german(language) ? builtin->second.de : builtin->second.en;
  }
  return field;
}

}  // namespace supportgw::intake
