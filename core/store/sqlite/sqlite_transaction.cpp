#include "core/store/sqlite/sqlite_transaction.hpp"

#include <algorithm>
#include <cstring>
#include <tuple>

#include "core/util/error.hpp"

namespace supportgw::sqlite {
namespace {

std::int64_t to_millis(Timestamp at) { return at.time_since_epoch().count(); }
Timestamp from_millis(std::int64_t millis) { return Timestamp(std::chrono::milliseconds(millis)); }

constexpr const char* kOutboxColumns =
    "id, ticket_id, kind, recipient, subject, body, status, attempts, created_at, "
    "next_attempt_at, last_error";

constexpr const char* kActionColumns =
    "id, ticket_id, kind, sla, step, generation, repage, due_at, status, done_at, late, note";

constexpr const char* kTicketColumns =
    "id, reference, subject, description, severity, status, customer_name, customer_company, "
    "customer_email, customer_phone, product, product_version, origin_channel, origin_id, "
    "billing_group, created_at, updated_at";

Ticket read_ticket(const Statement& row, const std::string& database) {
  Ticket ticket;
  ticket.id = row.column_int64(0);
  ticket.reference = row.column_text(1);
  ticket.subject = row.column_text(2);
  ticket.description = row.column_text(3);
  ticket.severity = static_cast<int>(row.column_int64(4));
  const std::string status = row.column_text(5);
  const auto parsed = parse_ticket_status(status);
  if (!parsed) {
    throw StoreError("sqlite: " + database + ": ticket " + ticket.reference +
                     " has unknown status '" + status + "'");
  }
  ticket.status = *parsed;
  ticket.customer =
      Customer{row.column_text(6), row.column_text(7), row.column_text(8), row.column_text(9)};
  ticket.product = row.column_text(10);
  ticket.product_version = row.column_text(11);
  ticket.origin = Origin{row.column_text(12), row.column_text(13)};
  ticket.billing_group = row.column_text(14);
  ticket.created_at = from_millis(row.column_int64(15));
  ticket.updated_at = from_millis(row.column_int64(16));
  return ticket;
}

// Binds the ticket's mutable columns as parameters 1..15 in kTicketColumns order,
// skipping id and reference.
void bind_ticket_fields(Statement& statement, const Ticket& ticket) {
  statement.bind(1, ticket.subject)
      .bind(2, ticket.description)
      .bind(3, static_cast<std::int64_t>(ticket.severity))
      .bind(4, to_string(ticket.status))
      .bind(5, ticket.customer.name)
      .bind(6, ticket.customer.company)
      .bind(7, ticket.customer.email)
      .bind(8, ticket.customer.phone)
      .bind(9, ticket.product)
      .bind(10, ticket.product_version)
      .bind(11, ticket.origin.channel)
      .bind(12, ticket.origin.id)
      .bind(13, ticket.billing_group)
      .bind(14, to_millis(ticket.created_at))
      .bind(15, to_millis(ticket.updated_at));
}

OutboxStatus parse_outbox_status(std::string_view text) {
  if (text == "sent") {
    return OutboxStatus::sent;
  }
  if (text == "failed") {
    return OutboxStatus::failed;
  }
  return OutboxStatus::pending;
}

}  // namespace

void SqliteTransaction::load_flags(Ticket& ticket) {
  auto query = db_.prepare("SELECT flag, value FROM ticket_flags WHERE ticket_id = ?1");
  query->bind(1, ticket.id);
  while (query->step()) {
    ticket.flags.emplace(query->column_text(0), query->column_text(1));
  }
}

void SqliteTransaction::write_flags(const Ticket& ticket, bool fresh) {
  if (!fresh) {
    // Most updates (a status, a severity) leave the flags as they were: reading them
    // back costs a quarter of deleting and inserting them again.
    Ticket stored;
    stored.id = ticket.id;
    load_flags(stored);
    if (stored.flags == ticket.flags) {
      return;
    }
    auto clear = db_.prepare("DELETE FROM ticket_flags WHERE ticket_id = ?1");
    clear->bind(1, ticket.id).run();
  }
  for (const auto& [flag, value] : ticket.flags) {
    auto insert =
        db_.prepare("INSERT INTO ticket_flags (ticket_id, flag, value) VALUES (?1, ?2, ?3)");
    insert->bind(1, ticket.id).bind(2, flag).bind(3, value).run();
  }
}

std::optional<Ticket> SqliteTransaction::ticket_by_reference(std::string_view reference) {
  auto query =
      db_.prepare(std::string("SELECT ") + kTicketColumns + " FROM tickets WHERE reference = ?1");
  query->bind(1, reference);
  if (!query->step()) {
    return std::nullopt;
  }
  Ticket ticket = read_ticket(*query, db_.path().string());
  load_flags(ticket);
  return ticket;
}

std::optional<Ticket> SqliteTransaction::ticket_by_id(TicketId id) {
  auto query = db_.prepare(std::string("SELECT ") + kTicketColumns + " FROM tickets WHERE id = ?1");
  query->bind(1, id);
  if (!query->step()) {
    return std::nullopt;
  }
  Ticket ticket = read_ticket(*query, db_.path().string());
  load_flags(ticket);
  return ticket;
}

std::optional<TokenHash> SqliteTransaction::token_hash(TicketId id) {
  auto query = db_.prepare("SELECT token_hash FROM tickets WHERE id = ?1");
  query->bind(1, id);
  if (!query->step()) {
    return std::nullopt;
  }
  const std::string blob = query->column_blob(0);
  TokenHash hash{};
  if (blob.size() != hash.size()) {
    throw StoreError("sqlite: " + db_.path().string() + ": ticket id " + std::to_string(id) +
                     " has a token hash of " + std::to_string(blob.size()) + " bytes");
  }
  std::memcpy(hash.data(), blob.data(), hash.size());
  return hash;
}

std::optional<Timestamp> SqliteTransaction::token_issued_at(TicketId id) {
  auto query =
      db_.prepare("SELECT coalesce(token_issued_at, created_at) FROM tickets WHERE id = ?1");
  query->bind(1, id);
  if (!query->step()) {
    return std::nullopt;
  }
  return from_millis(query->column_int64(0));
}

std::vector<Ticket> SqliteTransaction::list_tickets(const TicketFilter& filter) {
  // One statement for every filter combination: a NULL parameter means "any".
  auto query = db_.prepare(std::string("SELECT ") + kTicketColumns +
                           " FROM tickets WHERE id > ?1 AND (?2 IS NULL OR status = ?2) "
                           "AND (?3 IS NULL OR severity = ?3) ORDER BY id LIMIT ?4");
  query->bind(1, filter.after_id);
  if (filter.status) {
    query->bind(2, to_string(*filter.status));
  }
  if (filter.severity) {
    query->bind(3, static_cast<std::int64_t>(*filter.severity));
  }
  query->bind(4, static_cast<std::int64_t>(filter.limit));
  std::vector<Ticket> tickets;
  while (query->step()) {
    tickets.push_back(read_ticket(*query, db_.path().string()));
  }
  for (Ticket& ticket : tickets) {
    load_flags(ticket);
  }
  return tickets;
}

std::int64_t SqliteTransaction::count_tickets() {
  auto query = db_.prepare("SELECT count(*) FROM tickets");
  return query->step() ? query->column_int64(0) : 0;
}

std::vector<Event> SqliteTransaction::events(TicketId id) {
  std::vector<Event> events;
  {
    auto query = db_.prepare(
        "SELECT id, ticket_id, at, kind, actor, channel, text FROM events WHERE ticket_id = ?1 "
        "ORDER BY id");
    query->bind(1, id);
    while (query->step()) {
      Event event;
      event.id = query->column_int64(0);
      event.ticket_id = query->column_int64(1);
      event.at = from_millis(query->column_int64(2));
      const std::string kind = query->column_text(3);
      const auto parsed = parse_event_kind(kind);
      if (!parsed) {
        throw StoreError("sqlite: " + db_.path().string() + ": event " + std::to_string(event.id) +
                         " has unknown kind '" + kind + "'");
      }
      event.kind = *parsed;
      event.actor = query->column_text(4);
      event.channel = query->column_text(5);
      event.text = query->column_text(6);
      events.push_back(std::move(event));
    }
  }
  auto changes = db_.prepare(
      "SELECT c.event_id, c.field, c.old_value, c.new_value FROM event_changes c "
      "JOIN events e ON e.id = c.event_id WHERE e.ticket_id = ?1 ORDER BY c.event_id, c.position");
  changes->bind(1, id);
  std::size_t at = 0;
  while (changes->step()) {
    const EventId event_id = changes->column_int64(0);
    while (at < events.size() && events[at].id < event_id) {
      ++at;
    }
    if (at < events.size() && events[at].id == event_id) {
      events[at].changes.push_back(
          FieldChange{changes->column_text(1), changes->column_text(2), changes->column_text(3)});
    }
  }
  return events;
}

std::vector<Attachment> SqliteTransaction::attachments(TicketId id) {
  auto query = db_.prepare(
      "SELECT id, ticket_id, file_name, size, sha256, storage_path, source_channel, created_at, "
      "deleted_at FROM attachments WHERE ticket_id = ?1 ORDER BY id");
  query->bind(1, id);
  std::vector<Attachment> attachments;
  while (query->step()) {
    const auto deleted_at = query->column_optional_int64(8);
    attachments.push_back(Attachment{
        query->column_int64(0), query->column_int64(1), query->column_text(2),
        static_cast<std::uint64_t>(query->column_int64(3)), query->column_text(4),
        query->column_text(5), query->column_text(6), from_millis(query->column_int64(7)),
        deleted_at ? std::optional(from_millis(*deleted_at)) : std::nullopt});
  }
  return attachments;
}

std::vector<TicketId> SqliteTransaction::closed_tickets_with_files(Timestamp closed_before,
                                                                   TicketId after_id,
                                                                   std::size_t limit) {
  auto query = db_.prepare(
      "SELECT id FROM tickets WHERE status = 'closed' AND updated_at <= ?1 AND id > ?2 "
      "AND EXISTS (SELECT 1 FROM attachments a WHERE a.ticket_id = tickets.id "
      "AND a.deleted_at IS NULL) ORDER BY id LIMIT ?3");
  query->bind(1, to_millis(closed_before))
      .bind(2, after_id)
      .bind(3, static_cast<std::int64_t>(limit));
  std::vector<TicketId> ids;
  while (query->step()) {
    ids.push_back(query->column_int64(0));
  }
  return ids;
}

std::optional<IntakeRecord> SqliteTransaction::intake_record(const Origin& origin) {
  auto query = db_.prepare(
      "SELECT ticket_id, event_id, outcome, at, severity, acknowledgement, trace "
      "FROM intake_keys WHERE channel = ?1 AND origin_id = ?2");
  query->bind(1, origin.channel).bind(2, origin.id);
  if (!query->step()) {
    return std::nullopt;
  }
  return IntakeRecord{origin,
                      query->column_int64(0),
                      query->column_optional_int64(1),
                      query->column_text(2),
                      from_millis(query->column_int64(3)),
                      static_cast<int>(query->column_int64(4)),
                      query->column_text(5),
                      query->column_text(6)};
}

std::optional<TicketId> SqliteTransaction::ticket_by_key(std::string_view kind,
                                                         std::string_view key) {
  auto query = db_.prepare("SELECT ticket_id FROM ticket_keys WHERE kind = ?1 AND key = ?2");
  query->bind(1, kind).bind(2, key);
  if (!query->step()) {
    return std::nullopt;
  }
  return query->column_int64(0);
}

std::vector<TicketSubject> SqliteTransaction::recent_subjects_of_customer(std::string_view email,
                                                                          std::string_view phone,
                                                                          Timestamp since,
                                                                          std::size_t limit) {
  // One walk down each partial index, newest first, then a merge: no temporary b-tree
  // for a UNION or a sort, which an OR or IN query costs on every new ticket.
  std::vector<TicketSubject> found;
  const auto collect = [&](const char* column, std::string_view value) {
    if (value.empty()) {
      return;
    }
    auto query =
        db_.prepare(std::string("SELECT id, reference, subject, created_at FROM tickets "
                                "WHERE ") +
                    column + " = ?1 AND " + column +
                    " <> '' AND created_at >= ?2 ORDER BY created_at DESC, id DESC LIMIT ?3");
    query->bind(1, value).bind(2, to_millis(since));
    query->bind(3, static_cast<std::int64_t>(limit));
    while (query->step()) {
      found.push_back(TicketSubject{query->column_int64(0), query->column_text(1),
                                    query->column_text(2), from_millis(query->column_int64(3))});
    }
  };
  collect("customer_email", email);
  collect("customer_phone", phone);
  std::sort(found.begin(), found.end(), [](const TicketSubject& a, const TicketSubject& b) {
    return std::tie(a.created_at, a.id) > std::tie(b.created_at, b.id);
  });
  found.erase(
      std::unique(found.begin(), found.end(),
                  [](const TicketSubject& a, const TicketSubject& b) { return a.id == b.id; }),
      found.end());
  if (found.size() > limit) {
    found.resize(limit);
  }
  return found;
}

std::vector<OutboxMessage> SqliteTransaction::read_outbox(Statement& query) {
  std::vector<OutboxMessage> messages;
  while (query.step()) {
    OutboxMessage message;
    message.id = query.column_int64(0);
    message.ticket_id = query.column_optional_int64(1);
    message.kind = query.column_text(2);
    message.recipient = query.column_text(3);
    message.subject = query.column_text(4);
    message.body = query.column_text(5);
    message.status = parse_outbox_status(query.column_text(6));
    message.attempts = static_cast<int>(query.column_int64(7));
    message.created_at = from_millis(query.column_int64(8));
    message.next_attempt_at = from_millis(query.column_int64(9));
    message.last_error = query.column_text(10);
    messages.push_back(std::move(message));
  }
  return messages;
}

std::vector<OutboxMessage> SqliteTransaction::due_outbox(Timestamp now, std::size_t limit) {
  auto query = db_.prepare(std::string("SELECT ") + kOutboxColumns +
                           " FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?1 "
                           "ORDER BY next_attempt_at, id LIMIT ?2");
  query->bind(1, to_millis(now)).bind(2, static_cast<std::int64_t>(limit));
  return read_outbox(*query);
}

std::vector<OutboxMessage> SqliteTransaction::due_outbox(Timestamp now, std::size_t limit,
                                                         const std::vector<std::string>& kinds) {
  if (kinds.empty()) {
    return {};
  }
  // One placeholder per kind: a deployment has a handful, and the statement cache keeps
  // one statement per count.
  std::string placeholders;
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    placeholders += (i == 0 ? "?" : ", ?") + std::to_string(i + 3);
  }
  auto query = db_.prepare(std::string("SELECT ") + kOutboxColumns +
                           " FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?1 "
                           "AND kind IN (" +
                           placeholders + ") ORDER BY next_attempt_at, id LIMIT ?2");
  query->bind(1, to_millis(now)).bind(2, static_cast<std::int64_t>(limit));
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    query->bind(static_cast<int>(i + 3), kinds[i]);
  }
  return read_outbox(*query);
}

