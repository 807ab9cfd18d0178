#include "core/daemon/policy_bundle.hpp"

#include "core/policy/policy_parser.hpp"

namespace supportgw::daemon {

PolicyBundle::PolicyBundle(policy::Policy loaded, Store& store, const Clock& clock)
    : policy(std::move(loaded)),
      calendars(policy),
      engine(policy, calendars),
      intake(store, engine, clock),
      desk(store, engine, clock),
      scheduler(store, engine) {}

std::shared_ptr<PolicyBundle> load_policy_bundle(const std::filesystem::path& file, Store& store,
                                                 const Clock& clock) {
  return std::make_shared<PolicyBundle>(policy::load_policy(file), store, clock);
}

}  // namespace supportgw::daemon
