// [[status.component]]: the parts of the service the status page reports on, and the
// products whose tickets concern each. Optional: without components there is no status
// page content, and no ticket is ever linked to an incident.

#include <algorithm>

#include "core/policy/parse_steps.hpp"

namespace supportgw::policy::detail {
namespace {

// Ids appear in URLs, JSON and the store: keep them to a safe, stable alphabet.
bool is_component_id(std::string_view id) {
  return !id.empty() && id.size() <= 40 && id.front() != '-' &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
         });
}

}  // namespace

void parse_status(const TableReader& root, Policy& policy) {
  const toml::table* table = root.optional_subtable("status");
  if (table == nullptr) {
    return;
  }
  const TableReader reader(root.source(), *table, "status", {"component"});
  const toml::array* components = reader.optional_table_array("component");
  if (components == nullptr || components->empty()) {
    root.source().fail(reader.where(),
                       "[status]: expected at least one [[status.component]] (or no [status] "
                       "at all when there is no status page)");
  }
  for (std::size_t i = 0; i < components->size(); ++i) {
    const std::string path = "status.component[" + std::to_string(i) + "]";
    const TableReader component(root.source(),
                                expect_table(root.source(), *components->get(i), path), path,
                                {"id", "name", "description", "products"});
    StatusComponent result;
    result.id = component.string("id");
    if (!is_component_id(result.id)) {
      component.fail("id", "'" + result.id.substr(0, 40) +
                               "' is not a component id; expected up to 40 lower-case letters, "
                               "digits and '-', such as \"email\" or \"dial-up\"");
    }
    const bool taken =
        std::any_of(policy.status_components.begin(), policy.status_components.end(),
                    [&](const StatusComponent& other) { return other.id == result.id; });
    if (taken) {
      component.fail("id", "status component '" + result.id + "' is defined twice");
    }
    result.name = component.string("name");
    result.description = component.optional_string("description").value_or("");
    result.products = component.string_list("products");
    for (std::size_t p = 0; p < result.products.size(); ++p) {
      const auto first =
          std::find(result.products.begin(), result.products.end(), result.products[p]);
      if (first != result.products.begin() + static_cast<std::ptrdiff_t>(p)) {
        root.source().fail(component.require("products").as_array()->get(p)->source(),
                           component.path_of("products") + "[" + std::to_string(p) +
                               "]: product '" + result.products[p] + "' is listed twice");
      }
    }
    policy.status_components.push_back(std::move(result));
  }
}

}  // namespace supportgw::policy::detail
