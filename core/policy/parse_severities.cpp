// [[severity]]: levels 1..N with their SLA targets and escalation ladders.

#include <algorithm>
#include <array>
#include <set>

#include "core/policy/parse_steps.hpp"

namespace supportgw::policy::detail {
namespace {

constexpr std::int64_t kMaxLevels = 100;

SlaTarget parse_target(const Source& source, const toml::table& table, const std::string& path,
                       const Policy& policy) {
  const TableReader reader(source, table, path,
                           {"within", "calendar", "pauses_while_pending_customer"});
  SlaTarget target;
  target.within = calendar_duration(reader, "within", "calendar", policy);
  if (target.within.duration.is_zero()) {
    reader.fail("within", "expected a duration greater than zero");
  }
  target.pauses_while_pending_customer =
      reader.optional_boolean("pauses_while_pending_customer").value_or(true);
  return target;
}

SlaTargets parse_sla(const TableReader& severity, const Policy& policy) {
  if (!severity.has("sla")) {
    severity.source().fail(severity.where(),
                           "[" + severity.path() +
                               "]: missing key 'sla'; every severity needs at least "
                               "sla.first_response = { within = \"...\", calendar = \"...\" }");
  }
  const TableReader sla(severity.source(), severity.subtable("sla"), severity.path_of("sla"),
                        {"first_response", "update_interval", "resolution"});
  const auto target = [&](std::string_view key) {
    return parse_target(sla.source(), sla.subtable(key), sla.path_of(key), policy);
  };
  SlaTargets targets;
  targets.first_response = target("first_response");
  if (sla.has("update_interval")) {
    targets.update_interval = target("update_interval");
  }
  if (sla.has("resolution")) {
    targets.resolution = target("resolution");
  }
  return targets;
}

std::vector<ChannelRoute> parse_routes(const TableReader& severity) {
  std::vector<ChannelRoute> routes;
  const std::vector<std::string> texts = severity.string_list("routes");
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const std::string& text = texts[i];
    const auto colon = text.find(':');
    ChannelRoute route{text.substr(0, colon),
                       colon == std::string::npos ? std::string() : text.substr(colon + 1)};
    if (route.channel.empty() || (colon != std::string::npos && route.route.empty())) {
      const toml::node& node = *severity.require("routes").as_array()->get(i);
      severity.source().fail(node, severity.path_of("routes") + "[" + std::to_string(i) +
                                       "]: expected \"CHANNEL\" or \"CHANNEL:ROUTE\" such as "
                                       "\"phone:option-3\"");
    }
    routes.push_back(std::move(route));
  }
  return routes;
}

SlaKind parse_sla_kind(const TableReader& step, std::string_view key, const SlaTargets& targets) {
  static constexpr std::array<std::pair<std::string_view, SlaKind>, 3> kNames{{
      {"first_response", SlaKind::first_response},
      {"update_interval", SlaKind::update_interval},
      {"resolution", SlaKind::resolution},
  }};
  const std::string name = step.string(key);
  for (const auto& [text, kind] : kNames) {
    if (text == name) {
      if (targets.find(kind) == nullptr) {
        step.fail(key, "this severity has no sla." + name + " target to take a share of");
      }
      return kind;
    }
  }
  step.fail(key, "expected first_response, update_interval or resolution");
}

EscalationStep parse_step(const TableReader& step, const Severity& severity, std::size_t index,
                          const Policy& policy) {
  EscalationStep result;
  result.label = step.optional_string("label").value_or("step " + std::to_string(index + 1));
  const bool elapsed = step.has("after");
  const bool share = step.has("at_share");
  if (elapsed == share) {
    step.source().fail(step.where(),
                       "[" + step.path() +
                           "]: expected either after = \"DURATION\" with calendar = \"NAME\", or "
                           "at_share = 0.75 with of_target = \"first_response\" (a breach "
                           "warning), but not both");
  }
  if (elapsed) {
    result.trigger.kind = EscalationTrigger::Kind::elapsed;
    result.trigger.after = calendar_duration(step, "after", "calendar", policy);
    for (std::string_view key : {"of_target"}) {
      if (step.has(key)) {
        step.fail(key, "only allowed with at_share");
      }
    }
  } else {
    result.trigger.kind = EscalationTrigger::Kind::share_of_target;
    const toml::node& node = step.require("at_share");
    const auto value = node.value<double>();  // integers convert too
    if (!value || !(*value > 0.0 && *value <= 1.0)) {
      step.fail("at_share",
                "expected a number greater than 0 and at most 1 (0.75 = when three "
                "quarters of the target have run)");
    }
    result.trigger.share = *value;
    result.trigger.target = parse_sla_kind(step, "of_target", severity.sla);
    if (step.has("calendar")) {
      step.fail("calendar", "not allowed with at_share: the target's own calendar is used");
    }
  }
  result.unless = condition_list(step, "unless");
  result.notify = recipient_list(step, "notify", policy);
  if (const auto level = step.optional_integer("raise_to_level", 1, kMaxLevels)) {
    if (*level >= severity.level) {
      step.fail("raise_to_level", "expected a more severe level than " +
                                      std::to_string(severity.level) + " (1 is the most severe)");
    }
    result.raise_to_level = static_cast<int>(*level);
  }
  if (const toml::node* page = step.find("page")) {
    result.page = expect_recipient(step.source(), *page, step.path_of("page"), policy);
  }
  if (const toml::node* every = step.find("repage_every")) {
    if (!result.page) {
      step.fail("repage_every", "only allowed with page = \"...\"");
    }
    result.repage_every = expect_wall_clock(step.source(), *every, step.path_of("repage_every"));
    if (result.repage_every->count() < 1) {
      step.fail("repage_every", "expected at least one minute between pages");
    }
  }
  if (const auto limit = step.optional_integer("repage_limit", 1, 1000)) {
    if (!result.repage_every) {
      step.fail("repage_limit", "only allowed with repage_every");
    }
    result.repage_limit = static_cast<int>(*limit);
  }
  if (step.has("notify_calendar")) {
    result.notify_calendar = calendar_name(step, "notify_calendar", policy);
  }
  if (result.notify.empty() && !result.page && !result.raise_to_level) {
    step.source().fail(step.where(), "[" + step.path() +
                                         "]: a step does nothing; expected at least one of "
                                         "notify, page or raise_to_level");
  }
  return result;
}

EscalationLadder parse_ladder(const TableReader& severity_reader, const Severity& severity,
                              const Policy& policy) {
  EscalationLadder ladder;
  const toml::table* table = severity_reader.optional_subtable("escalation");
  if (table == nullptr) {
    return ladder;
  }
  const TableReader reader(severity_reader.source(), *table, severity_reader.path_of("escalation"),
                           {"stop_when", "rearm_on_reopen", "notify_calendar", "step"});
  ladder.stop_when = condition_list(reader, "stop_when");
  ladder.rearm_on_reopen = reader.optional_boolean("rearm_on_reopen").value_or(true);
  if (reader.has("notify_calendar")) {
    ladder.notify_calendar = calendar_name(reader, "notify_calendar", policy);
  }
  if (const toml::array* steps = reader.optional_table_array("step")) {
    for (std::size_t i = 0; i < steps->size(); ++i) {
      const std::string path = reader.path_of("step") + "[" + std::to_string(i) + "]";
      const TableReader step(
          reader.source(), *steps->get(i)->as_table(), path,
          {"label", "after", "calendar", "at_share", "of_target", "unless", "notify",
           "raise_to_level", "page", "repage_every", "repage_limit", "notify_calendar"});
      ladder.steps.push_back(parse_step(step, severity, i, policy));
    }
  }
  return ladder;
}

}  // namespace

