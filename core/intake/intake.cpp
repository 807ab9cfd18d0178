#include "core/intake/intake.hpp"

#include <algorithm>
#include <cstdio>
#include <future>
#include <tuple>

#include "core/desk/opening_rules.hpp"
#include "core/domain/customer_token.hpp"
#include "core/domain/file_name.hpp"
#include "core/intake/acknowledgement.hpp"
#include "core/intake/incident_texts.hpp"
#include "core/intake/required_fields.hpp"
#include "core/intake/severity_classifier.hpp"
#include "core/intake/subject_prefix.hpp"
#include "core/tickets/ticket_operations.hpp"
#include "core/util/error.hpp"

namespace supportgw {
namespace {

using sdk::InboundMessage;
using sdk::IntakeResult;

constexpr std::size_t kMaxDuplicateCandidates = 50;
// A subject made up for a contact without one (a voicemail) is its text's first line,
// cut short enough to read in a list.
constexpr std::size_t kMadeUpSubjectBytes = 120;

void check_length(std::string_view what, std::string_view value, std::size_t max) {
  if (value.size() > max) {
    throw InvalidArgument("inbound message: " + std::string(what) + " is " +
                          std::to_string(value.size()) + " bytes long; the limit is " +
                          std::to_string(max));
  }
}

void check_message(const InboundMessage& message) {
  if (message.channel.empty() || message.origin_id.empty()) {
    throw InvalidArgument(
        "inbound message: a channel and the channel's origin id are required (channel '" +
        message.channel + "', origin id '" + message.origin_id + "')");
  }
  check_length("the subject", message.subject, Intake::kMaxSubjectBytes);
  check_length("the text", message.text, Intake::kMaxTextBytes);
  for (const std::string* field :
       {&message.channel, &message.origin_id, &message.sender.name, &message.sender.email,
        &message.sender.phone, &message.sender.company, &message.route, &message.claimed_reference,
        &message.claimed_token}) {
    check_length("a message field", *field, Intake::kMaxFieldBytes);
  }
  for (const auto* map : {&message.fields, &message.hints}) {
    for (const auto& [name, value] : *map) {
      check_length("field '" + name.substr(0, 40) + "'", name, Intake::kMaxFieldBytes);
      check_length("field '" + name.substr(0, 40) + "'", value, Intake::kMaxFieldBytes);
    }
  }
  if (message.attachments.size() > Intake::kMaxAttachments) {
    throw InvalidArgument("inbound message: " + std::to_string(message.attachments.size()) +
                          " attachments; the limit is " + std::to_string(Intake::kMaxAttachments));
  }
  for (const auto& attachment : message.attachments) {
    check_length("an attachment's file name", attachment.file_name, Intake::kMaxFieldBytes);
    check_length("an attachment's path", attachment.stored_path, 4'096);
    if (!is_sha256_hex(attachment.sha256)) {
      throw InvalidArgument("inbound message: attachment '" + attachment.file_name.substr(0, 80) +
                            "' has no SHA-256 of 64 lowercase hex digits");
    }
  }
}

// Cuts at most `max` bytes without splitting a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view text, std::size_t max) {
  if (text.size() <= max) {
    return text;
  }
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return text.substr(0, end);
}

std::string subject_of(const InboundMessage& message) {
  if (!message.subject.empty()) {
    return message.subject;
  }
  std::string_view text = message.text;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
      line.remove_suffix(1);
    }
    while (!line.empty() && line.front() == ' ') {
      line.remove_prefix(1);
    }
    if (!line.empty()) {
      return std::string(utf8_prefix(line, kMadeUpSubjectBytes));
    }
    if (end == std::string_view::npos) {
      break;
    }
    text.remove_prefix(end + 1);
  }
  return "(" + message.channel + ")";
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (const std::string& part : parts) {
    if (!joined.empty()) {
      joined += separator;
    }
    joined += part;
  }
  return joined;
}

void append(sla::NewActions& to, const sla::NewActions& more) {
  to.insert(to.end(), more.begin(), more.end());
}

// Solved or closed: nothing left to do on it.
bool is_finished(TicketStatus status) {
  return status == TicketStatus::solved || status == TicketStatus::closed;
}

bool before(const CivilDate& a, const CivilDate& b) {
  return std::tie(a.year, a.month, a.day) < std::tie(b.year, b.month, b.day);
}

std::string format_date(const CivilDate& date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", date.year, date.month, date.day);
  return text;
}

