#include "core/cli/policy_commands.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "core/policy/policy_parser.hpp"

namespace supportgw::cli {
namespace {

struct PolicyArguments {
  std::vector<std::string> files;
};

std::size_t escalation_steps(const policy::Policy& policy) {
  std::size_t steps = 0;
  for (const policy::Severity& severity : policy.severities) {
    steps += severity.escalation.steps.size();
  }
  return steps;
}

// One line a vendor can read at a glance: that the file is good and what it defines.
std::string summary(const std::string& file, const policy::Policy& policy) {
  std::string levels;
  for (const policy::Severity& severity : policy.severities) {
    levels += (levels.empty() ? "" : ", ") + std::to_string(severity.level) + " " + severity.name;
  }
  return file + ": ok: " + policy.vendor.name + " (" + policy.vendor.time_zone + ", " +
         policy.vendor.language + "); " + std::to_string(policy.severities.size()) +
         " severities [" + levels + "]; " + std::to_string(policy.calendars.size()) +
         " calendars; " + std::to_string(escalation_steps(policy)) + " escalation steps";
}

boost::json::object summary_json(const std::string& file, const policy::Policy& policy) {
  boost::json::array levels;
  for (const policy::Severity& severity : policy.severities) {
    levels.push_back(boost::json::object{{"level", severity.level}, {"name", severity.name}});
  }
  boost::json::array calendars;
  for (const auto& [name, spec] : policy.calendars) {
    calendars.emplace_back(name);
  }
  return boost::json::object{{"file", file},
                             {"ok", true},
                             {"vendor", policy.vendor.name},
                             {"time_zone", policy.vendor.time_zone},
                             {"language", policy.vendor.language},
                             {"severities", std::move(levels)},
                             {"calendars", std::move(calendars)},
                             {"escalation_steps", escalation_steps(policy)}};
}

int run_check(const GlobalOptions& options, const PolicyArguments& args) {
  boost::json::array checked;
  for (const std::string& file : args.files) {
    // A bad file throws PolicyError (an InvalidArgument): main() prints it and exits 4.
    // Lines for the good files before it are already out, so the vendor sees how far
    // the check got.
    const policy::Policy policy = policy::load_policy(file);
    if (options.json) {
      checked.push_back(summary_json(file, policy));
    } else {
      std::cout << summary(file, policy) << std::endl;
    }
  }
  if (options.json) {
    std::cout << boost::json::serialize(checked) << '\n';
  }
  return 0;
}

}  // namespace

void add_policy_commands(CLI::App& app, GlobalOptions& options, std::function<int()>& action) {
  auto args = std::make_shared<PolicyArguments>();
  CLI::App* policy = app.add_subcommand("policy", "Check and explain policy files");
  policy->require_subcommand(1);

  CLI::App* check = policy->add_subcommand(
      "check", "Check policy files; stops at the first bad one with file:line:column");
  check->add_option("files", args->files, "policy.toml files")->required();
  check->callback([&options, &action, args] {
    action = [&options, args] { return run_check(options, *args); };
  });
}

}  // namespace supportgw::cli
