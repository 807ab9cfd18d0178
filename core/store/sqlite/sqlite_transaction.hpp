#pragma once
// The SQL behind ReadTransaction and WriteTransaction. One object serves both: the
// store hands it out as a ReadTransaction on reader connections (opened with
// query_only) and as a WriteTransaction on the writer's.

#include "core/store/sqlite/connection.hpp"
#include "core/store/store.hpp"

namespace supportgw::sqlite {

class SqliteTransaction final : public WriteTransaction {
 public:
  explicit SqliteTransaction(Connection& connection) : db_(connection) {}

  std::optional<Ticket> ticket_by_reference(std::string_view reference) override;
  std::optional<Ticket> ticket_by_id(TicketId id) override;
  std::optional<TokenHash> token_hash(TicketId id) override;
  std::optional<Timestamp> token_issued_at(TicketId id) override;
  std::vector<Ticket> list_tickets(const TicketFilter& filter) override;
  std::int64_t count_tickets() override;
  std::vector<Event> events(TicketId id) override;
  std::vector<Attachment> attachments(TicketId id) override;
  std::vector<TicketId> closed_tickets_with_files(Timestamp closed_before, TicketId after_id,
                                                  std::size_t limit) override;
  std::optional<IntakeRecord> intake_record(const Origin& origin) override;
  std::optional<TicketId> ticket_by_key(std::string_view kind, std::string_view key) override;
  std::vector<TicketSubject> recent_subjects_of_customer(std::string_view email,
                                                         std::string_view phone, Timestamp since,
                                                         std::size_t limit) override;
  std::vector<OutboxMessage> due_outbox(Timestamp now, std::size_t limit) override;
  std::vector<OutboxMessage> due_outbox(Timestamp now, std::size_t limit,
                                        const std::vector<std::string>& kinds) override;
  std::map<std::string, std::int64_t> pending_outbox_by_kind() override;
  std::vector<OutboxMessage> ticket_outbox(TicketId id) override;
  std::vector<SlaClock> sla_clocks(TicketId id) override;
  std::optional<EscalationArm> escalation_arm(TicketId id) override;
  std::optional<ScheduledAction> scheduled_action(std::int64_t id) override;
  std::vector<ScheduledAction> pending_actions(TicketId id) override;
  std::vector<ScheduledAction> ticket_actions(TicketId id) override;
  std::vector<ScheduledAction> due_actions(Timestamp at, std::size_t limit) override;
  std::vector<ScheduledAction> pending_actions_after(std::int64_t after_id,
                                                     std::size_t limit) override;
  std::optional<ApiKey> api_key_by_hash(std::string_view key_hash) override;
  std::vector<ApiKey> api_keys() override;
  GatewayCounts gateway_counts() override;
  // Incidents: sqlite_incidents.cpp.
  std::optional<Incident> incident_by_public_id(std::string_view public_id) override;
  std::vector<Incident> incidents(Timestamp resolved_since, std::size_t limit) override;
  std::vector<Incident> incidents_before(std::optional<IncidentId> before,
                                         std::optional<bool> resolved, std::size_t limit) override;
  std::vector<Incident> open_incidents_of(const std::vector<std::string>& components) override;
  std::vector<IncidentUpdate> incident_updates(IncidentId id) override;
  std::vector<TicketId> incident_tickets(IncidentId id) override;
  std::vector<Incident> ticket_incidents(TicketId ticket) override;

  std::uint64_t next_sequence(std::string_view scope) override;
  TicketId insert_ticket(const Ticket& ticket, const TokenHash& token_hash) override;
  void update_ticket(const Ticket& ticket) override;
  EventId append_event(const Event& event) override;
  AttachmentId insert_attachment(const Attachment& attachment) override;
  void mark_attachment_deleted(AttachmentId id, Timestamp at) override;
  void renew_token(TicketId id, const std::optional<TokenHash>& new_hash,
                   Timestamp issued_at) override;
  void record_intake(const IntakeRecord& record) override;
  void remember_ticket_key(std::string_view kind, std::string_view key, TicketId ticket) override;
  OutboxId enqueue_outbox(const NewOutboxMessage& message, Timestamp now) override;
  void mark_outbox_sent(OutboxId id, Timestamp at) override;
  void mark_outbox_attempt_failed(OutboxId id, std::optional<Timestamp> next_attempt,
                                  std::string_view error) override;
  void put_sla_clock(const SlaClock& clock) override;
  void put_escalation_arm(const EscalationArm& arm) override;
  std::int64_t schedule_action(const ScheduledAction& action) override;
  void finish_action(std::int64_t id, ScheduleStatus status, Timestamp at, bool late,
                     std::string_view note) override;
  std::int64_t insert_api_key(const ApiKey& key) override;
  bool revoke_api_key(std::int64_t id, Timestamp at) override;
  IncidentId insert_incident(const Incident& incident) override;
  void update_incident(const Incident& incident) override;
  std::int64_t append_incident_update(const IncidentUpdate& update) override;
  bool link_incident_ticket(IncidentId incident, TicketId ticket, Timestamp at) override;

 private:
  void load_flags(Ticket& ticket);
  // Makes the stored flags ticket.flags; `fresh`: a ticket inserted just now, which has
  // none yet.
  void write_flags(const Ticket& ticket, bool fresh);
  std::vector<OutboxMessage> read_outbox(Statement& query);
  std::vector<ScheduledAction> read_actions(Statement& query);
  std::vector<Incident> read_incidents(Statement& query);
  Connection& db_;
};

}  // namespace supportgw::sqlite
