// [after_hours]: what a contact outside business hours sets off, per severity.

#include "core/policy/parse_steps.hpp"

namespace supportgw::policy::detail {
namespace {

std::map<std::string, std::string> parse_set_flags(const TableReader& rule, const Policy& policy) {
  std::map<std::string, std::string> flags;
  const toml::table* table = rule.optional_subtable("set_flags");
  if (table == nullptr) {
    return flags;
  }
  for (auto&& [key, node] : *table) {
    const std::string name(key.str());
    const std::string path = rule.path_of("set_flags") + "." + name;
    check_flag(rule.source(), key.source(), path, name, policy);
    const auto* value = node.as_string();
    if (value == nullptr) {
      rule.source().fail(node, path + ": expected a string value (\"\" for a bare flag), found " +
                                   std::string(describe(node)));
    }
    flags.emplace(name, value->get());
  }
  return flags;
}

}  // namespace

void parse_after_hours(const TableReader& root, Policy& policy) {
  if (!root.has("after_hours")) {
    root.source().fail(root.where(),
                       "missing [after_hours]; expected the calendar that defines business hours "
                       "and a rule for every severity");
  }
  const TableReader reader(root.source(), root.subtable("after_hours"), "after_hours",
                           {"calendar", "rule"});
  AfterHours& after_hours = policy.after_hours;
  after_hours.calendar = calendar_name(reader, "calendar", policy);
  const toml::array* rules = reader.optional_table_array("rule");
  std::vector<bool> covered(policy.severities.size(), false);
  for (std::size_t i = 0; rules != nullptr && i < rules->size(); ++i) {
    const std::string path = "after_hours.rule[" + std::to_string(i) + "]";
    const TableReader rule(root.source(), *rules->get(i)->as_table(), path,
                           {"severities", "action", "page", "set_flags"});
    AfterHoursRule result;
    rule.require("severities");
    result.severities = severity_list(rule, "severities", policy);
    if (result.severities.empty()) {
      rule.fail("severities", "expected at least one severity level");
    }
    for (std::size_t s = 0; s < result.severities.size(); ++s) {
      const auto index = static_cast<std::size_t>(result.severities[s]) - 1;
      if (covered[index]) {
        rule.source().fail(*rule.require("severities").as_array()->get(s),
                           rule.path_of("severities") + ": severity " +
                               std::to_string(result.severities[s]) +
                               " already has an after-hours rule; expected one rule per level");
      }
      covered[index] = true;
    }
    const std::string action = rule.string("action");
    if (action == "next_business_day") {
      result.action = AfterHoursAction::next_business_day;
      if (rule.has("page")) {
        rule.fail("page", "only allowed with action = \"page\"");
      }
    } else if (action == "page") {
      result.action = AfterHoursAction::page;
      result.page =
          expect_recipient(rule.source(), rule.require("page"), rule.path_of("page"), policy);
    } else {
      rule.fail("action", "expected \"next_business_day\" or \"page\"");
    }
    result.set_flags = parse_set_flags(rule, policy);
    after_hours.rules.push_back(std::move(result));
  }
  for (std::size_t level = 0; level < covered.size(); ++level) {
    if (!covered[level]) {
      root.source().fail(reader.where(), "[after_hours]: severity " + std::to_string(level + 1) +
                                             " has no rule; expected a [[after_hours.rule]] "
                                             "covering every severity");
    }
  }
}

}  // namespace supportgw::policy::detail
