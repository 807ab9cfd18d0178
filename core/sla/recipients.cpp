#include "core/sla/recipients.hpp"

#include <date/tz.h>

#include <algorithm>

#include "core/util/error.hpp"

namespace supportgw::sla {
namespace {

date::sys_days to_days(const CivilDate& d) {
  return date::sys_days{date::year{d.year} / date::month{d.month} / date::day{d.day}};
}

const policy::Contact& contact(const policy::Policy& policy, const std::string& id) {
  const auto found = policy.contacts.find(id);
  if (found == policy.contacts.end()) {
    throw NotFound(policy.source + ": no contact '" + id + "'");
  }
  return found->second;
}

}  // namespace

const policy::Contact& on_call(const policy::Policy& policy, const policy::Rotation& rotation,
                               Timestamp at) {
  const std::string& zone_name =
      rotation.time_zone.empty() ? policy.vendor.time_zone : rotation.time_zone;
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(zone_name);
  } catch (const std::exception&) {
    throw InvalidArgument(policy.source + ": rotation '" + rotation.id +
                          "' has unknown time zone '" + zone_name + "'");
  }
  const auto local = zone->to_local(at);
  const auto local_day = date::floor<date::days>(local);
  // Overrides cover whole local days; the last one in the file wins.
  for (auto it = rotation.overrides.rbegin(); it != rotation.overrides.rend(); ++it) {
    const auto day = date::sys_days{local_day.time_since_epoch()};
    if (to_days(it->from) <= day && day <= to_days(it->to)) {
      return contact(policy, it->member);
    }
  }
  // Turns pass at the handover instant: count whole weeks from the first handover,
  // measured in local time so a DST change does not shift the handover by an hour.
  const auto first_handover = date::local_days{to_days(rotation.start).time_since_epoch()} +
                              std::chrono::minutes(rotation.handover_minute);
  const auto since = local - first_handover;
  const auto weeks = date::floor<date::weeks>(since).count();
  const auto count = static_cast<long long>(rotation.members.size());
  const auto turn = ((weeks % count) + count) % count;
  return contact(policy, rotation.members[static_cast<std::size_t>(turn)]);
}

std::vector<const policy::Contact*> resolve(const policy::Policy& policy,
                                            const policy::Recipient& recipient, Timestamp at) {
  std::vector<const policy::Contact*> contacts;
  const auto add = [&](const policy::Contact& c) {
    if (std::find(contacts.begin(), contacts.end(), &c) == contacts.end()) {
      contacts.push_back(&c);
    }
  };
  switch (recipient.kind) {
    case policy::Recipient::Kind::contact:
      add(contact(policy, recipient.name));
      break;
    case policy::Recipient::Kind::role: {
      const auto role = policy.roles.find(recipient.name);
      if (role == policy.roles.end()) {
        throw NotFound(policy.source + ": no role '" + recipient.name + "'");
      }
      for (const std::string& member : role->second.members) {
        add(contact(policy, member));
      }
      break;
    }
    case policy::Recipient::Kind::rotation: {
      const auto rotation = policy.rotations.find(recipient.name);
      if (rotation == policy.rotations.end()) {
        throw NotFound(policy.source + ": no rotation '" + recipient.name + "'");
      }
      add(on_call(policy, rotation->second, at));
      break;
    }
  }
  return contacts;
}

bool enqueue_page(WriteTransaction& tx, const Ticket& ticket, const policy::Contact& contact,
                  const std::string& subject, const std::string& body, Timestamp now) {
  const auto& number = contact.pager ? contact.pager : contact.phone;
  if (number) {
    tx.enqueue_outbox(NewOutboxMessage{ticket.id, "page", *number, subject, body, std::nullopt},
                      now);
    return true;
  }
  if (contact.email) {
    tx.enqueue_outbox(
        NewOutboxMessage{ticket.id, "mail", *contact.email, "PAGE: " + subject, body, std::nullopt},
        now);
    return true;
  }
  return false;
}

}  // namespace supportgw::sla