void parse_severities(const TableReader& root, Policy& policy) {
  const toml::array* array = root.optional_table_array("severity");
  if (array == nullptr || array->empty()) {
    root.source().fail(root.where(), "missing [[severity]]; expected at least one severity level");
  }
  // Levels first: steps check raise_to_level against the count, and gaps are easier to
  // explain before any detail.
  std::vector<std::pair<int, const toml::table*>> levels;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::table& table = *array->get(i)->as_table();
    const std::string path = "severity[" + std::to_string(i) + "]";
    const toml::node* level = table.get("level");
    if (level == nullptr) {
      root.source().fail(table.source(), "missing key 'level' in [" + path + "]");
    }
    const auto value =
        static_cast<int>(expect_integer(root.source(), *level, path + ".level", 1, kMaxLevels));
    for (const auto& [seen, other] : levels) {
      if (seen == value) {
        root.source().fail(*level, path + ".level: severity " + std::to_string(value) +
                                       " is defined twice; expected each level once");
      }
    }
    levels.emplace_back(value, &table);
  }
  std::sort(levels.begin(), levels.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const int expected = static_cast<int>(i) + 1;
    if (levels[i].first != expected) {
      root.source().fail(*levels[i].second->get("level"),
                         "severity levels must run 1..N without gaps; level " +
                             std::to_string(expected) + " is missing (found " +
                             std::to_string(levels[i].first) + ")");
    }
  }
  policy.severities.resize(levels.size());

  std::set<std::pair<std::string, std::string>> routes_seen;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const std::string path = "severity[" + std::to_string(i) + "]";
    const TableReader reader(
        root.source(), *array->get(i)->as_table(), path,
        {"level", "name", "definition", "keywords", "routes", "sla", "escalation"});
    const auto level = static_cast<int>(reader.integer("level", 1, kMaxLevels));
    Severity& severity = policy.severities[static_cast<std::size_t>(level) - 1];
    severity.level = level;
    severity.name = reader.string("name");
    severity.definition = reader.string("definition");
    severity.keywords = reader.string_list("keywords");
    severity.routes = parse_routes(reader);
    for (std::size_t r = 0; r < severity.routes.size(); ++r) {
      const ChannelRoute& route = severity.routes[r];
      if (!routes_seen.emplace(route.channel, route.route).second) {
        reader.source().fail(*reader.require("routes").as_array()->get(r),
                             reader.path_of("routes") + "[" + std::to_string(r) +
                                 "]: this route already implies another severity; expected "
                                 "each route at most once");
      }
    }
    severity.sla = parse_sla(reader, policy);
    severity.escalation = parse_ladder(reader, severity, policy);
  }
}

}  // namespace supportgw::policy::detail
