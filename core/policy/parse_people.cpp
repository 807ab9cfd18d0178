// [contacts.<id>], [roles.<id>], [rotations.<id>]: who rules notify and page.

#include <algorithm>
#include <chrono>
#include <tuple>

#include "core/policy/parse_steps.hpp"

namespace supportgw::policy::detail {
namespace {

// Contacts, roles and rotations share one name space so a rule can name any of them.
void check_unique(const Source& source, const toml::key& key, std::string_view kind,
                  const Policy& policy) {
  const std::string name(key.str());
  std::string_view clash;
  if (policy.contacts.count(name) != 0) {
    clash = "contact";
  } else if (policy.roles.count(name) != 0) {
    clash = "role";
  }
  if (!clash.empty()) {
    source.fail(key.source(), std::string(kind) + " '" + name.substr(0, 40) +
                                  "' has the name of a " + std::string(clash) +
                                  "; contacts, roles and rotations need distinct names");
  }
}

std::string contact_reference(const Source& source, const toml::node& node, const std::string& path,
                              const Policy& policy) {
  std::string id = expect_string(source, node, path);
  if (policy.contacts.find(id) == policy.contacts.end()) {
    source.fail(node, path + ": unknown contact '" + id.substr(0, 40) +
                          "'; expected a name defined under [contacts]");
  }
  return id;
}

std::vector<std::string> member_list(const TableReader& reader, const Policy& policy) {
  const toml::node& node = reader.require("members");
  const auto* array = node.as_array();
  if (array == nullptr || array->empty()) {
    reader.fail("members", "expected a non-empty array of contact names");
  }
  std::vector<std::string> members;
  for (std::size_t i = 0; i < array->size(); ++i) {
    members.push_back(contact_reference(reader.source(), *array->get(i),
                                        reader.path_of("members") + "[" + std::to_string(i) + "]",
                                        policy));
  }
  return members;
}

void parse_contacts(const TableReader& root, Policy& policy) {
  const toml::table* contacts = root.optional_subtable("contacts");
  if (contacts == nullptr) {
    return;
  }
  for (auto&& [key, node] : *contacts) {
    const std::string id(key.str());
    const std::string path = "contacts." + id;
    const TableReader reader(root.source(), expect_table(root.source(), node, path), path,
                             {"name", "email", "phone", "pager"});
    Contact contact;
    contact.id = id;
    contact.name = reader.string("name");
    contact.email = reader.optional_string("email");
    contact.phone = reader.optional_string("phone");
    contact.pager = reader.optional_string("pager");
    if (!contact.email && !contact.phone && !contact.pager) {
      root.source().fail(reader.where(), "[" + path +
                                             "]: expected at least one of email, phone or pager "
                                             "(a contact nobody can reach is no contact)");
    }
    policy.contacts.emplace(id, std::move(contact));
  }
}

void parse_roles(const TableReader& root, Policy& policy) {
  const toml::table* roles = root.optional_subtable("roles");
  if (roles == nullptr) {
    return;
  }
  for (auto&& [key, node] : *roles) {
    check_unique(root.source(), key, "role", policy);
    const std::string id(key.str());
    const std::string path = "roles." + id;
    const TableReader reader(root.source(), expect_table(root.source(), node, path), path,
                             {"title", "members"});
    Role role;
    role.id = id;
    role.title = reader.string("title");
    role.members = member_list(reader, policy);
    policy.roles.emplace(id, std::move(role));
  }
}

RotationOverride parse_override(const Source& source, const toml::table& table,
                                const std::string& path, const Policy& policy) {
  const TableReader reader(source, table, path, {"from", "to", "member", "reason"});
  RotationOverride entry;
  entry.from = reader.date("from");
  entry.to = reader.date("to");
  const auto key = [](const CivilDate& d) { return std::tuple(d.year, d.month, d.day); };
  if (key(entry.to) < key(entry.from)) {
    reader.fail("to", "expected a date on or after 'from' (both days are included)");
  }
  entry.member =
      contact_reference(source, reader.require("member"), reader.path_of("member"), policy);
  entry.reason = reader.optional_string("reason");
  return entry;
}

void parse_rotations(const TableReader& root, Policy& policy) {
  const toml::table* rotations = root.optional_subtable("rotations");
  if (rotations == nullptr) {
    return;
  }
  for (auto&& [key, node] : *rotations) {
    check_unique(root.source(), key, "rotation", policy);
    const std::string id(key.str());
    const std::string path = "rotations." + id;
    const TableReader reader(root.source(), expect_table(root.source(), node, path), path,
                             {"title", "time_zone", "handover", "start", "members", "override"});
    Rotation rotation;
    rotation.id = id;
    rotation.title = reader.string("title");
    rotation.time_zone = reader.optional_string("time_zone").value_or(policy.vendor.time_zone);
    if (reader.has("time_zone")) {
      check_time_zone(root.source(), reader.require("time_zone"), reader.path_of("time_zone"),
                      rotation.time_zone);
    }
    // handover = "mon 08:00": the weekday and local time a turn passes on.
    const std::string handover = reader.string("handover");
    const auto weekday = weekday_from_name(std::string_view(handover).substr(0, 3));
    const auto minute = handover.size() == 9 && handover[3] == ' '
                            ? minute_of_day(std::string_view(handover).substr(4), false)
                            : std::nullopt;
    if (!weekday || !minute) {
      reader.fail("handover", "expected a weekday and a time such as \"mon 08:00\"");
    }
    rotation.handover_weekday = *weekday;
    rotation.handover_minute = *minute;
    rotation.start = reader.date("start");
    const std::chrono::year_month_day start_day(std::chrono::year(rotation.start.year),
                                                std::chrono::month(rotation.start.month),
                                                std::chrono::day(rotation.start.day));
    if (std::chrono::weekday(std::chrono::sys_days(start_day)).iso_encoding() - 1 !=
        rotation.handover_weekday) {
      reader.fail("start",
                  "expected a date on the handover weekday (the first member's first "
                  "turn starts then)");
    }
    rotation.members = member_list(reader, policy);
    if (const toml::array* overrides = reader.optional_table_array("override")) {
      for (std::size_t i = 0; i < overrides->size(); ++i) {
        rotation.overrides.push_back(
            parse_override(root.source(), *overrides->get(i)->as_table(),
                           reader.path_of("override") + "[" + std::to_string(i) + "]", policy));
      }
    }
    policy.rotations.emplace(id, std::move(rotation));
  }
}

}  // namespace

void parse_people(const TableReader& root, Policy& policy) {
  parse_contacts(root, policy);
  parse_roles(root, policy);
  parse_rotations(root, policy);
}

}  // namespace supportgw::policy::detail
