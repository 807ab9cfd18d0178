#include "core/policy/policy.hpp"

#include <algorithm>
#include <cctype>

#include "core/util/error.hpp"

namespace supportgw::policy {

const SlaTarget* SlaTargets::find(SlaKind kind) const {
  switch (kind) {
    case SlaKind::first_response:
      return &first_response;
    case SlaKind::update_interval:
      return update_interval ? &*update_interval : nullptr;
    case SlaKind::resolution:
      return resolution ? &*resolution : nullptr;
  }
  return nullptr;
}

const AfterHoursRule& AfterHours::rule_for(int level) const {
  for (const AfterHoursRule& rule : rules) {
    if (std::find(rule.severities.begin(), rule.severities.end(), level) != rule.severities.end()) {
      return rule;
    }
  }
  throw NotFound("no after-hours rule covers severity " + std::to_string(level));
}

const Severity& Policy::severity(int level) const {
  if (level < 1 || static_cast<std::size_t>(level) > severities.size()) {
    throw NotFound("severity " + std::to_string(level) + " is not defined by " + source +
                   " (levels are 1.." + std::to_string(severities.size()) + ")");
  }
  return severities[static_cast<std::size_t>(level) - 1];
}

const calendar::CalendarSpec& Policy::calendar(std::string_view name) const {
  const auto found = calendars.find(name);
  if (found == calendars.end()) {
    throw NotFound("calendar '" + std::string(name) + "' is not defined by " + source);
  }
  return found->second;
}

const Product* Policy::find_product(std::string_view name) const {
  for (const Product& product : products) {
    if (product.name == name) {
      return &product;
    }
  }
  return nullptr;
}

std::vector<std::string> Policy::components_of_product(std::string_view product) const {
  const auto same_product = [&](std::string_view name) {
    return name.size() == product.size() &&
           std::equal(name.begin(), name.end(), product.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) ==
                    std::tolower(static_cast<unsigned char>(y));
           });
  };
  std::vector<std::string> ids;
  if (std::all_of(product.begin(), product.end(),
                  [](unsigned char c) { return std::isspace(c) != 0; })) {
    return ids;
  }
  for (const StatusComponent& component : status_components) {
    if (std::any_of(component.products.begin(), component.products.end(), same_product)) {
      ids.push_back(component.id);
    }
  }
  return ids;
}

std::optional<CivilDate> end_of_support(const Product& product, std::size_t index) {
  const ProductVersion& version = product.versions.at(index);
  if (version.end_of_support) {
    return version.end_of_support;
  }
  if (index + 1 >= product.versions.size() || !product.supported_days_after_replacement) {
    return std::nullopt;
  }
  using namespace std::chrono;
  const CivilDate& replaced = product.versions[index + 1].released;
  const sys_days last =
      sys_days(year_month_day(year(replaced.year), month(replaced.month), day(replaced.day))) +
      days(*product.supported_days_after_replacement);
  const year_month_day ymd(last);
  return CivilDate{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                   static_cast<unsigned>(ymd.day())};
}

std::string_view to_string(SlaKind kind) {
  switch (kind) {
    case SlaKind::first_response:
      return "first_response";
    case SlaKind::update_interval:
      return "update_interval";
    case SlaKind::resolution:
      return "resolution";
  }
  return "?";
}

std::string_view to_string(Condition condition) {
  switch (condition) {
    case Condition::responded:
      return "responded";
    case Condition::resolved:
      return "resolved";
    case Condition::acknowledged:
      return "acknowledged";
    case Condition::owned:
      return "owned";
  }
  return "?";
}

std::string_view to_string(AfterHoursAction action) {
  switch (action) {
    case AfterHoursAction::next_business_day:
      return "next_business_day";
    case AfterHoursAction::page:
      return "page";
  }
  return "?";
}

}  // namespace supportgw::policy
