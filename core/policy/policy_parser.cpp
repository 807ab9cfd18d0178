#include "core/policy/policy_parser.hpp"

#include <fstream>
#include <sstream>

#include "core/domain/reference_format.hpp"
#include "core/policy/parse_steps.hpp"
#include "core/policy/policy_error.hpp"

namespace supportgw::policy {
namespace {

// A policy is a page or two of text; anything near this size is not one, and refusing
// it early keeps a mistaken path (a log, a dump) from costing memory.
constexpr std::uintmax_t kMaxPolicyBytes = 4 * 1024 * 1024;

bool is_language_tag(std::string_view tag) {
  // BCP 47 in the shape people write: a 2-3 letter lower-case language, then subtags of
  // 2-8 letters or digits ("de", "en-NZ", "zh-Hant-TW"). Full validation would need the
  // IANA registry, which tells us nothing more about how to word texts.
  const auto is_lower = [](char c) { return c >= 'a' && c <= 'z'; };
  const auto is_alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  std::size_t pos = 0;
  while (pos < tag.size() && is_lower(tag[pos])) {
    ++pos;
  }
  if (pos < 2 || pos > 3 || tag.size() > 35) {
    return false;
  }
  while (pos < tag.size()) {
    if (tag[pos] != '-') {
      return false;
    }
    const std::size_t start = ++pos;
    while (pos < tag.size() && is_alnum(tag[pos])) {
      ++pos;
    }
    if (pos - start < 2 || pos - start > 8) {
      return false;
    }
  }
  return true;
}

}  // namespace

namespace detail {

void parse_vendor(const TableReader& root, Policy& policy) {
  const TableReader vendor(root.source(), root.subtable("vendor"), "vendor",
                           {"name", "reference_format", "time_zone", "language", "status_page"});
  policy.vendor.name = vendor.string("name");
  policy.vendor.reference_format = vendor.string("reference_format");
  try {
    const ReferenceFormat format(policy.vendor.reference_format);
  } catch (const InvalidArgument& error) {
    vendor.fail("reference_format", error.what());
  }
  policy.vendor.time_zone = vendor.string("time_zone");
  check_time_zone(vendor.source(), vendor.require("time_zone"), vendor.path_of("time_zone"),
                  policy.vendor.time_zone);
  policy.vendor.language = vendor.string("language");
  if (!is_language_tag(policy.vendor.language)) {
    vendor.fail("language", "expected a BCP 47 language tag such as \"de\", \"en\" or \"en-NZ\"");
  }
  policy.vendor.status_page = vendor.optional_string("status_page");
}

void parse_flags(const TableReader& root, Policy& policy) {
  const toml::table* flags = root.optional_subtable("flags");
  if (flags == nullptr) {
    return;
  }
  for (auto&& [key, node] : *flags) {
    const std::string id(key.str());
    const std::string path = "flags." + id;
    FlagDefinition flag;
    flag.id = id;
    flag.description = expect_string(root.source(), node, path);
    policy.flags.emplace(id, std::move(flag));
  }
}

}  // namespace detail

Policy parse_policy(std::string_view text, std::string_view source_name) {
  const detail::Source source{std::string(source_name)};
  toml::table document;
  try {
    document = toml::parse(text, source_name);
  } catch (const toml::parse_error& error) {
    source.fail(error.source(), std::string(error.description()));
  }
  const detail::TableReader root(
      source, document, "",
      {"vendor", "calendars", "flags", "contacts", "roles", "rotations", "severity", "after_hours",
       "billing", "intake", "follow_up", "product", "uploads", "status"});
  Policy policy;
  policy.source = std::string(source_name);
  detail::parse_vendor(root, policy);
  detail::parse_calendars(root, policy);
  detail::parse_flags(root, policy);
  detail::parse_people(root, policy);
  detail::parse_severities(root, policy);
  detail::parse_after_hours(root, policy);
  detail::parse_billing(root, policy);
  detail::parse_intake(root, policy);
  detail::parse_uploads(root, policy);
  detail::parse_status(root, policy);
  return policy;
}

Policy load_policy(const std::filesystem::path& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) {
    throw InvalidArgument(path.string() + ": cannot read the policy file: " + error.message());
  }
  if (size > kMaxPolicyBytes) {
    throw InvalidArgument(path.string() + ": " + std::to_string(size) +
                          " bytes is too large for a policy file (at most 4 MiB)");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) {
    throw InvalidArgument(path.string() + ": cannot read the policy file");
  }
  return parse_policy(text.str(), path.string());
}

}  // namespace supportgw::policy