std::map<std::string, std::int64_t> SqliteTransaction::pending_outbox_by_kind() {
  auto query =
      db_.prepare("SELECT kind, count(*) FROM outbox WHERE status = 'pending' GROUP BY kind");
  std::map<std::string, std::int64_t> counts;
  while (query->step()) {
    counts.emplace(query->column_text(0), query->column_int64(1));
  }
  return counts;
}

std::vector<OutboxMessage> SqliteTransaction::ticket_outbox(TicketId id) {
  auto query = db_.prepare(std::string("SELECT ") + kOutboxColumns +
                           " FROM outbox WHERE ticket_id = ?1 ORDER BY id");
  query->bind(1, id);
  return read_outbox(*query);
}

std::vector<SlaClock> SqliteTransaction::sla_clocks(TicketId id) {
  auto query = db_.prepare(
      "SELECT ticket_id, kind, calendar, budget_ms, consumed_ms, pauses_while_pending, "
      "started_at, running_since, due_at, met_at, breached_at FROM sla_clocks "
      "WHERE ticket_id = ?1 ORDER BY kind");
  query->bind(1, id);
  std::vector<SlaClock> clocks;
  const auto optional_time = [&](int column) -> std::optional<Timestamp> {
    const auto millis = query->column_optional_int64(column);
    return millis ? std::optional<Timestamp>(from_millis(*millis)) : std::nullopt;
  };
  while (query->step()) {
    SlaClock clock;
    clock.ticket_id = query->column_int64(0);
    clock.kind = query->column_text(1);
    clock.calendar = query->column_text(2);
    clock.budget_ms = query->column_int64(3);
    clock.consumed_ms = query->column_int64(4);
    clock.pauses_while_pending = query->column_int64(5) != 0;
    clock.started_at = from_millis(query->column_int64(6));
    clock.running_since = optional_time(7);
    clock.due_at = optional_time(8);
    clock.met_at = optional_time(9);
    clock.breached_at = optional_time(10);
    clocks.push_back(std::move(clock));
  }
  return clocks;
}

