#include "form_fields.hpp"

#include <algorithm>
#include <cctype>

#include "form.hpp"

namespace web {
namespace {

using supportgw::sdk::IntakeField;
using supportgw::sdk::IntakeForm;

bool blank(std::string_view value) {
  return std::all_of(value.begin(), value.end(),
                     [](unsigned char c) { return std::isspace(c) != 0; });
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) {
    text += (text.empty() ? "" : ", ") + name;
  }
  return text;
}

void add_once(std::vector<std::string>& labels, std::string label) {
  if (std::find(labels.begin(), labels.end(), label) == labels.end()) {
    labels.push_back(std::move(label));
  }
}

}  // namespace

std::string input_name(const IntakeField& field) {
  if (field.custom) {
    return "field_" + field.id;
  }
  return field.id == "attachment" ? std::string("attachments") : field.id;
}

std::string field_label(const IntakeField& field, const Texts& texts) {
  if (field.custom) {
    return field.label;
  }
  const std::pair<std::string_view, std::string_view> builtin[] = {
      {"subject", texts.subject},          {"description", texts.description},
      {"customer_name", texts.name},       {"customer_email", texts.email},
      {"customer_company", texts.company}, {"customer_phone", texts.phone},
      {"product", texts.product},          {"product_version", texts.product_version},
      {"attachment", texts.attachments}};
  for (const auto& [id, label] : builtin) {
    if (field.id == id) {
      return std::string(label);
    }
  }
  return field.label;
}

const IntakeField* find_field(const IntakeForm& form, std::string_view id) {
  const auto found = std::find_if(form.fields.begin(), form.fields.end(),
                                  [&](const IntakeField& field) { return field.id == id; });
  return found == form.fields.end() ? nullptr : &*found;
}

bool required_on_form(const IntakeField& field, std::string_view product) {
  if (field.required || std::find(std::begin(kAlwaysRequired), std::end(kAlwaysRequired),
                                  field.id) != std::end(kAlwaysRequired)) {
    return true;
  }
  return !product.empty() &&
         std::find(field.required_for_products.begin(), field.required_for_products.end(),
                   product) != field.required_for_products.end();
}

std::string field_note(const IntakeField& field, const Texts& texts) {
  if (required_on_form(field, "")) {
    return "";
  }
  std::vector<std::string> parts;
  if (!field.required_for_products.empty()) {
    parts.push_back(std::string(texts.required_for) + " " + joined(field.required_for_products));
  }
  if (field.recommended) {
    parts.emplace_back(texts.recommended);
  } else if (!field.recommended_for_products.empty()) {
    parts.push_back(std::string(texts.recommended) + ": " + joined(field.recommended_for_products));
  }
  return parts.empty() ? std::string() : "(" + joined(parts) + ")";
}

std::vector<std::string> missing_on_form(const IntakeForm& form, const Texts& texts,
                                         const std::map<std::string, std::string>& values,
                                         std::size_t files) {
  const std::string product = field_or_empty(values, "product");
  std::vector<std::string> missing;
  const auto check = [&](const IntakeField& field) {
    if (!required_on_form(field, product)) {
      return;
    }
    const bool present =
        field.id == "attachment" ? files > 0 : !blank(field_or_empty(values, input_name(field)));
    if (!present) {
      add_once(missing, field_label(field, texts));
    }
  };
  for (std::string_view id : kAlwaysRequired) {
    const IntakeField* named = find_field(form, id);
    IntakeField builtin;
    builtin.id = std::string(id);
    check(named != nullptr ? *named : builtin);
  }
  for (const IntakeField& field : form.fields) {
    check(field);
  }
  return missing;
}

}  // namespace web
