#pragma once
// Who a policy Recipient is at a given moment: a contact is itself, a role is all its
// members, a rotation is whoever is on call then (weekly turns, overrides win).

#include <vector>

#include "core/policy/policy.hpp"
#include "core/store/store.hpp"
#include "core/util/time.hpp"

namespace supportgw::sla {

// The contact on call for `rotation` at `at`. Throws InvalidArgument when the
// rotation's zone is unknown (the parser has checked it, so only a hand-built policy).
const policy::Contact& on_call(const policy::Policy& policy, const policy::Rotation& rotation,
                               Timestamp at);

// Every contact `recipient` stands for at `at`, without duplicates, in policy order.
std::vector<const policy::Contact*> resolve(const policy::Policy& policy,
                                            const policy::Recipient& recipient, Timestamp at);

// Queues a page to `contact` for `ticket` in the outbox: to its pager, else its phone,
// else (no number at all) as a mail marked PAGE. False when the contact has no way to
// be reached, in which case nothing is queued.
bool enqueue_page(WriteTransaction& tx, const Ticket& ticket, const policy::Contact& contact,
                  const std::string& subject, const std::string& body, Timestamp now);

}  // namespace supportgw::sla
