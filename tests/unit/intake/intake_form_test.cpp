// What a new-ticket form asks, derived from the seed vendors' policies and from policies
// with per-product fields.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/intake/intake_form.hpp"
#include "core/policy/policy_parser.hpp"
#include "core/util/error.hpp"
#include "tests/unit/policy/sample_policy.hpp"

namespace supportgw::intake {
namespace {

const std::filesystem::path kExamples = SUPPORTGW_EXAMPLES_DIR;

const sdk::IntakeField* find_field(const sdk::IntakeForm& form, const std::string& id) {
  const auto found = std::find_if(form.fields.begin(), form.fields.end(),
                                  [&](const sdk::IntakeField& field) { return field.id == id; });
  return found == form.fields.end() ? nullptr : &*found;
}

TEST(IntakeForm, NetcorAsksForItsCustomFieldInGerman) {
  const auto form = intake_form_of(policy::load_policy(kExamples / "netcor" / "policy.toml"));
  ASSERT_GE(form.fields.size(), 4u);
  // Required ones first, in policy order.
  EXPECT_EQ(form.fields[0].id, "product_version");
  EXPECT_EQ(form.fields[1].id, "system_details");
  EXPECT_EQ(form.fields[2].id, "description");
  const auto* details = find_field(form, "system_details");
  ASSERT_NE(details, nullptr);
  EXPECT_TRUE(details->custom);
  EXPECT_TRUE(details->required);
  EXPECT_EQ(details->label, "Systemdetails (Betriebssystem, Hardware, Umgebung)");
  const auto* version = find_field(form, "product_version");
  ASSERT_NE(version, nullptr);
  EXPECT_FALSE(version->custom);
  EXPECT_EQ(version->label, "die Software-Version");
  const auto* attachment = find_field(form, "attachment");
  ASSERT_NE(attachment, nullptr);
  EXPECT_FALSE(attachment->required);
  EXPECT_TRUE(attachment->recommended);
}

TEST(IntakeForm, JetnetGivesItsGuidanceAndStatusPage) {
  const auto form = intake_form_of(policy::load_policy(kExamples / "jetnet" / "policy.toml"));
  EXPECT_NE(form.guidance.find("818/734-0168 option 3"), std::string::npos);
  EXPECT_EQ(form.status_page, "http://www.jet.net/status/");
  const auto* account = find_field(form, "account_name");
  ASSERT_NE(account, nullptr);
  EXPECT_TRUE(account->required);
  EXPECT_EQ(account->label, "Jet.Net account name");
  const auto* email = find_field(form, "customer_email");
  ASSERT_NE(email, nullptr);
  EXPECT_FALSE(email->required);
  EXPECT_TRUE(email->recommended);
}

TEST(IntakeForm, ProductFieldsAreRequiredForThatProductOnly) {
  const std::string text =
      testing::replaced(
          testing::kSamplePolicy, "custom_fields = { system_details = \"System details\" }",
          "custom_fields = { system_details = \"System details\", site = \"Site\" }") +
      "[[product]]\nname = \"Gadget\"\nrequired_fields = [\"product_version\"]\n"
      "recommended_fields = [\"customer_phone\"]\n";
  const auto form = intake_form_of(policy::parse_policy(text, "sample.toml"));
  EXPECT_EQ(form.products, (std::vector<std::string>{"Widget", "Gadget"}));
  EXPECT_EQ(form.guidance, "For an outage, call the hotline.");
  const auto* version = find_field(form, "product_version");
  ASSERT_NE(version, nullptr);
  EXPECT_FALSE(version->required);
  EXPECT_EQ(version->required_for_products, (std::vector<std::string>{"Widget", "Gadget"}));
  const auto* phone = find_field(form, "customer_phone");
  ASSERT_NE(phone, nullptr);
  EXPECT_FALSE(phone->recommended);
  EXPECT_EQ(phone->recommended_for_products, (std::vector<std::string>{"Gadget"}));
  // A custom field no list names is still offered, last.
  ASSERT_NE(find_field(form, "site"), nullptr);
  EXPECT_EQ(form.fields.back().id, "site");
  EXPECT_EQ(form.fields.back().label, "Site");
}

TEST(IntakeForm, GuidanceOverItsLimitIsRefusedWithItsPlace) {
  const std::string text = testing::replaced(
      testing::kSamplePolicy, "For an outage, call the hotline.", std::string(2001, 'x'));
  try {
    policy::parse_policy(text, "sample.toml");
    FAIL() << "a 2001-byte guidance was accepted";
  } catch (const std::exception& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("sample.toml"), std::string::npos) << message;
    EXPECT_NE(message.find("intake.guidance"), std::string::npos) << message;
    EXPECT_NE(message.find("2000"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace supportgw::intake
