// [billing]: billing groups and the rules that pick one for a ticket.

#include <algorithm>

#include "core/policy/parse_steps.hpp"

namespace supportgw::policy::detail {
namespace {

bool has_group(const Billing& billing, std::string_view name) {
  return std::any_of(billing.groups.begin(), billing.groups.end(),
                     [&](const BillingGroup& group) { return group.name == name; });
}

std::string group_reference(const TableReader& reader, std::string_view key,
                            const Billing& billing) {
  std::string name = reader.string(key);
  if (!has_group(billing, name)) {
    reader.fail(key, "unknown billing group '" + name.substr(0, 40) +
                         "'; expected a name from [[billing.group]]");
  }
  return name;
}

}  // namespace

void parse_billing(const TableReader& root, Policy& policy) {
  const toml::table* table = root.optional_subtable("billing");
  if (table == nullptr) {
    return;
  }
  const TableReader reader(root.source(), *table, "billing", {"group", "rule", "default_group"});
  Billing& billing = policy.billing;
  const toml::array* groups = reader.optional_table_array("group");
  if (groups == nullptr || groups->empty()) {
    root.source().fail(reader.where(),
                       "[billing]: expected at least one [[billing.group]] (or no [billing] at "
                       "all when nothing is billed)");
  }
  for (std::size_t i = 0; i < groups->size(); ++i) {
    const TableReader group(root.source(), *groups->get(i)->as_table(),
                            "billing.group[" + std::to_string(i) + "]",
                            {"name", "description", "billable"});
    BillingGroup result;
    result.name = group.string("name");
    if (has_group(billing, result.name)) {
      group.fail("name", "billing group '" + result.name + "' is defined twice");
    }
    result.description = group.string("description");
    const auto billable = group.optional_boolean("billable");
    if (!billable) {
      group.fail("billable", "missing; expected billable = true or false");
    }
    result.billable = *billable;
    billing.groups.push_back(std::move(result));
  }
  if (const toml::array* rules = reader.optional_table_array("rule")) {
    for (std::size_t i = 0; i < rules->size(); ++i) {
      const TableReader rule(
          root.source(), *rules->get(i)->as_table(), "billing.rule[" + std::to_string(i) + "]",
          {"group", "after_hours", "severities", "keywords", "channels", "flags"});
      BillingRule result;
      result.group = group_reference(rule, "group", billing);
      result.after_hours = rule.optional_boolean("after_hours");
      result.severities = severity_list(rule, "severities", policy);
      result.keywords = rule.string_list("keywords");
      result.channels = rule.string_list("channels");
      result.flags = rule.string_list("flags");
      for (std::size_t f = 0; f < result.flags.size(); ++f) {
        check_flag(rule.source(), rule.require("flags").as_array()->get(f)->source(),
                   rule.path_of("flags") + "[" + std::to_string(f) + "]", result.flags[f], policy);
      }
      if (!result.after_hours && result.severities.empty() && result.keywords.empty() &&
          result.channels.empty() && result.flags.empty()) {
        root.source().fail(rule.where(),
                           "[" + rule.path() +
                               "]: expected at least one condition (after_hours, severities, "
                               "keywords, channels or flags); use default_group for the rest");
      }
      billing.rules.push_back(std::move(result));
    }
  }
  if (reader.has("default_group")) {
    billing.default_group = group_reference(reader, "default_group", billing);
  }
}

}  // namespace supportgw::policy::detail