std::optional<EscalationArm> SqliteTransaction::escalation_arm(TicketId id) {
  auto query = db_.prepare(
      "SELECT ticket_id, generation, armed_at, severity FROM escalation_arms WHERE ticket_id = ?1");
  query->bind(1, id);
  if (!query->step()) {
    return std::nullopt;
  }
  return EscalationArm{query->column_int64(0), static_cast<int>(query->column_int64(1)),
                       from_millis(query->column_int64(2)),
                       static_cast<int>(query->column_int64(3))};
}

std::vector<ScheduledAction> SqliteTransaction::read_actions(Statement& query) {
  std::vector<ScheduledAction> actions;
  while (query.step()) {
    ScheduledAction action;
    action.id = query.column_int64(0);
    action.ticket_id = query.column_int64(1);
    const std::string kind = query.column_text(2);
    const std::string status = query.column_text(8);
    const auto parsed_kind = parse_schedule_kind(kind);
    const auto parsed_status = parse_schedule_status(status);
    if (!parsed_kind || !parsed_status) {
      throw StoreError("sqlite: " + db_.path().string() + ": scheduled action " +
                       std::to_string(action.id) + " has kind '" + kind + "' and status '" +
                       status + "'");
    }
    action.kind = *parsed_kind;
    action.sla = query.column_text(3);
    action.step = static_cast<int>(query.column_int64(4));
    action.generation = static_cast<int>(query.column_int64(5));
    action.repage = static_cast<int>(query.column_int64(6));
    action.due_at = from_millis(query.column_int64(7));
    action.status = *parsed_status;
    const auto done = query.column_optional_int64(9);
    if (done) {
      action.done_at = from_millis(*done);
    }
    action.late = query.column_int64(10) != 0;
    action.note = query.column_text(11);
    actions.push_back(std::move(action));
  }
  return actions;
}

