// [[status.component]]: the parts of the service the status page reports on.

#include <gtest/gtest.h>

#include "core/policy/policy_error.hpp"
#include "core/policy/policy_parser.hpp"
#include "sample_policy.hpp"

namespace supportgw::policy {
namespace {

using testing::kSamplePolicy;
using testing::location_of;

std::string with_status(std::string_view status) {
  return std::string(kSamplePolicy) + "\n" + std::string(status);
}

void expect_error(const std::string& text, std::string_view needle, std::string_view message) {
  SCOPED_TRACE(std::string("expecting '") + std::string(message) + "'");
  try {
    (void)parse_policy(text, "p.toml");
    ADD_FAILURE() << "the policy was accepted";
  } catch (const PolicyError& error) {
    EXPECT_EQ(std::to_string(error.line()) + ":" + std::to_string(error.column()),
              location_of(text, needle))
        << error.what();
    EXPECT_NE(std::string(error.what()).find(message), std::string::npos) << error.what();
  }
}

TEST(StatusComponents, AbsentMeansNone) {
  EXPECT_TRUE(parse_policy(kSamplePolicy, "p.toml").status_components.empty());
}

TEST(StatusComponents, ReadInFileOrder) {
  const Policy policy = parse_policy(with_status(R"toml(
[[status.component]]
id = "email"
name = "Email"
description = "Mail in and out"
products = ["Mail Gateway", "Webmail"]

[[status.component]]
id = "dial-up"
name = "Dial-up access"
)toml"),
                                     "p.toml");
  ASSERT_EQ(policy.status_components.size(), 2u);
  EXPECT_EQ(policy.status_components[0].id, "email");
  EXPECT_EQ(policy.status_components[0].name, "Email");
  EXPECT_EQ(policy.status_components[0].description, "Mail in and out");
  EXPECT_EQ(policy.status_components[0].products,
            (std::vector<std::string>{"Mail Gateway", "Webmail"}));
  EXPECT_EQ(policy.status_components[1].id, "dial-up");
  EXPECT_TRUE(policy.status_components[1].description.empty());
  EXPECT_TRUE(policy.status_components[1].products.empty());
}

TEST(StatusComponents, MistakesPointIntoTheFile) {
  expect_error(with_status("[[status.component]]\nid = \"Mail Server\"\nname = \"Mail\"\n"),
               "\"Mail Server\"", "is not a component id");
  expect_error(with_status("[[status.component]]\nid = \"a\"\nname = \"A\"\n"
                           "[[status.component]]\nid = \"a\"\nname = \"B\"\n"),
               "\"a\"\nname = \"B\"", "defined twice");
  expect_error(with_status("[[status.component]]\nid = \"a\"\nname = \"A\"\ncolour = 1\n"),
               "colour", "colour");
  expect_error(with_status("[[status.component]]\nid = \"a\"\nname = \"A\"\nproducts = [\"X\", "
                           "\"X\"]\n"),
               "\"X\"]", "listed twice");
  expect_error(with_status("[[status.component]]\nid = \"a\"\n"), "[[status.component]]", "name");
}

}  // namespace
}  // namespace supportgw::policy
