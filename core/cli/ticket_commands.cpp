#include "core/cli/ticket_commands.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <memory>

#include "core/cli/output.hpp"
#include "core/cli/workspace.hpp"
#include "core/tickets/ticket_operations.hpp"
#include "core/tickets/upload_token.hpp"
#include "core/util/error.hpp"

namespace supportgw::cli {
namespace {

// What the ticket subcommands parse into; one instance lives as long as the app.
struct TicketArguments {
  std::string reference;
  NewTicket new_ticket;
  std::vector<std::string> flags;
  std::vector<std::string> clear_flags;
  std::string note;
  std::string message;
  bool await_customer = false;
  std::string status;
  std::optional<int> severity;
  std::optional<std::string> subject, description, product, product_version, billing_group;
  std::optional<std::string> customer_name, customer_email, customer_company, customer_phone;
  std::size_t limit = 50;
  std::int64_t after = 0;
  std::string owner;
  bool new_token = false;
};

std::map<std::string, std::string> parse_flags(const std::vector<std::string>& flags) {
  std::map<std::string, std::string> parsed;
  for (const std::string& flag : flags) {
    const auto equals = flag.find('=');
    const std::string name = flag.substr(0, equals);
    if (name.empty()) {
      throw InvalidArgument("--flag '" + flag + "': expected NAME or NAME=VALUE");
    }
    parsed[name] = equals == std::string::npos ? "" : flag.substr(equals + 1);
  }
  return parsed;
}

TicketStatus parse_status_option(const std::string& text) {
  auto status = parse_ticket_status(text);
  if (!status) {
    throw InvalidArgument("unknown status '" + text +
                          "'; expected new, open, pending-customer, solved or closed");
  }
  return *status;
}

// Prints the outcome of a command that changed one ticket.
void report_change(const GlobalOptions& options, const Ticket& ticket, std::string_view verb) {
  if (options.json) {
    std::cout << ticket_json(ticket) << '\n';
  } else {
    std::cout << ticket.reference << ": " << verb << "; status " << to_string(ticket.status)
              << '\n';
  }
}

int run_create(const GlobalOptions& options, TicketArguments& args) {
  args.new_ticket.flags = parse_flags(args.flags);
  Workspace workspace(options, true);
  const auto created = workspace.create(args.new_ticket);
  if (options.json) {
    std::cout << created_json(created.ticket, created.token, created.duplicate) << '\n';
  } else if (created.duplicate) {
    std::cout << created.ticket.reference << " (already taken in from "
              << created.ticket.origin.channel << " " << created.ticket.origin.id
              << "; its token was shown then)\n";
  } else {
    std::cout << "reference: " << created.ticket.reference << '\n'
              << "token:     " << created.token
              << "   (shown only now; the customer needs it to see and add to the ticket)\n";
  }
  return 0;
}

int run_list(const GlobalOptions& options, const TicketArguments& args) {
  TicketFilter filter;
  if (!args.status.empty()) {
    filter.status = parse_status_option(args.status);
  }
  filter.severity = args.severity;
  filter.limit = args.limit;
  filter.after_id = args.after;
  Workspace workspace(options, false);
  const auto tickets =
      workspace.store().query([&](ReadTransaction& tx) { return tx.list_tickets(filter); });
  if (options.json) {
    std::cout << ticket_list_json(tickets) << '\n';
    return 0;
  }
  for (const Ticket& ticket : tickets) {
    print_ticket_line(std::cout, ticket);
  }
  return 0;
}

int run_show(const GlobalOptions& options, const TicketArguments& args) {
  Workspace workspace(options, false);
  workspace.store().read([&](ReadTransaction& tx) {
    const Ticket ticket = tickets::require(tx, args.reference);
    const auto events = tx.events(ticket.id);
    const auto attachments = tx.attachments(ticket.id);
    if (options.json) {
      std::cout << ticket_detail_json(ticket, events, attachments) << '\n';
    } else {
      print_ticket_detail(std::cout, ticket, events, attachments);
    }
  });
  return 0;
}

// Renews the customer's upload token, or (--new) replaces it with a fresh one that is
// printed once and mailed to the customer.
int run_renew_token(const GlobalOptions& options, const TicketArguments& args) {
  Workspace workspace(options, false);
  const std::optional<CustomerToken> fresh =
      args.new_token ? std::optional(CustomerToken::generate()) : std::nullopt;
  const Actor actor{options.actor, "cli"};
  const auto now = SystemClock().now();
  const auto [renewed, until] = workspace.store().write([&](WriteTransaction& tx) {
    auto result = tickets::renew_token(tx, args.reference, fresh ? &*fresh : nullptr, actor, now);
    auto expiry =
        tickets::upload_token_expiry(tx, result.ticket, workspace.upload_token_lifetime());
    return std::pair(std::move(result), expiry);
  });
  if (options.json) {
    std::cout << renewed_token_json(renewed.ticket, renewed.issued_at, renewed.token, until)
              << '\n';
    return 0;
  }
  std::cout << renewed.ticket.reference << ": token "
            << (renewed.token.empty() ? "renewed" : "replaced") << " at "
            << format_utc(renewed.issued_at) << '\n';
  if (until) {
    std::cout << "uploads:   open until " << format_utc(*until) << '\n';
  } else if (!workspace.has_policy()) {
    std::cout << "uploads:   open for the policy's [uploads] token_lifetime from now "
                 "(name the policy with --policy to see until when)\n";
  }
  if (!renewed.token.empty()) {
    std::cout << "token:     " << renewed.token
              << "   (shown only now; also mailed to the customer when the ticket has an "
                 "address)\n";
  }
  return 0;
}

// Runs one ticket-changing operation on a workspace and reports it.
template <class Operation>
int run_change(const GlobalOptions& options, std::string_view verb, Operation operation) {
  Workspace workspace(options, false);
  report_change(options, operation(workspace), verb);
  return 0;
}

int run_update(const GlobalOptions& options, const TicketArguments& args) {
  tickets::TicketUpdate update;
  update.subject = args.subject;
  update.description = args.description;
  update.severity = args.severity;
  if (!args.status.empty()) {
    update.status = parse_status_option(args.status);
  }
  update.product = args.product;
  update.product_version = args.product_version;
  update.billing_group = args.billing_group;
  update.set_flags = parse_flags(args.flags);
  update.clear_flags = args.clear_flags;
  update.note = args.note;
  const bool customer_changed =
      args.customer_name || args.customer_email || args.customer_company || args.customer_phone;
  return run_change(options, "updated", [&](Workspace& workspace) {
    tickets::TicketUpdate full = update;
    if (customer_changed) {
      Customer customer = workspace.store().query(
          [&](ReadTransaction& tx) { return tickets::require(tx, args.reference).customer; });
      customer.name = args.customer_name.value_or(customer.name);
      customer.email = args.customer_email.value_or(customer.email);
      customer.company = args.customer_company.value_or(customer.company);
      customer.phone = args.customer_phone.value_or(customer.phone);
      full.customer = customer;
    }
    return workspace.update(args.reference, full);
  });
}

void add_customer_options(CLI::App& command, TicketArguments& args, bool for_create) {
  if (for_create) {
    command.add_option("--customer-name", args.new_ticket.customer.name, "Customer's name");
    command.add_option("--customer-email", args.new_ticket.customer.email, "Customer's e-mail");
    command.add_option("--customer-company", args.new_ticket.customer.company,
                       "Customer's company");
    command.add_option("--customer-phone", args.new_ticket.customer.phone, "Customer's phone");
  } else {
    command.add_option("--customer-name", args.customer_name, "Customer's name");
    command.add_option("--customer-email", args.customer_email, "Customer's e-mail");
    command.add_option("--customer-company", args.customer_company, "Customer's company");
    command.add_option("--customer-phone", args.customer_phone, "Customer's phone");
  }
}

}  // namespace

void add_ticket_commands(CLI::App& app, GlobalOptions& options, std::function<int()>& action) {
  auto args = std::make_shared<TicketArguments>();
  CLI::App* ticket = app.add_subcommand("ticket", "Create, list, show and work tickets");
  ticket->require_subcommand(1);

  CLI::App* create =
      ticket->add_subcommand("create", "Open a ticket; prints its reference and token");
  create->add_option("--subject", args->new_ticket.subject, "One-line summary")->required();
  create->add_option("--description", args->new_ticket.description, "What happened");
  create->add_option("--severity", args->new_ticket.severity, "Level 1..N, 1 most severe")
      ->required()
      ->check(CLI::PositiveNumber);
  add_customer_options(*create, *args, true);
  create->add_option("--product", args->new_ticket.product, "Product name");
  create->add_option("--product-version", args->new_ticket.product_version, "Product version");
  create->add_option("--billing-group", args->new_ticket.billing_group, "Billing group");
  create->add_option("--flag", args->flags, "A flag NAME or NAME=VALUE (repeatable)");
  create->add_option("--origin-channel", args->new_ticket.origin.channel,
                     "Channel the contact came through (default: cli)");
  create->add_option("--origin-id", args->new_ticket.origin.id,
                     "The channel's id of the contact; a repeat returns the first ticket");
  create->callback([&options, &action, args] {
    action = [&options, args] { return run_create(options, *args); };
  });

  CLI::App* list = ticket->add_subcommand("list", "List tickets, oldest first");
  list->add_option("--status", args->status, "Only this status");
  list->add_option("--severity", args->severity, "Only this severity");
  list->add_option("--limit", args->limit, "At most this many (default 50)");
  list->add_option("--after", args->after, "Start after this internal id (paging)");
  list->callback([&options, &action, args] {
    action = [&options, args] { return run_list(options, *args); };
  });

  CLI::App* show = ticket->add_subcommand("show", "Show a ticket with its history");
  show->add_option("reference", args->reference, "Ticket reference")->required();
  show->callback([&options, &action, args] {
    action = [&options, args] { return run_show(options, *args); };
  });

  CLI::App* update = ticket->add_subcommand("update", "Change fields, flags or status");
  update->add_option("reference", args->reference, "Ticket reference")->required();
  update->add_option("--subject", args->subject, "New subject");
  update->add_option("--description", args->description, "New description");
  update->add_option("--severity", args->severity, "New severity")->check(CLI::PositiveNumber);
  update->add_option("--status", args->status, "New status (open or pending-customer)");
  update->add_option("--product", args->product, "Product name");
  update->add_option("--product-version", args->product_version, "Product version");
  update->add_option("--billing-group", args->billing_group, "Billing group");
  add_customer_options(*update, *args, false);
  update->add_option("--flag", args->flags, "Set a flag NAME or NAME=VALUE (repeatable)");
  update->add_option("--unflag", args->clear_flags, "Clear a flag (repeatable)");
  update->add_option("--note", args->note, "Why; kept in the history");
  update->callback([&options, &action, args] {
    action = [&options, args] { return run_update(options, *args); };
  });

  CLI::App* respond = ticket->add_subcommand("respond", "Answer the customer");
  respond->add_option("reference", args->reference, "Ticket reference")->required();
  respond->add_option("--message", args->message, "The answer")->required();
  respond->add_flag("--pending", args->await_customer, "Wait for the customer (pending-customer)");
  respond->callback([&options, &action, args] {
    action = [&options, args] {
      return run_change(options, "responded", [args](Workspace& workspace) {
        return workspace.respond(args->reference,
                                 tickets::Response{args->message, args->await_customer});
      });
    };
  });

  using StatusOperation = Ticket (Workspace::*)(std::string_view, std::string_view);
  struct StatusCommand {
    const char* name;
    const char* help;
    const char* verb;
    StatusOperation operation;
  };
  for (const StatusCommand& command : {
           StatusCommand{"resolve", "Mark a ticket solved", "resolved", &Workspace::resolve},
           StatusCommand{"close", "Close a solved ticket for good", "closed", &Workspace::close},
           StatusCommand{"reopen", "Reopen a solved ticket", "reopened", &Workspace::reopen},
       }) {
    CLI::App* sub = ticket->add_subcommand(command.name, command.help);
    sub->add_option("reference", args->reference, "Ticket reference")->required();
    sub->add_option("--note", args->note, "Why; kept in the history");
    sub->callback([&options, &action, args, command] {
      action = [&options, args, command] {
        return run_change(options, command.verb, [args, command](Workspace& workspace) {
          return (workspace.*command.operation)(args->reference, args->note);
        });
      };
    });
  }

  CLI::App* acknowledge =
      ticket->add_subcommand("acknowledge", "Acknowledge an escalation (stops re-pages)");
  acknowledge->add_option("reference", args->reference, "Ticket reference")->required();
  acknowledge->callback([&options, &action, args] {
    action = [&options, args] {
      return run_change(options, "acknowledged", [args](Workspace& workspace) {
        return workspace.acknowledge(args->reference);
      });
    };
  });

  CLI::App* renew = ticket->add_subcommand(
      "renew-token", "Start the customer token's upload lifetime again (until it closes)");
  renew->add_option("reference", args->reference, "Ticket reference")->required();
  renew->add_flag("--new", args->new_token,
                  "Issue a new token instead (the old one stops working; mailed to the customer)");
  renew->callback([&options, &action, args] {
    action = [&options, args] { return run_renew_token(options, *args); };
  });

  CLI::App* assign = ticket->add_subcommand("assign", "Give a ticket an owner");
  assign->add_option("reference", args->reference, "Ticket reference")->required();
  assign->add_option("--owner", args->owner, "Who owns it")->required();
  assign->callback([&options, &action, args] {
    action = [&options, args] {
      return run_change(options, "assigned", [args](Workspace& workspace) {
        return workspace.assign(args->reference, args->owner);
      });
    };
  });
}

}  // namespace supportgw::cli