// One message's way through the pipeline, inside one unit of work.
class Pipeline {
 public:
  Pipeline(WriteTransaction& tx, const sla::SlaEngine& engine,
           const intake::FollowUpMatcher& matcher, const InboundMessage& message,
           const CustomerToken& token, Timestamp now, sla::NewActions& scheduled)
      : tx_(tx),
        engine_(engine),
        policy_(engine.policy()),
        matcher_(matcher),
        message_(message),
        token_(token),
        now_(now),
        scheduled_(scheduled),
        origin_{message.channel, message.origin_id},
        actor_{"customer", message.channel} {}

  IntakeResult run() {
    if (auto seen = tx_.intake_record(origin_)) {
      return repeated(*seen);
    }
    std::string notes;
    auto match = matcher_.match(tx_, message_, notes);
    if (!match) {
      return open_ticket({}, notes + "no reference matched", true);
    }
    const Ticket& ticket = match->ticket;
    if (!match->trusted) {
      return open_ticket(
          {{"related-to", ticket.reference}, {"unverified-follow-up", ticket.reference}},
          notes + match->trace + ": new ticket, linked to " + ticket.reference, false);
    }
    if (message_.marks_solved && is_finished(ticket.status)) {
      // "It is over" about a ticket that is over: reopening it, or opening another, would
      // make work out of a message that says there is none.
      return follow_up(ticket,
                       notes + match->trace + "; marks the problem solved, and " +
                           ticket.reference + " is " + std::string(to_string(ticket.status)) +
                           " already: added to it",
                       false);
    }
    if (ticket.status == TicketStatus::closed) {
      return open_ticket({{"follow-up-of", ticket.reference}},
                         notes + match->trace + "; " + ticket.reference + " is closed: new ticket",
                         false);
    }
    if (ticket.status == TicketStatus::solved) {
      const Timestamp solved_at = solved_since(ticket);
      const auto window = policy_.intake.reopen_window;
      if (window.count() > 0 && now_ - solved_at <= window) {
        return follow_up(ticket,
                         notes + match->trace + "; solved " + format_utc(solved_at) +
                             ", within the reopen window: reopened",
                         true);
      }
      return open_ticket({{"follow-up-of", ticket.reference}},
                         notes + match->trace + "; solved " + format_utc(solved_at) +
                             ", outside the reopen window: new ticket",
                         false);
    }
    return follow_up(ticket, notes + match->trace, false);
  }

 private:
  IntakeResult repeated(const IntakeRecord& seen) {
    const auto ticket = tx_.ticket_by_id(seen.ticket_id);
    if (!ticket) {
      throw StoreError("intake key " + origin_.channel + "/" + origin_.id + " names ticket id " +
                       std::to_string(seen.ticket_id) + ", which does not exist");
    }
    IntakeResult result;
    result.outcome = IntakeResult::Outcome::duplicate;
    result.reference = ticket->reference;
    result.severity = seen.severity != 0 ? seen.severity : ticket->severity;
    result.acknowledgement = seen.acknowledgement;
    result.trace = seen.trace.empty() ? "taken in before (" + seen.outcome + ")"
                                      : "taken in before: " + seen.trace;
    return result;
  }

  // When the ticket was last solved: the newest event that moved it to "solved".
  Timestamp solved_since(const Ticket& ticket) {
    const auto history = tx_.events(ticket.id);
    for (auto event = history.rbegin(); event != history.rend(); ++event) {
      for (const FieldChange& change : event->changes) {
        if (change.field == "status" && change.new_value == "solved") {
          return event->at;
        }
      }
    }
    return ticket.updated_at;
  }

  IntakeResult follow_up(Ticket ticket, std::string trace, bool reopen) {
    const bool solve = message_.marks_solved && !is_finished(ticket.status);
    if (solve) {
      trace += "; marks the problem solved: " + ticket.reference + " resolved";
    }
    if (reopen) {
      ticket =
          tickets::reopen(tx_, ticket.reference, "reopened by the customer's reply", actor_, now_);
      append(scheduled_, engine_.status_changed(tx_, ticket, TicketStatus::solved, now_));
    }
    // What the customer wrote is public (their ticket page shows it); why intake matched
    // it is an internal note beside it.
    const EventId event_id =
        tx_.append_event(actor_event(ticket.id, EventKind::customer_replied, actor_, now_,
                                     "Subject: " + message_.subject + "\n\n" + message_.text));
    tx_.append_event(actor_event(ticket.id, EventKind::comment,
                                 Actor{"system:intake", message_.channel}, now_, trace));
    ticket.updated_at = now_;
    tx_.update_ticket(ticket);
    // A reply ends the wait for the customer; one that ends the problem goes straight on
    // to solved below.
    if (ticket.status == TicketStatus::pending_customer && !solve) {
      tickets::TicketUpdate update;
      update.status = TicketStatus::open;
      update.note = "the customer replied";
      ticket = tickets::update(tx_, ticket.reference, update, actor_, now_);
      append(scheduled_, engine_.status_changed(tx_, ticket, TicketStatus::pending_customer, now_));
    }
    add_attachments(ticket);
    remember_keys(ticket);
    if (solve) {
      ticket = resolve(ticket);
    }

    IntakeResult result;
    result.outcome = reopen ? IntakeResult::Outcome::reopened : IntakeResult::Outcome::updated;
    result.reference = ticket.reference;
    result.severity = ticket.severity;
    result.acknowledgement = intake::follow_up_text(policy_, ticket.reference, reopen);
    result.trace = trace;
    record(ticket, event_id, reopen ? "reopened" : "updated", result);
    return result;
  }

