#pragma once
// Which of the fields a policy requires a contact lacks, and how to ask for them.
//
// Known fields and where they come from: customer_name, customer_email,
// customer_phone, customer_company (the sender identity, else a message field of
// that name); product, product_version, and the vendor's custom fields (message
// fields); description (the text); subject; attachment (at least one file). A field
// counts as present when it is not empty. Stateless and thread-safe.

#include <string>
#include <vector>

#include "core/policy/policy.hpp"
#include "supportgw/sdk/inbound_message.hpp"

namespace supportgw::intake {

// The value of a known or custom field in `message` ("" when absent; "1" for a present
// attachment).
std::string field_value(const sdk::InboundMessage& message, const std::string& field);

// Names of the fields that `policy.intake.required_fields` and the required fields of
// `product` (may be null) ask for and `message` lacks, in policy order, each once.
std::vector<std::string> missing_fields(const policy::Policy& policy,
                                        const policy::Product* product,
                                        const sdk::InboundMessage& message);

// How to ask a customer for `field` in `language` ("de..." is German, anything else
// English): the policy's label of a custom field, else a built-in one.
std::string field_label(const policy::Policy& policy, const std::string& field,
                        const std::string& language);

}  // namespace supportgw::intake
