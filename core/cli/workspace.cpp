#include "core/cli/workspace.hpp"

#include <filesystem>

#include "core/policy/policy_parser.hpp"
#include "core/store/sqlite/sqlite_store.hpp"
#include "core/util/error.hpp"

namespace supportgw::cli {

Workspace::Workspace(const GlobalOptions& options, bool create_database) : options_(options) {
  const std::filesystem::path path(options.database);
  if (!create_database && !std::filesystem::exists(path)) {
    throw NotFound("no database at " + path.string() +
                   " (create a ticket first, or name one with --db or SUPPORTGW_DB)");
  }
  if (!options.policy_file.empty()) {
    policy_ = policy::load_policy(options.policy_file);
    calendars_ = std::make_unique<sla::CalendarSet>(*policy_);
    engine_ = std::make_unique<sla::SlaEngine>(*policy_, *calendars_);
  }
  sqlite::SqliteStoreOptions store_options;
  store_options.path = path;
  store_options.max_readers = 1;
  store_ = std::make_unique<sqlite::SqliteStore>(store_options);
  if (engine_) {
    desk_ = std::make_unique<TicketDesk>(*store_, *engine_, clock_);
  }
}

Workspace::~Workspace() = default;

const sla::SlaEngine& Workspace::engine() const {
  if (!engine_) {
    throw InvalidArgument(
        "this command needs the vendor's policy: name it with --policy FILE "
        "or SUPPORTGW_POLICY");
  }
  return *engine_;
}

tickets::CreatedTicket Workspace::create(const NewTicket& ticket) {
  if (desk_) {
    return desk_->create(ticket, actor());
  }
  const ReferenceFormat format(options_.reference_format);
  const Timestamp now = clock_.now();
  // Drawn outside the transaction: the writer thread never waits on the generator.
  const CustomerToken token = CustomerToken::generate();
  return store_->write([&](WriteTransaction& tx) {
    return tickets::create(tx, ticket, format, utc_date(now), token, actor(), now);
  });
}

Ticket Workspace::respond(std::string_view reference, const tickets::Response& response) {
  if (desk_) {
    return desk_->respond(reference, response, actor());
  }
  return store_->write([&](WriteTransaction& tx) {
    return tickets::respond(tx, reference, response, actor(), clock_.now());
  });
}

Ticket Workspace::resolve(std::string_view reference, std::string_view note) {
  if (desk_) {
    return desk_->resolve(reference, note, actor());
  }
  return store_->write([&](WriteTransaction& tx) {
    return tickets::resolve(tx, reference, note, actor(), clock_.now());
  });
}

Ticket Workspace::close(std::string_view reference, std::string_view note) {
  if (desk_) {
    return desk_->close(reference, note, actor());
  }
  return store_->write([&](WriteTransaction& tx) {
    return tickets::close(tx, reference, note, actor(), clock_.now());
  });
}

Ticket Workspace::reopen(std::string_view reference, std::string_view note) {
  if (desk_) {
    return desk_->reopen(reference, note, actor());
  }
  return store_->write([&](WriteTransaction& tx) {
    return tickets::reopen(tx, reference, note, actor(), clock_.now());
  });
}

Ticket Workspace::update(std::string_view reference, const tickets::TicketUpdate& update) {
  if (desk_) {
    return desk_->update(reference, update, actor());
  }
  return store_->write([&](WriteTransaction& tx) {
    return tickets::update(tx, reference, update, actor(), clock_.now());
  });
}

Ticket Workspace::acknowledge(std::string_view reference) {
  if (desk_) {
    return desk_->acknowledge(reference, actor());
  }
  tickets::TicketUpdate update;
  update.set_flags = {{"acknowledged", options_.actor}};
  update.note = "escalation acknowledged";
  return this->update(reference, update);
}

Ticket Workspace::assign(std::string_view reference, std::string_view owner) {
  if (desk_) {
    return desk_->assign(reference, owner, actor());
  }
  tickets::TicketUpdate update;
  update.set_flags = {{"owner", std::string(owner)}};
  return this->update(reference, update);
}

}  // namespace supportgw::cli
