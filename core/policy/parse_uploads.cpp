// [uploads]: how long a customer's token opens file uploads (FTP, SFTP, the web) and how
// long a closed ticket's files are kept. Both are optional: without them tokens do not
// expire and files are kept for good.

#include "core/policy/parse_steps.hpp"

namespace supportgw::policy::detail {

void parse_uploads(const TableReader& root, Policy& policy) {
  const toml::table* table = root.optional_subtable("uploads");
  if (table == nullptr) {
    return;
  }
  const TableReader reader(root.source(), *table, "uploads", {"token_lifetime", "retention"});
  Uploads& uploads = policy.uploads;
  for (const auto& [key, target] :
       {std::pair{"token_lifetime", &uploads.token_lifetime}, {"retention", &uploads.retention}}) {
    if (!reader.has(key)) {
      continue;
    }
    *target = expect_wall_clock(reader.source(), reader.require(key), reader.path_of(key));
    if (*target <= std::chrono::minutes::zero()) {
      reader.fail(key,
                  "expected a duration of at least a minute, such as \"30d\"; leave it "
                  "out for no limit");
    }
  }
}

}  // namespace supportgw::policy::detail