std::optional<ScheduledAction> SqliteTransaction::scheduled_action(std::int64_t id) {
  auto query =
      db_.prepare(std::string("SELECT ") + kActionColumns + " FROM schedule WHERE id = ?1");
  query->bind(1, id);
  auto actions = read_actions(*query);
  if (actions.empty()) {
    return std::nullopt;
  }
  return std::move(actions.front());
}

std::vector<ScheduledAction> SqliteTransaction::pending_actions(TicketId id) {
  auto query = db_.prepare(std::string("SELECT ") + kActionColumns +
                           " FROM schedule WHERE ticket_id = ?1 AND status = 'pending' "
                           "ORDER BY due_at, id");
  query->bind(1, id);
  return read_actions(*query);
}

std::vector<ScheduledAction> SqliteTransaction::ticket_actions(TicketId id) {
  auto query = db_.prepare(std::string("SELECT ") + kActionColumns +
                           " FROM schedule WHERE ticket_id = ?1 ORDER BY id");
  query->bind(1, id);
  return read_actions(*query);
}

std::vector<ScheduledAction> SqliteTransaction::due_actions(Timestamp at, std::size_t limit) {
  auto query = db_.prepare(std::string("SELECT ") + kActionColumns +
                           " FROM schedule WHERE status = 'pending' AND due_at <= ?1 "
                           "ORDER BY due_at, id LIMIT ?2");
  query->bind(1, to_millis(at)).bind(2, static_cast<std::int64_t>(limit));
  return read_actions(*query);
}

