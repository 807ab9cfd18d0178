#pragma once
// A fresh SQLite store in its own temporary folder, and a fixed actor and clock for
// tests that make tickets.

#include <memory>

#include "core/domain/event.hpp"
#include "core/store/sqlite/sqlite_store.hpp"
#include "core/tickets/ticket_operations.hpp"
#include "tests/support/temp_dir.hpp"

namespace supportgw::testing {

class StoreFixture {
 public:
  StoreFixture() { reopen(); }

  // Closes the store (running what was submitted) and opens the same file again.
  void reopen() {
    store_.reset();
    sqlite::SqliteStoreOptions options;
    options.path = database_path();
    store_ = std::make_unique<sqlite::SqliteStore>(options);
  }
  std::filesystem::path database_path() const { return dir_ / "tickets.db"; }
  sqlite::SqliteStore& store() { return *store_; }
  void close() { store_.reset(); }

  // Opens a ticket with sensible fields; `subject` may be customised.
  tickets::CreatedTicket create(const std::string& subject = "Printer on fire", int severity = 2) {
    NewTicket ticket;
    ticket.subject = subject;
    ticket.description = "It smokes.";
    ticket.severity = severity;
    ticket.customer = Customer{"Ann Admin", "Example GmbH", "ann@example.test", "+49 40 1234"};
    return store_->write([&](WriteTransaction& tx) {
      return tickets::create(tx, ticket, format_, date_, CustomerToken::generate(), actor_, now_);
    });
  }

  const ReferenceFormat& format() const { return format_; }
  const Actor& actor() const { return actor_; }
  Timestamp now() const { return now_; }
  CivilDate date() const { return date_; }

 private:
  TempDir dir_;
  std::unique_ptr<sqlite::SqliteStore> store_;
  ReferenceFormat format_{"SR-{yyyy}-{seq:6}"};
  CivilDate date_{2026, 11, 22};
  Timestamp now_ = Timestamp(std::chrono::milliseconds(1'795'000'000'000));
  Actor actor_{"cli:tester", "cli"};
};

}  // namespace supportgw::testing
