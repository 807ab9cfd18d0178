#include "core/store/sqlite/schema.hpp"

#include <iterator>
#include <string>

#include "core/util/error.hpp"

namespace supportgw::sqlite {
namespace {

struct Migration {
  int version;
  const char* what;
  const char* sql;
};

// Tables are STRICT so a wrong type is an error, not a silent conversion. Events are
// append-only: triggers refuse UPDATE and DELETE, whoever issues them.
// A plain array, so appending a migration touches nothing but its own lines.
constexpr Migration kMigrations[] = {
    {1, "tickets, their history and intake keys", R"sql(
CREATE TABLE sequences (
  scope TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT;

CREATE TABLE tickets (
  id               INTEGER PRIMARY KEY,
  reference        TEXT NOT NULL UNIQUE,
  token_hash       BLOB NOT NULL CHECK (length(token_hash) = 32),
  subject          TEXT NOT NULL,
  description      TEXT NOT NULL,
  severity         INTEGER NOT NULL CHECK (severity >= 1),
  status           TEXT NOT NULL
                   CHECK (status IN ('new', 'open', 'pending-customer', 'solved', 'closed')),
  customer_name    TEXT NOT NULL,
  customer_company TEXT NOT NULL,
  customer_email   TEXT NOT NULL,
  customer_phone   TEXT NOT NULL,
  product          TEXT NOT NULL,
  product_version  TEXT NOT NULL,
  origin_channel   TEXT NOT NULL,
  origin_id        TEXT NOT NULL,
  billing_group    TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX tickets_by_status ON tickets (status, severity);

CREATE TABLE ticket_flags (
  ticket_id INTEGER NOT NULL REFERENCES tickets (id),
  flag      TEXT NOT NULL,
  value     TEXT NOT NULL,
  PRIMARY KEY (ticket_id, flag)
) STRICT, WITHOUT ROWID;

CREATE TABLE events (
  id        INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets (id),
  at        INTEGER NOT NULL,
  kind      TEXT NOT NULL,
  actor     TEXT NOT NULL,
  channel   TEXT NOT NULL,
  text      TEXT NOT NULL
) STRICT;
CREATE INDEX events_by_ticket ON events (ticket_id, id);

CREATE TABLE event_changes (
  event_id  INTEGER NOT NULL REFERENCES events (id),
  position  INTEGER NOT NULL,
  field     TEXT NOT NULL,
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL,
  PRIMARY KEY (event_id, position)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'ticket events are append-only'); END;
CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'ticket events are append-only'); END;
CREATE TRIGGER event_changes_are_append_only_update BEFORE UPDATE ON event_changes
BEGIN SELECT RAISE(ABORT, 'ticket events are append-only'); END;
CREATE TRIGGER event_changes_are_append_only_delete BEFORE DELETE ON event_changes
BEGIN SELECT RAISE(ABORT, 'ticket events are append-only'); END;

CREATE TABLE intake_keys (
  channel   TEXT NOT NULL,
  origin_id TEXT NOT NULL,
  ticket_id INTEGER NOT NULL REFERENCES tickets (id),
  event_id  INTEGER REFERENCES events (id),
  outcome   TEXT NOT NULL,
  at        INTEGER NOT NULL,
  PRIMARY KEY (channel, origin_id)
) STRICT, WITHOUT ROWID;
)sql"},
    {2, "attachments and the notification outbox", R"sql(
CREATE TABLE attachments (
  id             INTEGER PRIMARY KEY,
  ticket_id      INTEGER NOT NULL REFERENCES tickets (id),
  file_name      TEXT NOT NULL,
  size           INTEGER NOT NULL CHECK (size >= 0),
  sha256         TEXT NOT NULL CHECK (length(sha256) = 64),
  storage_path   TEXT NOT NULL,
  source_channel TEXT NOT NULL,
  created_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX attachments_by_ticket ON attachments (ticket_id, id);

CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  ticket_id       INTEGER REFERENCES tickets (id),
  kind            TEXT NOT NULL,
  recipient       TEXT NOT NULL,
  subject         TEXT NOT NULL,
  body            TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  sent_at         INTEGER,
  last_error      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_by_ticket ON outbox (ticket_id, id);
)sql"},
    {3, "SLA clocks, escalation arms and the action schedule", R"sql(
CREATE TABLE sla_clocks (
  ticket_id            INTEGER NOT NULL REFERENCES tickets (id),
  kind                 TEXT NOT NULL,
  calendar             TEXT NOT NULL,
  budget_ms            INTEGER NOT NULL CHECK (budget_ms >= 0),
  consumed_ms          INTEGER NOT NULL CHECK (consumed_ms >= 0),
  pauses_while_pending INTEGER NOT NULL,
  started_at           INTEGER NOT NULL,
  running_since        INTEGER,
  due_at               INTEGER,
  met_at               INTEGER,
  breached_at          INTEGER,
  PRIMARY KEY (ticket_id, kind)
) STRICT, WITHOUT ROWID;

CREATE TABLE escalation_arms (
  ticket_id  INTEGER PRIMARY KEY REFERENCES tickets (id),
  generation INTEGER NOT NULL,
  armed_at   INTEGER NOT NULL,
  severity   INTEGER NOT NULL
) STRICT;

CREATE TABLE schedule (
  id         INTEGER PRIMARY KEY,
  ticket_id  INTEGER NOT NULL REFERENCES tickets (id),
  kind       TEXT NOT NULL CHECK (kind IN ('sla-breach', 'step', 'repage')),
  sla        TEXT NOT NULL,
  step       INTEGER NOT NULL,
  generation INTEGER NOT NULL,
  repage     INTEGER NOT NULL,
  due_at     INTEGER NOT NULL,
  status     TEXT NOT NULL DEFAULT 'pending'
             CHECK (status IN ('pending', 'fired', 'skipped', 'cancelled')),
  done_at    INTEGER,
  late       INTEGER NOT NULL DEFAULT 0,
  note       TEXT NOT NULL DEFAULT ''
) STRICT;
-- The scheduler asks what is due (by time; partial, so it stays small however long
-- the history grows); the engine asks for one ticket's actions, pending or done, at
-- every change, which must not scan the table.
CREATE INDEX schedule_due ON schedule (due_at, id) WHERE status = 'pending';
CREATE INDEX schedule_by_ticket ON schedule (ticket_id, id);
)sql"},
    {4, "what intake answered, conversation keys and tickets by customer", R"sql(
-- A repeated contact gets the first answer back word for word.
ALTER TABLE intake_keys ADD COLUMN severity INTEGER NOT NULL DEFAULT 0;
ALTER TABLE intake_keys ADD COLUMN acknowledgement TEXT NOT NULL DEFAULT '';
ALTER TABLE intake_keys ADD COLUMN trace TEXT NOT NULL DEFAULT '';

-- Keys that tie a later contact to a ticket without our reference: Message-IDs of the
-- conversation ('thread') and the customer's own ticket numbers ('customer-ticket').
CREATE TABLE ticket_keys (
  kind      TEXT NOT NULL,
  key       TEXT NOT NULL,
  ticket_id INTEGER NOT NULL REFERENCES tickets (id),
  PRIMARY KEY (kind, key)
) STRICT, WITHOUT ROWID;

-- Possible-duplicate detection looks at one customer's recent tickets.
CREATE INDEX tickets_by_customer_email ON tickets (customer_email, created_at)
  WHERE customer_email <> '';
CREATE INDEX tickets_by_customer_phone ON tickets (customer_phone, created_at)
  WHERE customer_phone <> '';
)sql"},
    {5, "API keys of the vendor's JSON API (hashed)", R"sql(
CREATE TABLE api_keys (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  key_hash   TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
) STRICT;
)sql"},
    {6, "incidents of the service status page, their updates and linked tickets", R"sql(
-- A component's status is not stored: it is rolled up from the open incidents.
CREATE TABLE incidents (
  id          INTEGER PRIMARY KEY,
  public_id   TEXT NOT NULL UNIQUE,
  title       TEXT NOT NULL,
  status      TEXT NOT NULL
              CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved')),
  impact      TEXT NOT NULL
              CHECK (impact IN ('maintenance', 'degraded', 'partial-outage', 'major-outage')),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  resolved_at INTEGER,
  CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
) STRICT;
-- The status page asks for the open ones on every view; partial, so it stays small.
CREATE INDEX incidents_open ON incidents (id) WHERE status <> 'resolved';
CREATE INDEX incidents_by_update ON incidents (updated_at);

CREATE TABLE incident_components (
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  component   TEXT NOT NULL,
  PRIMARY KEY (incident_id, component)
) STRICT, WITHOUT ROWID;

CREATE TABLE incident_updates (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  status      TEXT NOT NULL
              CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved')),
  body        TEXT NOT NULL,
  at          INTEGER NOT NULL
) STRICT;
CREATE INDEX incident_updates_by_incident ON incident_updates (incident_id, id);

CREATE TABLE incident_tickets (
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  ticket_id   INTEGER NOT NULL REFERENCES tickets (id),
  linked_at   INTEGER NOT NULL,
  PRIMARY KEY (incident_id, ticket_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX incident_tickets_by_ticket ON incident_tickets (ticket_id);
)sql"},
    {7, "upload token renewal and retention of closed tickets' files", R"sql(
-- When the customer's token was last issued or renewed (NULL: with the ticket). Uploads
-- take it for the policy's [uploads] token_lifetime from then.
ALTER TABLE tickets ADD COLUMN token_issued_at INTEGER;

-- When the retention sweep deleted the file from disk. The row stays, so the history
-- keeps naming the file, its size and its SHA-256.
ALTER TABLE attachments ADD COLUMN deleted_at INTEGER;
-- The sweep looks for closed tickets that still hold files.
CREATE INDEX attachments_kept ON attachments (ticket_id) WHERE deleted_at IS NULL;
)sql"},
    {8, "the duplicate search reads a customer's recent subjects from its index alone", R"sql(
-- Every new ticket compares its subject with those of the sender's recent tickets. With
-- subject and reference in the index, that is a walk along one index range instead of
-- a lookup in the table for each earlier ticket (12% of the writer at 2,000 tickets/s).
DROP INDEX tickets_by_customer_email;
CREATE INDEX tickets_by_customer_email ON tickets (customer_email, created_at, id, subject, reference)
  WHERE customer_email <> '';
DROP INDEX tickets_by_customer_phone;
CREATE INDEX tickets_by_customer_phone ON tickets (customer_phone, created_at, id, subject, reference)
  WHERE customer_phone <> '';
)sql"},
};

}  // namespace

int latest_schema_version() { return std::end(kMigrations)[-1].version; }

void migrate(Connection& connection, int target) {
  if (target < 0) {
    target = latest_schema_version();
  }
  // BEGIN IMMEDIATE takes the write lock before reading the version, so two processes
  // opening a new file at once cannot both apply migration 1.
  for (const Migration& migration : kMigrations) {
    if (migration.version > target) {
      break;
    }
    connection.execute("BEGIN IMMEDIATE");
    try {
      const auto current = connection.pragma_int("user_version");
      if (current > latest_schema_version()) {
        throw StoreError("sqlite: " + connection.path().string() + " has schema version " +
                         std::to_string(current) + ", but this supportgw knows versions up to " +
                         std::to_string(latest_schema_version()) + "; use a newer supportgw");
      }
      if (current < migration.version) {
        connection.execute(migration.sql);
        connection.execute("PRAGMA user_version = " + std::to_string(migration.version));
      }
      connection.execute("COMMIT");
    } catch (const StoreError&) {
      connection.execute("ROLLBACK");
      throw;
    } catch (const std::exception& error) {
      connection.execute("ROLLBACK");
      throw StoreError("sqlite: " + connection.path().string() + ": migration " +
                       std::to_string(migration.version) + " (" + migration.what +
                       ") failed: " + error.what());
    }
  }
}

}  // namespace supportgw::sqlite