  IntakeResult open_ticket(std::map<std::string, std::string> flags, std::string trace,
                           bool unreferenced) {
    NewTicket input;
    input.subject = subject_of(message_);
    input.description = message_.text;
    input.customer = Customer{intake::field_value(message_, "customer_name"),
                              intake::field_value(message_, "customer_company"),
                              intake::field_value(message_, "customer_email"),
                              intake::field_value(message_, "customer_phone")};
    input.product = intake::field_value(message_, "product");
    input.product_version = intake::field_value(message_, "product_version");
    input.origin = origin_;
    input.flags = std::move(flags);

    const intake::SeverityChoice severity = intake::classify_severity(policy_, message_);
    input.severity = severity.level;
    trace += "; " + severity.reason;

    if (unreferenced) {
      if (auto earlier = possible_duplicate(input.customer)) {
        input.flags["possible-duplicate-of"] = earlier->reference;
        trace += "; possible duplicate of " + earlier->reference +
                 " (same sender and subject within " +
                 std::to_string(Intake::kDuplicateWindow.count()) + " days), not merged";
      }
      if (policy_.follow_up.unreferenced_flag &&
          intake::says_follow_up(message_.subject, message_.text)) {
        input.flags[*policy_.follow_up.unreferenced_flag] = "";
        trace += "; says it follows up but cites no reference: flagged " +
                 *policy_.follow_up.unreferenced_flag;
      }
    }

    // The channel saw that the contact went to a person, not a support route (a staff
    // member's own mailbox): the ticket says so, so the team can see work arriving
    // around the queue.
    if (const auto bypass = message_.hints.find("bypass");
        bypass != message_.hints.end() && !bypass->second.empty()) {
      input.flags["bypass"] = bypass->second;
      trace += "; sent to " + bypass->second + " instead of a support route: flagged bypass";
    }
    const policy::Product* product = policy_.find_product(input.product);
    const auto missing = intake::missing_fields(policy_, product, message_);
    if (!missing.empty()) {
      input.flags["missing-fields"] = join(missing, ", ");
      trace += "; missing fields: " + join(missing, ", ");
    }
    if (auto ended = support_ended(product, input.product_version)) {
      input.flags["unsupported-version"] =
          input.product_version + " (support ended " + *ended + ")";
      trace += "; " + input.product + " " + input.product_version + ": support ended " + *ended;
    }

    const policy::AfterHoursRule* rule =
        apply_opening_rules(policy_, engine_.calendars(), input, now_);
    if (rule != nullptr) {
      trace += "; after hours";
    }
    const bool solve = message_.marks_solved;
    if (solve) {
      trace += "; marks the problem solved: opened and resolved at once";
    }
    // run() looked the origin up already; record() below keeps it, with the answer.
    auto created = tickets::create(tx_, input, matcher_.format(),
                                   engine_.calendars().vendor_zone().local_date(now_), token_,
                                   actor_, now_, tickets::OriginKey::kept_by_caller);
    Ticket ticket = created.ticket;
    // Nobody is woken for a problem that is already over.
    if (!solve) {
      page_after_hours(tx_, policy_, rule, ticket, now_);
    }
    if (!missing.empty() && !solve) {
      // Waiting before the clocks start: those that pause while the customer is asked
      // start paused, with no breach to schedule and cancel again in the same unit.
      tickets::TicketUpdate wait;
      wait.status = TicketStatus::pending_customer;
      wait.note = "waiting for the customer: " + join(missing, ", ");
      ticket = tickets::update(tx_, ticket.reference, wait, actor_, now_);
    }
    append(scheduled_, engine_.ticket_opened(tx_, ticket, now_));

    // A problem that is over is nobody's part of an open incident.
    std::vector<Incident> known = solve ? std::vector<Incident>{} : open_incidents_of(ticket);
    for (const Incident& incident : known) {
      trace += "; looks like known incident " + incident.public_id + ": linked";
    }

    // The decision trace, as the intake's own note, on the channel it came through.
    tx_.append_event(actor_event(ticket.id, EventKind::comment,
                                 Actor{"system:intake", message_.channel}, now_, trace));
    link_to(known, ticket);

    add_attachments(ticket);
    remember_keys(ticket);
    if (solve) {
      ticket = resolve(ticket);
    }

    intake::NewTicketNotice notice;
    notice.reference = ticket.reference;
    notice.severity = ticket.severity;
    notice.first_response_due = first_response_due(ticket);
    // A solved ticket asks for nothing more.
    for (const std::string& field : solve ? std::vector<std::string>{} : missing) {
      notice.missing_fields.push_back(intake::field_label(policy_, field, policy_.vendor.language));
    }
    notice.known_incidents = std::move(known);
    IntakeResult result;
    result.outcome = IntakeResult::Outcome::created;
    result.reference = ticket.reference;
    result.token = created.token;
    result.severity = ticket.severity;
    result.acknowledgement = intake::new_ticket_text(policy_, notice);
    result.trace = trace;
    if (!ticket.customer.email.empty()) {
      tx_.enqueue_outbox(
          NewOutboxMessage{ticket.id, "mail", ticket.customer.email,
                           intake::acknowledgement_subject(ticket.reference, ticket.subject),
                           result.acknowledgement, std::nullopt},
          now_);
    }
    record(ticket, created.created_event, "created", result);
    return result;
  }

