#pragma once
// Which billing group a new ticket falls in, by the policy's rules (OneNet's
// Unbillable, Service Desk, Engineering, After Hours).

#include <optional>
#include <string>

#include "core/domain/ticket.hpp"
#include "core/policy/policy.hpp"

namespace supportgw {

// The group of the first rule (file order) whose every given condition holds for
// `ticket` (keywords match subject or description without regard to case; channels
// match the origin channel), else the policy's default group, else nullopt.
std::optional<std::string> choose_billing_group(const policy::Billing& billing,
                                                const NewTicket& ticket, bool after_hours);

}  // namespace supportgw
