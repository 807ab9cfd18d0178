#include "core/desk/ticket_desk.hpp"

#include "core/desk/opening_rules.hpp"
#include "core/util/error.hpp"

namespace supportgw {
namespace {

void append(sla::NewActions& to, const sla::NewActions& more) {
  to.insert(to.end(), more.begin(), more.end());
}

}  // namespace

TicketDesk::TicketDesk(Store& store, const sla::SlaEngine& engine, const Clock& clock)
    : store_(store),
      engine_(engine),
      clock_(clock),
      format_(engine.policy().vendor.reference_format) {}

// Runs `work(tx, now, scheduled)` as one unit of work and tells the listener what it
// scheduled once the commit is durable.
template <class Work>
auto TicketDesk::run(Work work) {
  const Timestamp now = clock_.now();
  sla::NewActions scheduled;
  auto result = store_.write([&](WriteTransaction& tx) {
    scheduled.clear();
    return work(tx, now, scheduled);
  });
  if (listener_ && !scheduled.empty()) {
    listener_(scheduled);
  }
  return result;
}

tickets::CreatedTicket TicketDesk::create(const NewTicket& input, const Actor& actor) {
  const policy::Policy& policy = engine_.policy();
  if (input.severity < 1 || input.severity > static_cast<int>(policy.severities.size())) {
    throw InvalidArgument(policy.source + " defines severities 1.." +
                          std::to_string(policy.severities.size()) + ", not " +
                          std::to_string(input.severity));
  }
  const CustomerToken token = CustomerToken::generate();
  return run([&](WriteTransaction& tx, Timestamp now, sla::NewActions& scheduled) {
    NewTicket ticket = input;
    const policy::AfterHoursRule* rule =
        apply_opening_rules(policy, engine_.calendars(), ticket, now);
    auto created = tickets::create(
        tx, ticket, format_, engine_.calendars().vendor_zone().local_date(now), token, actor, now);
    if (created.duplicate) {
      return created;
    }
    page_after_hours(tx, policy, rule, created.ticket, now);
    append(scheduled, engine_.ticket_opened(tx, created.ticket, now));
    return created;
  });
}

Ticket TicketDesk::apply_update(WriteTransaction& tx, std::string_view reference,
                                const tickets::TicketUpdate& update, const Actor& actor,
                                Timestamp now, sla::NewActions& scheduled) const {
  const Ticket before = tickets::require(tx, reference);
  if (update.severity &&
      (*update.severity < 1 ||
       *update.severity > static_cast<int>(engine_.policy().severities.size()))) {
    throw InvalidArgument("ticket " + before.reference + ": " + engine_.policy().source +
                          " defines severities 1.." +
                          std::to_string(engine_.policy().severities.size()) + ", not " +
                          std::to_string(*update.severity));
  }
  const Ticket after = tickets::update(tx, reference, update, actor, now);
  if (after.severity != before.severity) {
    append(scheduled, engine_.severity_changed(tx, after, now));
  }
  if (after.status != before.status) {
    append(scheduled, engine_.status_changed(tx, after, before.status, now));
  }
  return after;
}

Ticket TicketDesk::respond(std::string_view reference, const tickets::Response& response,
                           const Actor& actor) {
  return run([&](WriteTransaction& tx, Timestamp now, sla::NewActions& scheduled) {
    const Ticket before = tickets::require(tx, reference);
    const Ticket after = tickets::respond(tx, reference, response, actor, now);
    append(scheduled, engine_.staff_responded(tx, after, now));
    if (after.status != before.status) {
      append(scheduled, engine_.status_changed(tx, after, before.status, now));
    }
    return after;
  });
}

// A lifecycle move (resolve, close, reopen) and what it means for the clocks.
Ticket TicketDesk::move(std::string_view reference, std::string_view note, const Actor& actor,
                        StatusMove operation) {
  return run([&](WriteTransaction& tx, Timestamp now, sla::NewActions& scheduled) {
    const TicketStatus from = tickets::require(tx, reference).status;
    const Ticket after = operation(tx, reference, note, actor, now);
    append(scheduled, engine_.status_changed(tx, after, from, now));
    return after;
  });
}

Ticket TicketDesk::resolve(std::string_view reference, std::string_view note, const Actor& actor) {
  return move(reference, note, actor, &tickets::resolve);
}

Ticket TicketDesk::close(std::string_view reference, std::string_view note, const Actor& actor) {
  return move(reference, note, actor, &tickets::close);
}

Ticket TicketDesk::reopen(std::string_view reference, std::string_view note, const Actor& actor) {
  return move(reference, note, actor, &tickets::reopen);
}

Ticket TicketDesk::update(std::string_view reference, const tickets::TicketUpdate& update,
                          const Actor& actor) {
  return run([&](WriteTransaction& tx, Timestamp now, sla::NewActions& scheduled) {
    return apply_update(tx, reference, update, actor, now, scheduled);
  });
}

Ticket TicketDesk::acknowledge(std::string_view reference, const Actor& actor) {
  tickets::TicketUpdate update;
  update.set_flags = {{"acknowledged", actor.name}};
  update.note = "escalation acknowledged";
  return this->update(reference, update, actor);
}

Ticket TicketDesk::assign(std::string_view reference, std::string_view owner, const Actor& actor) {
  if (owner.empty()) {
    throw InvalidArgument("ticket " + std::string(reference) + ": an owner needs a name");
  }
  tickets::TicketUpdate update;
  update.set_flags = {{"owner", std::string(owner)}};
  return this->update(reference, update, actor);
}

void TicketDesk::change_async(std::string reference, StaffChange change, Actor actor,
                              ChangeDone done) {
  struct Outcome {
    sla::NewActions scheduled;
    Ticket ticket;
  };
  auto outcome = std::make_shared<Outcome>();
  const Timestamp now = clock_.now();
  store_.submit(
      [this, reference = std::move(reference), change = std::move(change), actor = std::move(actor),
       outcome, now](WriteTransaction& tx) {
        sla::NewActions& scheduled = outcome->scheduled;
        scheduled.clear();
        Ticket ticket = tickets::require(tx, reference);
        if (change.owner && change.owner->empty()) {
          throw InvalidArgument("ticket " + ticket.reference + ": an owner needs a name");
        }
        if (change.severity || change.owner) {
          tickets::TicketUpdate update;
          update.severity = change.severity;
          if (change.owner) {
            update.set_flags = {{"owner", *change.owner}};
          }
          update.note = change.note;
          ticket = apply_update(tx, reference, update, actor, now, scheduled);
        }
        if (change.response) {
          const TicketStatus before = ticket.status;
          ticket = tickets::respond(tx, reference, *change.response, actor, now);
          append(scheduled, engine_.staff_responded(tx, ticket, now));
          if (ticket.status != before) {
            append(scheduled, engine_.status_changed(tx, ticket, before, now));
          }
        }
        if (change.status && *change.status != ticket.status) {
          const TicketStatus before = ticket.status;
          const std::string_view note =
              change.severity || change.owner ? std::string_view() : change.note;
          switch (*change.status) {
            case TicketStatus::solved:
              ticket = tickets::resolve(tx, reference, note, actor, now);
              break;
            case TicketStatus::closed:
              ticket = tickets::close(tx, reference, note, actor, now);
              break;
            case TicketStatus::open:
              if (before == TicketStatus::solved) {
                ticket = tickets::reopen(tx, reference, note, actor, now);
                break;
              }
              [[fallthrough]];
            default: {
              tickets::TicketUpdate update;
              update.status = *change.status;
              update.note = std::string(note);
              ticket = tickets::update(tx, reference, update, actor, now);
            }
          }
          append(scheduled, engine_.status_changed(tx, ticket, before, now));
        }
        outcome->ticket = ticket;
      },
      [this, outcome, done = std::move(done)](std::exception_ptr error) {
        if (!error && listener_ && !outcome->scheduled.empty()) {
          try {
            listener_(outcome->scheduled);
          } catch (...) {
            error = std::current_exception();
          }
        }
        done(error, error ? Ticket{} : std::move(outcome->ticket));
      });
}

}  // namespace supportgw
