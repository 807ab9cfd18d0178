#include "core/cli/apikey_commands.hpp"

#include <CLI/CLI.hpp>

#include <boost/json.hpp>

#include <iomanip>
#include <iostream>
#include <memory>

#include "core/cli/workspace.hpp"
#include "core/domain/api_key_secret.hpp"
#include "core/util/error.hpp"

namespace supportgw::cli {
namespace {

struct ApiKeyArguments {
  std::string name;
  std::int64_t id = 0;
};

constexpr std::size_t kMaxName = 100;

void check_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxName) {
    throw InvalidArgument("--name: expected 1 to 100 characters, got " +
                          std::to_string(name.size()));
  }
  for (const unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) {
      throw InvalidArgument("--name: control characters are not allowed");
    }
  }
}

boost::json::object key_json(const ApiKey& key) {
  boost::json::object object{{"id", key.id},
                             {"name", key.name},
                             {"created", format_utc(key.created_at)},
                             {"revoked", nullptr}};
  if (key.revoked_at) {
    object["revoked"] = format_utc(*key.revoked_at);
  }
  return object;
}

int run_create(const GlobalOptions& options, const ApiKeyArguments& args) {
  check_name(args.name);
  Workspace workspace(options, true);
  const std::string key = generate_api_key();
  ApiKey record;
  record.name = args.name;
  record.key_hash = api_key_hash(key);
  record.created_at = SystemClock().now();
  record.id =
      workspace.store().write([&](WriteTransaction& tx) { return tx.insert_api_key(record); });
  if (options.json) {
    boost::json::object object = key_json(record);
    object["key"] = key;
    std::cout << boost::json::serialize(object) << '\n';
  } else {
    std::cout << key << '\n';
    std::cerr << "API key " << record.id << " (" << record.name
              << ") made. It is shown only now: give it to the client, which sends it as "
                 "\"Authorization: Bearer <key>\".\n";
  }
  return 0;
}

int run_list(const GlobalOptions& options) {
  Workspace workspace(options, false);
  const auto keys = workspace.store().query([](ReadTransaction& tx) { return tx.api_keys(); });
  if (options.json) {
    boost::json::array listed;
    for (const ApiKey& key : keys) {
      listed.push_back(key_json(key));
    }
    std::cout << boost::json::serialize(boost::json::object{{"keys", std::move(listed)}}) << '\n';
    return 0;
  }
  for (const ApiKey& key : keys) {
    std::cout << std::left << std::setw(5) << key.id << ' ' << std::setw(24) << key.name << ' '
              << format_utc(key.created_at)
              << (key.revoked_at ? "  revoked " + format_utc(*key.revoked_at) : std::string())
              << '\n';
  }
  if (keys.empty()) {
    std::cout << "no API keys (make one with `supportgw apikey create --name NAME`)\n";
  }
  return 0;
}

int run_revoke(const GlobalOptions& options, const ApiKeyArguments& args) {
  Workspace workspace(options, false);
  const bool revoked = workspace.store().write(
      [&](WriteTransaction& tx) { return tx.revoke_api_key(args.id, SystemClock().now()); });
  if (!revoked) {
    throw NotFound("no API key " + std::to_string(args.id) +
                   " that is not revoked already (see `supportgw apikey list`)");
  }
  std::cout << "API key " << args.id << " revoked\n";
  return 0;
}

}  // namespace

void add_apikey_commands(CLI::App& app, GlobalOptions& options, std::function<int()>& action) {
  auto args = std::make_shared<ApiKeyArguments>();
  CLI::App* apikey = app.add_subcommand("apikey", "Keys of the vendor's JSON API (/api/v1/)");
  apikey->require_subcommand(1);

  CLI::App* create =
      apikey->add_subcommand("create", "Make a key; prints it once (only its hash is kept)");
  args->name = "api";
  create->add_option("--name", args->name, "Who or what uses it, for lists (default: api)");
  create->callback([&options, &action, args] {
    action = [&options, args] { return run_create(options, *args); };
  });

  CLI::App* list = apikey->add_subcommand("list", "List keys: id, name, made, revoked");
  list->callback([&options, &action] { action = [&options] { return run_list(options); }; });

  CLI::App* revoke = apikey->add_subcommand("revoke", "Revoke a key by its id; it stops at once");
  revoke->add_option("id", args->id, "The key's id (see list)")->required();
  revoke->callback([&options, &action, args] {
    action = [&options, args] { return run_revoke(options, *args); };
  });
}

}  // namespace supportgw::cli
