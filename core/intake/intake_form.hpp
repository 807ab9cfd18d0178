#pragma once
// What a new-ticket form should ask, derived from the policy: the fields of [intake] and
// of every [[product]], with labels in the vendor's language, the product names and the
// vendor's guidance. Channels get it through ChannelContext::intake_form().

#include "core/policy/policy.hpp"
#include "supportgw/sdk/policy_view.hpp"

namespace supportgw::intake {

// Fields in this order, each once: [intake] required_fields, [intake] recommended_fields,
// then the fields only some products require or recommend (in product order), then the
// vendor's custom fields no list names (a form may still offer them).
sdk::IntakeForm intake_form_of(const policy::Policy& policy);

}  // namespace supportgw::intake
