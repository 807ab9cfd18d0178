// The SQL behind the incidents of the status page (migration 6), kept apart from the
// ticket tables' SQL in sqlite_transaction.cpp.

#include <algorithm>
#include <limits>

#include "core/store/sqlite/sqlite_transaction.hpp"
#include "core/util/error.hpp"

namespace supportgw::sqlite {
namespace {

std::int64_t to_millis(Timestamp at) { return at.time_since_epoch().count(); }
Timestamp from_millis(std::int64_t millis) { return Timestamp(std::chrono::milliseconds(millis)); }

constexpr const char* kIncidentColumns =
    "id, public_id, title, status, impact, created_at, updated_at, resolved_at";

IncidentStatus incident_status_of(const std::string& text, const std::string& database) {
  const auto status = parse_incident_status(text);
  if (!status) {
    throw StoreError("sqlite: " + database + ": unknown incident status '" + text + "'");
  }
  return *status;
}

}  // namespace

std::vector<Incident> SqliteTransaction::read_incidents(Statement& query) {
  std::vector<Incident> incidents;
  while (query.step()) {
    Incident incident;
    incident.id = query.column_int64(0);
    incident.public_id = query.column_text(1);
    incident.title = query.column_text(2);
    incident.status = incident_status_of(query.column_text(3), db_.path().string());
    const std::string impact = query.column_text(4);
    const auto parsed = parse_component_status(impact);
    if (!parsed) {
      throw StoreError("sqlite: " + db_.path().string() + ": incident " + incident.public_id +
                       " has unknown impact '" + impact + "'");
    }
    incident.impact = *parsed;
    incident.created_at = from_millis(query.column_int64(5));
    incident.updated_at = from_millis(query.column_int64(6));
    if (const auto resolved = query.column_optional_int64(7)) {
      incident.resolved_at = from_millis(*resolved);
    }
    incidents.push_back(std::move(incident));
  }
  query.reset();
  // Components after the rows are read: the two statements never step at once.
  for (Incident& incident : incidents) {
    auto components = db_.prepare(
        "SELECT component FROM incident_components WHERE incident_id = ?1 ORDER BY component");
    components->bind(1, incident.id);
    while (components->step()) {
      incident.components.push_back(components->column_text(0));
    }
  }
  return incidents;
}

std::optional<Incident> SqliteTransaction::incident_by_public_id(std::string_view public_id) {
  auto query = db_.prepare(std::string("SELECT ") + kIncidentColumns +
                           " FROM incidents WHERE public_id = ?1");
  query->bind(1, public_id);
  auto found = read_incidents(*query);
  if (found.empty()) {
    return std::nullopt;
  }
  return std::move(found.front());
}

std::vector<Incident> SqliteTransaction::incidents(Timestamp resolved_since, std::size_t limit) {
  auto query = db_.prepare(std::string("SELECT ") + kIncidentColumns +
                           " FROM incidents WHERE status <> 'resolved' OR resolved_at >= ?1 "
                           "ORDER BY id DESC LIMIT ?2");
  query->bind(1, to_millis(resolved_since)).bind(2, static_cast<std::int64_t>(limit));
  return read_incidents(*query);
}

std::vector<Incident> SqliteTransaction::incidents_before(std::optional<IncidentId> before,
                                                          std::optional<bool> resolved,
                                                          std::size_t limit) {
  // ?2 = -1: any status; 0: open only; 1: resolved only. Along the primary key, newest
  // first, from the cursor.
  auto query = db_.prepare(std::string("SELECT ") + kIncidentColumns +
                           " FROM incidents WHERE id < ?1 AND (?2 < 0 OR (status = 'resolved') "
                           "= ?2) ORDER BY id DESC LIMIT ?3");
  query->bind(1, before.value_or(std::numeric_limits<IncidentId>::max()))
      .bind(2, static_cast<std::int64_t>(resolved ? (*resolved ? 1 : 0) : -1))
      .bind(3, static_cast<std::int64_t>(limit));
  return read_incidents(*query);
}

std::vector<Incident> SqliteTransaction::open_incidents_of(
    const std::vector<std::string>& components) {
  std::vector<IncidentId> ids;
  for (const std::string& component : components) {
    auto query = db_.prepare(
        "SELECT i.id FROM incidents i JOIN incident_components c ON c.incident_id = i.id "
        "WHERE c.component = ?1 AND i.status <> 'resolved'");
    query->bind(1, component);
    while (query->step()) {
      ids.push_back(query->column_int64(0));
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<Incident> result;
  for (const IncidentId id : ids) {
    auto query =
        db_.prepare(std::string("SELECT ") + kIncidentColumns + " FROM incidents WHERE id = ?1");
    query->bind(1, id);
    for (Incident& incident : read_incidents(*query)) {
      result.push_back(std::move(incident));
    }
  }
  return result;
}

std::vector<IncidentUpdate> SqliteTransaction::incident_updates(IncidentId id) {
  auto query = db_.prepare(
      "SELECT id, incident_id, status, body, at FROM incident_updates WHERE incident_id = ?1 "
      "ORDER BY id");
  query->bind(1, id);
  std::vector<IncidentUpdate> updates;
  while (query->step()) {
    IncidentUpdate update;
    update.id = query->column_int64(0);
    update.incident_id = query->column_int64(1);
    update.status = incident_status_of(query->column_text(2), db_.path().string());
    update.body = query->column_text(3);
    update.at = from_millis(query->column_int64(4));
    updates.push_back(std::move(update));
  }
  return updates;
}

std::vector<TicketId> SqliteTransaction::incident_tickets(IncidentId id) {
  auto query = db_.prepare(
      "SELECT ticket_id FROM incident_tickets WHERE incident_id = ?1 ORDER BY linked_at, "
      "ticket_id");
  query->bind(1, id);
  std::vector<TicketId> tickets;
  while (query->step()) {
    tickets.push_back(query->column_int64(0));
  }
  return tickets;
}

std::vector<Incident> SqliteTransaction::ticket_incidents(TicketId ticket) {
  // Along incident_tickets_by_ticket; the incident rows by their primary key. (The two
  // tables share no column name, so kIncidentColumns needs no table prefix.)
  auto query = db_.prepare(std::string("SELECT ") + kIncidentColumns +
                           " FROM incident_tickets JOIN incidents ON id = incident_id "
                           "WHERE ticket_id = ?1 ORDER BY linked_at, id");
  query->bind(1, ticket);
  return read_incidents(*query);
}

IncidentId SqliteTransaction::insert_incident(const Incident& incident) {
  auto insert = db_.prepare(
      "INSERT INTO incidents (public_id, title, status, impact, created_at, updated_at, "
      "resolved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  std::optional<std::int64_t> resolved;
  if (incident.resolved_at) {
    resolved = to_millis(*incident.resolved_at);
  }
  insert->bind(1, incident.public_id)
      .bind(2, incident.title)
      .bind(3, to_string(incident.status))
      .bind(4, to_string(incident.impact))
      .bind(5, to_millis(incident.created_at))
      .bind(6, to_millis(incident.updated_at))
      .bind(7, resolved)
      .run();
  const IncidentId id = db_.last_insert_rowid();
  for (const std::string& component : incident.components) {
    auto link = db_.prepare(
        "INSERT OR IGNORE INTO incident_components (incident_id, component) VALUES (?1, ?2)");
    link->bind(1, id).bind(2, component).run();
  }
  return id;
}

void SqliteTransaction::update_incident(const Incident& incident) {
  auto update = db_.prepare(
      "UPDATE incidents SET title = ?2, status = ?3, impact = ?4, updated_at = ?5, "
      "resolved_at = ?6 WHERE id = ?1");
  std::optional<std::int64_t> resolved;
  if (incident.resolved_at) {
    resolved = to_millis(*incident.resolved_at);
  }
  update->bind(1, incident.id)
      .bind(2, incident.title)
      .bind(3, to_string(incident.status))
      .bind(4, to_string(incident.impact))
      .bind(5, to_millis(incident.updated_at))
      .bind(6, resolved)
      .run();
  if (db_.changes() != 1) {
    throw StoreError("sqlite: " + db_.path().string() + ": incident " + incident.public_id +
                     " (id " + std::to_string(incident.id) + ") does not exist");
  }
}

std::int64_t SqliteTransaction::append_incident_update(const IncidentUpdate& update) {
  auto insert = db_.prepare(
      "INSERT INTO incident_updates (incident_id, status, body, at) VALUES (?1, ?2, ?3, ?4)");
  insert->bind(1, update.incident_id)
      .bind(2, to_string(update.status))
      .bind(3, update.body)
      .bind(4, to_millis(update.at))
      .run();
  return db_.last_insert_rowid();
}

bool SqliteTransaction::link_incident_ticket(IncidentId incident, TicketId ticket, Timestamp at) {
  auto insert = db_.prepare(
      "INSERT OR IGNORE INTO incident_tickets (incident_id, ticket_id, linked_at) "
      "VALUES (?1, ?2, ?3)");
  insert->bind(1, incident).bind(2, ticket).bind(3, to_millis(at)).run();
  return db_.changes() == 1;
}

}  // namespace supportgw::sqlite