std::vector<ScheduledAction> SqliteTransaction::pending_actions_after(std::int64_t after_id,
                                                                      std::size_t limit) {
  auto query = db_.prepare(std::string("SELECT ") + kActionColumns +
                           " FROM schedule WHERE id > ?1 AND status = 'pending' "
                           "ORDER BY id LIMIT ?2");
  query->bind(1, after_id).bind(2, static_cast<std::int64_t>(limit));
  return read_actions(*query);
}

std::uint64_t SqliteTransaction::next_sequence(std::string_view scope) {
  auto query = db_.prepare(
      "INSERT INTO sequences (scope, value) VALUES (?1, 1) "
      "ON CONFLICT (scope) DO UPDATE SET value = value + 1 RETURNING value");
  query->bind(1, scope);
  if (!query->step()) {
    throw StoreError("sqlite: " + db_.path().string() + ": sequence '" + std::string(scope) +
                     "' returned no value");
  }
  return static_cast<std::uint64_t>(query->column_int64(0));
}

TicketId SqliteTransaction::insert_ticket(const Ticket& ticket, const TokenHash& token_hash) {
  auto insert = db_.prepare(
      "INSERT INTO tickets (subject, description, severity, status, customer_name, "
      "customer_company, customer_email, customer_phone, product, product_version, "
      "origin_channel, origin_id, billing_group, created_at, updated_at, reference, token_hash) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
  bind_ticket_fields(*insert, ticket);
  insert->bind(16, ticket.reference).bind_blob(17, token_hash.data(), token_hash.size());
  insert->run();
  Ticket stored = ticket;
  stored.id = db_.last_insert_rowid();
  write_flags(stored, /*fresh=*/true);
  return stored.id;
}

void SqliteTransaction::update_ticket(const Ticket& ticket) {
  auto update = db_.prepare(
      "UPDATE tickets SET subject = ?1, description = ?2, severity = ?3, status = ?4, "
      "customer_name = ?5, customer_company = ?6, customer_email = ?7, customer_phone = ?8, "
      "product = ?9, product_version = ?10, origin_channel = ?11, origin_id = ?12, "
      "billing_group = ?13, created_at = ?14, updated_at = ?15 WHERE id = ?16");
  bind_ticket_fields(*update, ticket);
  update->bind(16, ticket.id).run();
  if (db_.changes() != 1) {
    throw StoreError("sqlite: " + db_.path().string() + ": ticket " + ticket.reference + " (id " +
                     std::to_string(ticket.id) + ") does not exist");
  }
  write_flags(ticket, /*fresh=*/false);
}

EventId SqliteTransaction::append_event(const Event& event) {
  auto insert = db_.prepare(
      "INSERT INTO events (ticket_id, at, kind, actor, channel, text) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  insert->bind(1, event.ticket_id)
      .bind(2, to_millis(event.at))
      .bind(3, to_string(event.kind))
      .bind(4, event.actor)
      .bind(5, event.channel)
      .bind(6, event.text)
      .run();
  const EventId id = db_.last_insert_rowid();
  std::int64_t position = 0;
  for (const FieldChange& change : event.changes) {
    auto insert_change = db_.prepare(
        "INSERT INTO event_changes (event_id, position, field, old_value, new_value) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    insert_change->bind(1, id)
        .bind(2, position++)
        .bind(3, change.field)
        .bind(4, change.old_value)
        .bind(5, change.new_value)
        .run();
  }
  return id;
}

AttachmentId SqliteTransaction::insert_attachment(const Attachment& attachment) {
  auto insert = db_.prepare(
      "INSERT INTO attachments (ticket_id, file_name, size, sha256, storage_path, "
      "source_channel, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  insert->bind(1, attachment.ticket_id)
      .bind(2, attachment.file_name)
      .bind(3, static_cast<std::int64_t>(attachment.size))
      .bind(4, attachment.sha256)
      .bind(5, attachment.storage_path)
      .bind(6, attachment.source_channel)
      .bind(7, to_millis(attachment.created_at))
      .run();
  return db_.last_insert_rowid();
}

void SqliteTransaction::record_intake(const IntakeRecord& record) {
  auto insert = db_.prepare(
      "INSERT OR REPLACE INTO intake_keys (channel, origin_id, ticket_id, event_id, outcome, "
      "at, severity, acknowledgement, trace) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  insert->bind(1, record.origin.channel)
      .bind(2, record.origin.id)
      .bind(3, record.ticket_id)
      .bind(4, record.event_id)
      .bind(5, record.outcome)
      .bind(6, to_millis(record.at))
      .bind(7, static_cast<std::int64_t>(record.severity))
      .bind(8, record.acknowledgement)
      .bind(9, record.trace)
      .run();
}

void SqliteTransaction::remember_ticket_key(std::string_view kind, std::string_view key,
                                            TicketId ticket) {
  auto insert =
      db_.prepare("INSERT OR IGNORE INTO ticket_keys (kind, key, ticket_id) VALUES (?1, ?2, ?3)");
  insert->bind(1, kind).bind(2, key).bind(3, ticket).run();
}

OutboxId SqliteTransaction::enqueue_outbox(const NewOutboxMessage& message, Timestamp now) {
  auto insert = db_.prepare(
      "INSERT INTO outbox (ticket_id, kind, recipient, subject, body, created_at, "
      "next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  insert->bind(1, message.ticket_id)
      .bind(2, message.kind)
      .bind(3, message.recipient)
      .bind(4, message.subject)
      .bind(5, message.body)
      .bind(6, to_millis(now))
      .bind(7, to_millis(message.not_before.value_or(now)))
      .run();
  return db_.last_insert_rowid();
}

void SqliteTransaction::mark_outbox_sent(OutboxId id, Timestamp at) {
  auto update = db_.prepare(
      "UPDATE outbox SET status = 'sent', sent_at = ?2, attempts = attempts + 1 "
      "WHERE id = ?1 AND status = 'pending'");
  update->bind(1, id).bind(2, to_millis(at)).run();
  if (db_.changes() != 1) {
    throw StoreError("sqlite: " + db_.path().string() + ": outbox message " + std::to_string(id) +
                     " is not pending");
  }
}

void SqliteTransaction::mark_outbox_attempt_failed(OutboxId id,
                                                   std::optional<Timestamp> next_attempt,
                                                   std::string_view error) {
  auto update = db_.prepare(
      "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, "
      "status = CASE WHEN ?3 IS NULL THEN 'failed' ELSE 'pending' END, "
      "next_attempt_at = coalesce(?3, next_attempt_at) WHERE id = ?1 AND status = 'pending'");
  update->bind(1, id).bind(2, error);
  if (next_attempt) {
    update->bind(3, to_millis(*next_attempt));
  }
  update->run();
  if (db_.changes() != 1) {
    throw StoreError("sqlite: " + db_.path().string() + ": outbox message " + std::to_string(id) +
                     " is not pending");
  }
}

void SqliteTransaction::put_sla_clock(const SlaClock& clock) {
  auto upsert = db_.prepare(
      "INSERT OR REPLACE INTO sla_clocks (ticket_id, kind, calendar, budget_ms, consumed_ms, "
      "pauses_while_pending, started_at, running_since, due_at, met_at, breached_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  const auto millis = [](const std::optional<Timestamp>& at) -> std::optional<std::int64_t> {
    return at ? std::optional<std::int64_t>(to_millis(*at)) : std::nullopt;
  };
  upsert->bind(1, clock.ticket_id)
      .bind(2, clock.kind)
      .bind(3, clock.calendar)
      .bind(4, clock.budget_ms)
      .bind(5, clock.consumed_ms)
      .bind(6, static_cast<std::int64_t>(clock.pauses_while_pending ? 1 : 0))
      .bind(7, to_millis(clock.started_at))
      .bind(8, millis(clock.running_since))
      .bind(9, millis(clock.due_at))
      .bind(10, millis(clock.met_at))
      .bind(11, millis(clock.breached_at))
      .run();
}

void SqliteTransaction::put_escalation_arm(const EscalationArm& arm) {
  auto upsert = db_.prepare(
      "INSERT OR REPLACE INTO escalation_arms (ticket_id, generation, armed_at, severity) "
      "VALUES (?1, ?2, ?3, ?4)");
  upsert->bind(1, arm.ticket_id)
      .bind(2, static_cast<std::int64_t>(arm.generation))
      .bind(3, to_millis(arm.armed_at))
      .bind(4, static_cast<std::int64_t>(arm.severity))
      .run();
}

std::int64_t SqliteTransaction::schedule_action(const ScheduledAction& action) {
  auto insert = db_.prepare(
      "INSERT INTO schedule (ticket_id, kind, sla, step, generation, repage, due_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  insert->bind(1, action.ticket_id)
      .bind(2, to_string(action.kind))
      .bind(3, action.sla)
      .bind(4, static_cast<std::int64_t>(action.step))
      .bind(5, static_cast<std::int64_t>(action.generation))
      .bind(6, static_cast<std::int64_t>(action.repage))
      .bind(7, to_millis(action.due_at))
      .run();
  return db_.last_insert_rowid();
}

void SqliteTransaction::finish_action(std::int64_t id, ScheduleStatus status, Timestamp at,
                                      bool late, std::string_view note) {
  auto update = db_.prepare(
      "UPDATE schedule SET status = ?2, done_at = ?3, late = ?4, note = ?5 "
      "WHERE id = ?1 AND status = 'pending'");
  update->bind(1, id)
      .bind(2, to_string(status))
      .bind(3, to_millis(at))
      .bind(4, static_cast<std::int64_t>(late ? 1 : 0))
      .bind(5, note)
      .run();
  if (db_.changes() != 1) {
    throw StoreError("sqlite: " + db_.path().string() + ": scheduled action " + std::to_string(id) +
                     " is not pending");
  }
}

namespace {

constexpr const char* kApiKeyColumns = "id, name, key_hash, created_at, revoked_at";

ApiKey read_api_key(const Statement& row) {
  ApiKey key;
  key.id = row.column_int64(0);
  key.name = row.column_text(1);
  key.key_hash = row.column_text(2);
  key.created_at = from_millis(row.column_int64(3));
  if (const auto revoked = row.column_optional_int64(4)) {
    key.revoked_at = from_millis(*revoked);
  }
  return key;
}

}  // namespace

std::optional<ApiKey> SqliteTransaction::api_key_by_hash(std::string_view key_hash) {
  auto query =
      db_.prepare(std::string("SELECT ") + kApiKeyColumns + " FROM api_keys WHERE key_hash = ?1");
  query->bind(1, key_hash);
  if (!query->step()) {
    return std::nullopt;
  }
  return read_api_key(*query);
}

std::vector<ApiKey> SqliteTransaction::api_keys() {
  auto query = db_.prepare(std::string("SELECT ") + kApiKeyColumns + " FROM api_keys ORDER BY id");
  std::vector<ApiKey> keys;
  while (query->step()) {
    keys.push_back(read_api_key(*query));
  }
  return keys;
}

std::int64_t SqliteTransaction::insert_api_key(const ApiKey& key) {
  auto insert = db_.prepare(
      "INSERT INTO api_keys (name, key_hash, created_at, revoked_at) VALUES (?1, ?2, ?3, ?4)");
  std::optional<std::int64_t> revoked;
  if (key.revoked_at) {
    revoked = to_millis(*key.revoked_at);
  }
  insert->bind(1, key.name)
      .bind(2, key.key_hash)
      .bind(3, to_millis(key.created_at))
      .bind(4, revoked);
  insert->run();
  return db_.last_insert_rowid();
}

void SqliteTransaction::mark_attachment_deleted(AttachmentId id, Timestamp at) {
  auto update = db_.prepare("UPDATE attachments SET deleted_at = ?2 WHERE id = ?1");
  update->bind(1, id).bind(2, to_millis(at));
  update->run();
  if (db_.changes() != 1) {
    throw StoreError("sqlite: " + db_.path().string() + ": no attachment id " + std::to_string(id));
  }
}

void SqliteTransaction::renew_token(TicketId id, const std::optional<TokenHash>& new_hash,
                                    Timestamp issued_at) {
  auto update = db_.prepare(
      new_hash ? "UPDATE tickets SET token_issued_at = ?2, token_hash = ?3 WHERE id = ?1"
               : "UPDATE tickets SET token_issued_at = ?2 WHERE id = ?1");
  update->bind(1, id).bind(2, to_millis(issued_at));
  if (new_hash) {
    update->bind_blob(3, new_hash->data(), new_hash->size());
  }
  update->run();
  if (db_.changes() != 1) {
    throw StoreError("sqlite: " + db_.path().string() + ": no ticket id " + std::to_string(id));
  }
}

bool SqliteTransaction::revoke_api_key(std::int64_t id, Timestamp at) {
  auto update =
      db_.prepare("UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL");
  update->bind(1, id).bind(2, to_millis(at));
  update->run();
  return db_.changes() == 1;
}

GatewayCounts SqliteTransaction::gateway_counts() {
  const auto rows = [this](const char* sql) {
    std::vector<GatewayCounts::Row> result;
    auto query = db_.prepare(sql);
    while (query->step()) {
      result.push_back(
          GatewayCounts::Row{query->column_text(0), query->column_text(1), query->column_int64(2)});
    }
    return result;
  };
  GatewayCounts counts;
  counts.tickets = rows(
      "SELECT status, CAST(severity AS TEXT), count(*) FROM tickets GROUP BY status, severity "
      "ORDER BY status, severity");
  counts.intake = rows(
      "SELECT channel, outcome, count(*) FROM intake_keys GROUP BY channel, outcome "
      "ORDER BY channel, outcome");
  counts.actions = rows(
      "SELECT kind, status, count(*) FROM schedule GROUP BY kind, status ORDER BY kind, status");
  counts.outbox = rows("SELECT status, '', count(*) FROM outbox GROUP BY status ORDER BY status");
  return counts;
}

}  // namespace supportgw::sqlite