  // The open incidents on the status components of the ticket's product, oldest first.
  std::vector<Incident> open_incidents_of(const Ticket& ticket) {
    const auto components = policy_.components_of_product(ticket.product);
    return components.empty() ? std::vector<Incident>{} : tx_.open_incidents_of(components);
  }

  // Ties the ticket to each incident, so the incident's updates reach it and its
  // customer, with a public note that says so.
  void link_to(const std::vector<Incident>& incidents, const Ticket& ticket) {
    for (const Incident& incident : incidents) {
      if (tx_.link_incident_ticket(incident.id, ticket.id, now_)) {
        tx_.append_event(
            actor_event(ticket.id, EventKind::incident, Actor{"support", message_.channel}, now_,
                        intake::known_incident_note(policy_.vendor.language, incident)));
      }
    }
  }

  // The newest of the sender's recent tickets whose subject is this one's, reply and
  // forward prefixes and our reference tags aside.
  std::optional<TicketSubject> possible_duplicate(const Customer& customer) {
    const std::string subject = intake::normalized_subject(message_.subject, &matcher_.format());
    if (subject.empty() || (customer.email.empty() && customer.phone.empty())) {
      return std::nullopt;
    }
    for (TicketSubject& earlier : tx_.recent_subjects_of_customer(customer.email, customer.phone,
                                                                  now_ - Intake::kDuplicateWindow,
                                                                  kMaxDuplicateCandidates)) {
      if (intake::normalized_subject(earlier.subject, &matcher_.format()) == subject) {
        return std::move(earlier);
      }
    }
    return std::nullopt;
  }

  // The last day of support, when it has passed for this product version.
  std::optional<std::string> support_ended(const policy::Product* product,
                                           const std::string& version) {
    if (product == nullptr || version.empty()) {
      return std::nullopt;
    }
    for (std::size_t i = 0; i < product->versions.size(); ++i) {
      if (product->versions[i].version != version) {
        continue;
      }
      const auto end = policy::end_of_support(*product, i);
      const CivilDate today = engine_.calendars().vendor_zone().local_date(now_);
      if (end && before(*end, today)) {
        return format_date(*end);
      }
      return std::nullopt;
    }
    return std::nullopt;
  }

  // "2026-12-21 11:30 (Europe/Berlin)", or none while the clock is not running.
  std::optional<std::string> first_response_due(const Ticket& ticket) {
    for (const SlaClock& clock : tx_.sla_clocks(ticket.id)) {
      if (clock.kind == policy::to_string(policy::SlaKind::first_response) && clock.due_at &&
          clock.running_since) {
        const auto& zone = engine_.calendars().vendor_zone();
        std::string local = zone.format_local(*clock.due_at);  // 2026-12-21T11:30:00+01:00
        local = local.substr(0, 10) + " " + local.substr(11, 5);
        return local + " (" + zone.time_zone() + ")";
      }
    }
    return std::nullopt;
  }

