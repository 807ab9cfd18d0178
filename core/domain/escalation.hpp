#pragma once
// The durable state behind SLA clocks and escalation ladders. The rules that fill it
// live in core/sla/; the store keeps it so a restart loses and repeats nothing.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/domain/ticket.hpp"
#include "core/util/time.hpp"

namespace supportgw {

// One SLA clock of a ticket ("first-response", "update-interval", "resolution"). It
// spends an open-time budget on its calendar while running; pausing (pending the
// customer) banks what was spent. due_at is set while running.
struct SlaClock {
  TicketId ticket_id = 0;
  std::string kind;
  std::string calendar;
  std::int64_t budget_ms = 0;
  std::int64_t consumed_ms = 0;
  bool pauses_while_pending = true;
  Timestamp started_at{};
  std::optional<Timestamp> running_since;
  std::optional<Timestamp> due_at;
  std::optional<Timestamp> met_at;
  std::optional<Timestamp> breached_at;
  friend bool operator==(const SlaClock&, const SlaClock&) = default;
};

// Which ladder a ticket is on: its severity's, armed at `armed_at` (opened or last
// reopened). A re-arm bumps `generation`; actions of older generations are stale.
struct EscalationArm {
  TicketId ticket_id = 0;
  int generation = 0;
  Timestamp armed_at{};
  int severity = 0;
  friend bool operator==(const EscalationArm&, const EscalationArm&) = default;
};

enum class ScheduleKind {
  sla_breach,  // an SLA clock runs out
  step,        // an escalation step is due
  repage,      // a page is repeated
};
enum class ScheduleStatus { pending, fired, skipped, cancelled };

std::string_view to_string(ScheduleKind kind);
std::string_view to_string(ScheduleStatus status);
std::optional<ScheduleKind> parse_schedule_kind(std::string_view text);
std::optional<ScheduleStatus> parse_schedule_status(std::string_view text);

// Something the scheduler will do at `due_at` unless it has become stale by then.
// Rows are never moved: a changed due time is a new row and the old one is cancelled,
// so a scheduler can pick up new work by id alone.
struct ScheduledAction {
  std::int64_t id = 0;
  TicketId ticket_id = 0;
  ScheduleKind kind = ScheduleKind::step;
  std::string sla;     // sla_breach: the clock's kind
  int step = -1;       // step, repage: index in the ladder
  int generation = 0;  // step, repage: the arm it belongs to
  int repage = 0;      // repage: 1, 2, ...
  Timestamp due_at{};
  ScheduleStatus status = ScheduleStatus::pending;
  std::optional<Timestamp> done_at;
  bool late = false;  // fired noticeably after due_at (the gateway was down)
  std::string note;   // why it was skipped or cancelled
};

}  // namespace supportgw
