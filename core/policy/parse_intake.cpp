// [intake], [follow_up] and [[product]]: what a new contact must carry, how replies find
// their ticket, and which product versions are supported.

#include <algorithm>
#include <array>
#include <tuple>

#include "core/policy/parse_steps.hpp"
#include "core/policy/pattern_check.hpp"

namespace supportgw::policy::detail {
namespace {

constexpr std::array<std::string_view, 9> kBuiltinFields{
    "customer_name",   "customer_company", "customer_email", "customer_phone", "product",
    "product_version", "subject",          "description",    "attachment"};

bool is_identifier(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Checks that every name in reader[key] is a known field and not also in `other`.
std::vector<std::string> field_list(const TableReader& reader, std::string_view key,
                                    const Intake& intake,
                                    const std::vector<std::string>& other = {}) {
  std::vector<std::string> fields = reader.string_list(key);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string& field = fields[i];
    const toml::node& node = *reader.require(key).as_array()->get(i);
    const std::string path = reader.path_of(key) + "[" + std::to_string(i) + "]";
    const bool builtin =
        std::find(kBuiltinFields.begin(), kBuiltinFields.end(), field) != kBuiltinFields.end();
    if (!builtin && intake.custom_fields.find(field) == intake.custom_fields.end()) {
      std::string known;
      for (std::string_view name : kBuiltinFields) {
        known += " " + std::string(name);
      }
      reader.source().fail(node, path + ": unknown field '" + field.substr(0, 40) +
                                     "'; expected one of" + known +
                                     " or a name from intake.custom_fields");
    }
    if (std::find(other.begin(), other.end(), field) != other.end() ||
        std::find(fields.begin(), fields.begin() + static_cast<std::ptrdiff_t>(i), field) !=
            fields.begin() + static_cast<std::ptrdiff_t>(i)) {
      reader.source().fail(node, path + ": field '" + field + "' is listed twice");
    }
  }
  return fields;
}

void parse_intake_table(const TableReader& root, Policy& policy) {
  if (!root.has("intake")) {
    root.source().fail(root.where(),
                       "missing [intake]; expected at least default_severity and reopen_window");
  }
  const TableReader reader(root.source(), root.subtable("intake"), "intake",
                           {"default_severity", "reopen_window", "required_fields",
                            "recommended_fields", "custom_fields", "guidance"});
  Intake& intake = policy.intake;
  intake.default_severity = static_cast<int>(
      reader.integer("default_severity", 1, static_cast<std::int64_t>(policy.severities.size())));
  intake.reopen_window = expect_wall_clock(reader.source(), reader.require("reopen_window"),
                                           reader.path_of("reopen_window"));
  if (const toml::table* custom = reader.optional_subtable("custom_fields")) {
    for (auto&& [key, node] : *custom) {
      const std::string id(key.str());
      const std::string path = "intake.custom_fields." + id;
      if (!is_identifier(id) ||
          std::find(kBuiltinFields.begin(), kBuiltinFields.end(), id) != kBuiltinFields.end()) {
        reader.source().fail(key.source(),
                             path +
                                 ": expected a new field name of lower-case letters, digits "
                                 "and '_' that is not a built-in field");
      }
      intake.custom_fields.emplace(id, expect_string(reader.source(), node, path));
    }
  }
  intake.required_fields = field_list(reader, "required_fields", intake);
  intake.recommended_fields =
      field_list(reader, "recommended_fields", intake, intake.required_fields);
  if (auto guidance = reader.optional_string("guidance")) {
    // Shown on every form: a paragraph, not a manual.
    constexpr std::size_t kMaxGuidance = 2000;
    if (guidance->size() > kMaxGuidance) {
      reader.fail("guidance",
                  "expected at most 2000 bytes of text, got " + std::to_string(guidance->size()));
    }
    intake.guidance = std::move(*guidance);
  }
}

void parse_follow_up(const TableReader& root, Policy& policy) {
  const toml::table* table = root.optional_subtable("follow_up");
  if (table == nullptr) {
    return;
  }
  const TableReader reader(root.source(), *table, "follow_up",
                           {"reference_in_subject", "reference_in_body", "customer_ticket_pattern",
                            "match_sender_and_subject", "unreferenced_flag"});
  FollowUp& follow_up = policy.follow_up;
  follow_up.reference_in_subject = reader.optional_boolean("reference_in_subject").value_or(true);
  follow_up.reference_in_body = reader.optional_boolean("reference_in_body").value_or(true);
  follow_up.match_sender_and_subject =
      reader.optional_boolean("match_sender_and_subject").value_or(false);
  follow_up.customer_ticket_pattern = reader.optional_string("customer_ticket_pattern");
  if (follow_up.customer_ticket_pattern) {
    constexpr std::size_t kMaxPattern = 200;
    const bool ok = is_valid_pattern(*follow_up.customer_ticket_pattern, kMaxPattern);
    if (!ok) {
      reader.fail("customer_ticket_pattern",
                  "expected an ECMAScript regular expression of at most 200 characters, such as "
                  "\"INC[0-9]{7}\"");
    }
  }
  if (const auto flag = reader.optional_string("unreferenced_flag")) {
    check_flag(reader.source(), reader.require("unreferenced_flag").source(),
               reader.path_of("unreferenced_flag"), *flag, policy);
    follow_up.unreferenced_flag = flag;
  }
}

void parse_products(const TableReader& root, Policy& policy) {
  const toml::array* products = root.optional_table_array("product");
  for (std::size_t i = 0; products != nullptr && i < products->size(); ++i) {
    const TableReader reader(root.source(), *products->get(i)->as_table(),
                             "product[" + std::to_string(i) + "]",
                             {"name", "required_fields", "recommended_fields",
                              "supported_days_after_replacement", "version"});
    Product product;
    product.name = reader.string("name");
    if (policy.find_product(product.name) != nullptr) {
      reader.fail("name", "product '" + product.name.substr(0, 40) + "' is defined twice");
    }
    product.required_fields =
        field_list(reader, "required_fields", policy.intake, policy.intake.required_fields);
    std::vector<std::string> taken = policy.intake.required_fields;
    taken.insert(taken.end(), product.required_fields.begin(), product.required_fields.end());
    taken.insert(taken.end(), policy.intake.recommended_fields.begin(),
                 policy.intake.recommended_fields.end());
    product.recommended_fields = field_list(reader, "recommended_fields", policy.intake, taken);
    if (const auto days = reader.optional_integer("supported_days_after_replacement", 0, 3660)) {
      product.supported_days_after_replacement = static_cast<int>(*days);
    }
    if (const toml::array* versions = reader.optional_table_array("version")) {
      for (std::size_t v = 0; v < versions->size(); ++v) {
        const TableReader version(root.source(), *versions->get(v)->as_table(),
                                  reader.path_of("version") + "[" + std::to_string(v) + "]",
                                  {"version", "released", "end_of_support"});
        ProductVersion result;
        result.version = version.string("version");
        result.released = version.date("released");
        result.end_of_support = version.optional_date("end_of_support");
        const auto key = [](const CivilDate& d) { return std::tuple(d.year, d.month, d.day); };
        for (const ProductVersion& earlier : product.versions) {
          if (earlier.version == result.version) {
            version.fail("version", "version '" + result.version + "' is listed twice");
          }
        }
        if (!product.versions.empty() &&
            key(result.released) < key(product.versions.back().released)) {
          version.fail("released",
                       "expected versions in order of release (this one is older "
                       "than the one before)");
        }
        if (result.end_of_support && key(*result.end_of_support) < key(result.released)) {
          version.fail("end_of_support", "expected a date on or after 'released'");
        }
        product.versions.push_back(std::move(result));
      }
    }
    policy.products.push_back(std::move(product));
  }
}

}  // namespace

void parse_intake(const TableReader& root, Policy& policy) {
  parse_intake_table(root, policy);
  parse_follow_up(root, policy);
  parse_products(root, policy);
}

}  // namespace supportgw::policy::detail