  // The contact says the problem is over: the same step and hook as the desk's resolve,
  // so the clocks stop and the ladder is disarmed as for any resolution.
  Ticket resolve(const Ticket& ticket) {
    Ticket solved = tickets::resolve(
        tx_, ticket.reference, "the " + message_.channel + " contact says the problem is over",
        actor_, now_);
    append(scheduled_, engine_.status_changed(tx_, solved, ticket.status, now_));
    return solved;
  }

  void add_attachments(const Ticket& ticket) {
    for (const auto& file : message_.attachments) {
      Attachment attachment;
      attachment.ticket_id = ticket.id;
      attachment.file_name = sanitise_file_name(file.file_name);
      attachment.size = file.size;
      attachment.sha256 = file.sha256;
      attachment.storage_path = file.stored_path;
      attachment.source_channel = message_.channel;
      attachment.created_at = now_;
      tx_.insert_attachment(attachment);
      tx_.append_event(
          actor_event(ticket.id, EventKind::attachment_added, actor_, now_,
                      attachment.file_name + " (" + std::to_string(attachment.size) + " bytes)"));
    }
  }

  // The keys a later contact may cite instead of our reference: this message's id and
  // the ids it replies to (a mail thread), and the customer's own ticket numbers.
  void remember_keys(const Ticket& ticket) {
    tx_.remember_ticket_key(intake::kThreadKey, message_.origin_id, ticket.id);
    const auto& ids = message_.thread_ids;
    const std::size_t skip =
        ids.size() > Intake::kMaxThreadIds ? ids.size() - Intake::kMaxThreadIds : 0;
    for (std::size_t i = skip; i < ids.size(); ++i) {
      if (!ids[i].empty() && ids[i].size() <= Intake::kMaxFieldBytes) {
        tx_.remember_ticket_key(intake::kThreadKey, ids[i], ticket.id);
      }
    }
    for (const std::string& number : matcher_.customer_ticket_numbers(message_)) {
      tx_.remember_ticket_key(intake::kCustomerTicketKey, number, ticket.id);
    }
  }

  void record(const Ticket& ticket, std::optional<EventId> event_id, const std::string& outcome,
              const IntakeResult& result) {
    tx_.record_intake(IntakeRecord{origin_, ticket.id, event_id, outcome, now_, result.severity,
                                   result.acknowledgement, result.trace});
  }

  WriteTransaction& tx_;
  const sla::SlaEngine& engine_;
  const policy::Policy& policy_;
  const intake::FollowUpMatcher& matcher_;
  const InboundMessage& message_;
  const CustomerToken& token_;
  const Timestamp now_;
  sla::NewActions& scheduled_;
  const Origin origin_;
  const Actor actor_;
};

}  // namespace

Intake::Intake(Store& store, const sla::SlaEngine& engine, const Clock& clock)
    : store_(store), engine_(engine), clock_(clock), matcher_(engine.policy()) {}

void Intake::queue(std::shared_ptr<const InboundMessage> message, Completion done) {
  // What the unit hands its completion; shared because the Store may destroy the unit
  // before it calls the completion.
  struct Outcome {
    sla::NewActions scheduled;
    IntakeResult result;
  };
  auto outcome = std::make_shared<Outcome>();
  const Timestamp now = clock_.now();  // when the contact arrived, not when it is written
  store_.submit(
      [this, message = std::move(message), outcome, now](WriteTransaction& tx) {
        outcome->scheduled.clear();  // collected afresh if the unit runs again (store.hpp)
        // Checked in the unit, so that a refusal reaches `done` like every other outcome.
        check_message(*message);
        const CustomerToken token = CustomerToken::generate();
        outcome->result =
            Pipeline(tx, engine_, matcher_, *message, token, now, outcome->scheduled).run();
      },
      [this, outcome, done = std::move(done)](std::exception_ptr error) {
        if (!error && listener_ && !outcome->scheduled.empty()) {
          try {
            listener_(outcome->scheduled);
          } catch (...) {
            error = std::current_exception();
          }
        }
        done(error, error ? IntakeResult{} : std::move(outcome->result));
      });
}

IntakeResult Intake::submit(const InboundMessage& message) {
  std::promise<IntakeResult> finished;
  auto result = finished.get_future();
  // The caller's message outlives the wait, so the unit borrows it (a pointer that owns
  // nothing) rather than copying up to a megabyte of text.
  queue(std::shared_ptr<const InboundMessage>(std::shared_ptr<const void>(), &message),
        [&finished](std::exception_ptr error, IntakeResult outcome) {
          error ? finished.set_exception(error) : finished.set_value(std::move(outcome));
        });
  return result.get();
}

void Intake::submit_async(InboundMessage message, Completion done) {
  queue(std::make_shared<const InboundMessage>(std::move(message)), std::move(done));
}

}  // namespace supportgw
