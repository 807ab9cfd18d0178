#pragma once
// The policy's intake fields (ChannelContext::intake_form()) as the portal's form asks
// them: the input's name, its label in the page's language, and whether the form must
// refuse to go without it. Shared by the page (pages.cpp) and the check (portal_routes.cpp)
// so what is marked required is exactly what is refused.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <supportgw/sdk/policy_view.hpp>

#include "texts.hpp"

namespace web {

// The form always asks for these: a ticket needs a subject and a description, and the
// portal's only way back to the customer (token, receipt, replies) is their address.
inline constexpr std::string_view kAlwaysRequired[] = {"subject", "description", "customer_name",
                                                       "customer_email"};

// The input's name: a built-in field's id ("attachment" is the file input "attachments");
// a vendor's own field is "field_<id>", so it cannot clash with the form's own inputs.
std::string input_name(const supportgw::sdk::IntakeField& field);
// The label the page prints: the portal's own words for a built-in field, the policy's
// label for the vendor's own.
std::string field_label(const supportgw::sdk::IntakeField& field, const Texts& texts);

// The policy's entry for a built-in field, if it names it.
const supportgw::sdk::IntakeField* find_field(const supportgw::sdk::IntakeForm& form,
                                              std::string_view id);

// Whether the form refuses to go without `field` when the customer chose `product`.
bool required_on_form(const supportgw::sdk::IntakeField& field, std::string_view product);
// A note after the label of a field not always required: "(recommended)",
// "(required for Router, Switch)"; "" when none applies.
std::string field_note(const supportgw::sdk::IntakeField& field, const Texts& texts);

// Labels of the fields the entered `values` lack, for the error the page shows: the
// fields always required, then the policy's (for the chosen product), each once.
// `files` is the number of attached files.
std::vector<std::string> missing_on_form(const supportgw::sdk::IntakeForm& form, const Texts& texts,
                                         const std::map<std::string, std::string>& values,
                                         std::size_t files);

}  // namespace web
