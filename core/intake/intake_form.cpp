#include "core/intake/intake_form.hpp"

#include <algorithm>

#include "core/intake/required_fields.hpp"

namespace supportgw::intake {
namespace {

// The entry for `id`, added at the end when it is not there yet.
sdk::IntakeField& field_entry(sdk::IntakeForm& form, const policy::Policy& policy,
                              const std::string& id) {
  const auto found = std::find_if(form.fields.begin(), form.fields.end(),
                                  [&](const sdk::IntakeField& field) { return field.id == id; });
  if (found != form.fields.end()) {
    return *found;
  }
  sdk::IntakeField field;
  field.id = id;
  field.label = field_label(policy, id, policy.vendor.language);
  field.custom = policy.intake.custom_fields.find(id) != policy.intake.custom_fields.end();
  return form.fields.emplace_back(std::move(field));
}

void add_once(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    names.push_back(name);
  }
}

}  // namespace

sdk::IntakeForm intake_form_of(const policy::Policy& policy) {
  sdk::IntakeForm form;
  for (const std::string& id : policy.intake.required_fields) {
    field_entry(form, policy, id).required = true;
  }
  for (const std::string& id : policy.intake.recommended_fields) {
    field_entry(form, policy, id).recommended = true;
  }
  for (const policy::Product& product : policy.products) {
    form.products.push_back(product.name);
    for (const std::string& id : product.required_fields) {
      add_once(field_entry(form, policy, id).required_for_products, product.name);
    }
    for (const std::string& id : product.recommended_fields) {
      add_once(field_entry(form, policy, id).recommended_for_products, product.name);
    }
  }
  for (const auto& [id, label] : policy.intake.custom_fields) {
    field_entry(form, policy, id);
  }
  form.guidance = policy.intake.guidance;
  form.status_page = policy.vendor.status_page.value_or("");
  return form;
}

}  // namespace supportgw::intake
