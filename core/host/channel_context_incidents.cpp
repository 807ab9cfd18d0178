// ChannelContext's status page and incident members (SDK 1.3; list_incidents 1.4;
// ticket_incidents 1.5). Intake links a new ticket to the open incidents of its
// product's components (core/intake/intake.cpp).
//
// Writes go through the store's writer like every other write: the plugin's thread
// returns at once and its completion runs after the commit reached the disk. What the
// completion reports is read inside the same unit of work, so it is what was committed.

#include <spdlog/logger.h>

#include <algorithm>
#include <cctype>

#include "core/host/channel_context_impl.hpp"
#include "core/intake/incident_texts.hpp"
#include "core/util/error.hpp"
#include "core/util/time.hpp"

namespace supportgw::host {
namespace {

constexpr std::size_t kMaxTitleBytes = 200;
constexpr std::size_t kMaxBodyBytes = 64 * 1024;
constexpr std::size_t kMaxIdBytes = 40;
constexpr std::size_t kMaxAuthorBytes = 200;
// Resolved incidents stay on the status page this long.
constexpr auto kRecentWindow = std::chrono::hours(24 * 14);
constexpr std::size_t kMaxListed = 200;

std::chrono::system_clock::time_point time_point_of(Timestamp at) {
  return std::chrono::time_point_cast<std::chrono::system_clock::duration>(at);
}

bool blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isspace(c) != 0; });
}

sdk::IncidentView incident_view(const Incident& incident,
                                const std::vector<IncidentUpdate>& updates,
                                std::vector<std::string> tickets) {
  sdk::IncidentView view;
  view.id = incident.public_id;
  view.title = incident.title;
  view.status = std::string(to_string(incident.status));
  view.impact = std::string(to_string(incident.impact));
  view.components = incident.components;
  view.created_at = time_point_of(incident.created_at);
  view.updated_at = time_point_of(incident.updated_at);
  view.resolved = incident.resolved_at.has_value();
  if (incident.resolved_at) {
    view.resolved_at = time_point_of(*incident.resolved_at);
  }
  for (const IncidentUpdate& update : updates) {
    view.updates.push_back(sdk::IncidentUpdateView{
        time_point_of(update.at), std::string(to_string(update.status)), update.body});
  }
  view.tickets = std::move(tickets);
  return view;
}

std::vector<std::string> references_of(ReadTransaction& tx, IncidentId id) {
  std::vector<std::string> references;
  for (const TicketId ticket : tx.incident_tickets(id)) {
    if (const auto found = tx.ticket_by_id(ticket)) {
      references.push_back(found->reference);
    }
  }
  return references;
}

// Checks an impact ("" allowed when `optional`): a component status other than operational.
std::optional<ComponentStatus> impact_of(const std::string& text) {
  const auto impact = parse_component_status(text);
  if (!impact || *impact == ComponentStatus::operational) {
    throw InvalidArgument(
        "impact: expected maintenance, degraded, partial-outage or "
        "major-outage, not '" +
        text.substr(0, 40) + "'");
  }
  return impact;
}

IncidentStatus status_of(const std::string& text) {
  const auto status = parse_incident_status(text);
  if (!status) {
    throw InvalidArgument(
        "status: expected investigating, identified, monitoring or resolved, "
        "not '" +
        text.substr(0, 40) + "'");
  }
  return *status;
}

void check_body(const std::string& body) {
  if (body.size() > kMaxBodyBytes) {
    throw InvalidArgument("body: over 64 KiB");
  }
}

// Incidents with their updates, read in the caller's transaction (one snapshot).
struct IncidentsWithUpdates {
  std::vector<Incident> incidents;
  std::vector<std::vector<IncidentUpdate>> updates;  // updates[i] are incidents[i]'s
};

IncidentsWithUpdates with_updates(ReadTransaction& tx, std::vector<Incident> incidents) {
  IncidentsWithUpdates result;
  for (const Incident& incident : incidents) {
    result.updates.push_back(tx.incident_updates(incident.id));
  }
  result.incidents = std::move(incidents);
  return result;
}

}  // namespace

sdk::Result<sdk::ServiceStatus> ChannelContextImpl::service_status() {
  try {
    const auto components = services_.status_components();
    const Timestamp since = SystemClock().now() - kRecentWindow;
    const IncidentsWithUpdates snapshot = services_.store().query(
        [&](ReadTransaction& tx) { return with_updates(tx, tx.incidents(since, kMaxListed)); });
    sdk::ServiceStatus status;
    std::vector<ComponentStatus> all;
    for (const auto& component : components) {
      const ComponentStatus rolled = component_status(component.id, snapshot.incidents);
      all.push_back(rolled);
      status.components.push_back(sdk::ComponentView{component.id, component.name,
                                                     component.description, component.products,
                                                     std::string(to_string(rolled))});
    }
    status.overall = std::string(to_string(worst(all)));
    for (std::size_t i = 0; i < snapshot.incidents.size(); ++i) {
      // Linked tickets are the vendor's business: incident() gives them.
      status.incidents.push_back(incident_view(snapshot.incidents[i], snapshot.updates[i], {}));
    }
    return status;
  } catch (...) {
    return status_from(std::current_exception());
  }
}

sdk::Result<sdk::IncidentPage> ChannelContextImpl::list_incidents(const sdk::IncidentQuery& query) {
  constexpr std::size_t kMaxPage = 200;
  if (query.limit < 1 || query.limit > kMaxPage) {
    return sdk::Status(sdk::StatusCode::invalid_argument, "limit: expected 1 to 200");
  }
  std::optional<bool> resolved;
  if (query.status == "open") {
    resolved = false;
  } else if (query.status == "resolved") {
    resolved = true;
  } else if (!query.status.empty()) {
    return sdk::Status(
        sdk::StatusCode::invalid_argument,
        "status: expected open or resolved, not '" + query.status.substr(0, 40) + "'");
  }
  std::optional<IncidentId> after;
  if (!query.after.empty()) {
    after = page_cursor(query.after);
    if (!after) {
      return sdk::Status(sdk::StatusCode::invalid_argument,
                         "after: expected the `next` of a previous page");
    }
  }
  try {
    // One more than asked tells whether another page follows.
    bool more = false;
    const IncidentsWithUpdates snapshot = services_.store().query([&](ReadTransaction& tx) {
      auto found = tx.incidents_before(after, resolved, query.limit + 1);
      more = found.size() > query.limit;
      found.resize(std::min(found.size(), query.limit));
      return with_updates(tx, std::move(found));
    });
    sdk::IncidentPage page;
    for (std::size_t i = 0; i < snapshot.incidents.size(); ++i) {
      page.incidents.push_back(incident_view(snapshot.incidents[i], snapshot.updates[i], {}));
    }
    if (more && !snapshot.incidents.empty()) {
      page.next = std::to_string(snapshot.incidents.back().id);
    }
    return page;
  } catch (...) {
    return status_from(std::current_exception());
  }
}

sdk::Result<std::vector<sdk::IncidentView>> ChannelContextImpl::ticket_incidents(
    std::string_view reference) {
  const sdk::Status not_found(sdk::StatusCode::not_found,
                              "no ticket " + std::string(reference.substr(0, kMaxIdBytes)));
  if (reference.empty() || reference.size() > kMaxIdBytes) {
    return not_found;
  }
  try {
    const auto snapshot =
        services_.store().query([&](ReadTransaction& tx) -> std::optional<IncidentsWithUpdates> {
          const auto ticket = tx.ticket_by_reference(reference);
          if (!ticket) {
            return std::nullopt;
          }
          return with_updates(tx, tx.ticket_incidents(ticket->id));
        });
    if (!snapshot) {
      return not_found;
    }
    std::vector<sdk::IncidentView> views;
    for (std::size_t i = 0; i < snapshot->incidents.size(); ++i) {
      views.push_back(incident_view(snapshot->incidents[i], snapshot->updates[i], {}));
    }
    return views;
  } catch (...) {
    return status_from(std::current_exception());
  }
}

sdk::Result<sdk::IncidentView> ChannelContextImpl::incident(std::string_view id) {
  const sdk::Status not_found(sdk::StatusCode::not_found,
                              "no incident " + std::string(id.substr(0, kMaxIdBytes)));
  if (id.empty() || id.size() > kMaxIdBytes) {
    return not_found;
  }
  try {
    auto view =
        services_.store().query([&](ReadTransaction& tx) -> std::optional<sdk::IncidentView> {
          const auto found = tx.incident_by_public_id(id);
          if (!found) {
            return std::nullopt;
          }
          return incident_view(*found, tx.incident_updates(found->id),
                               references_of(tx, found->id));
        });
    if (!view) {
      return not_found;
    }
    return std::move(*view);
  } catch (...) {
    return status_from(std::current_exception());
  }
}

void ChannelContextImpl::create_incident(sdk::NewIncident request, IncidentDone done) {
  count_in_flight();
  using Answer = sdk::Result<sdk::IncidentView>;
  if (closed_) {
    complete(std::move(done),
             Answer(sdk::Status(sdk::StatusCode::unavailable, "the gateway is stopping")));
    return;
  }
  Incident incident;
  std::string body;
  try {
    if (blank(request.title) || request.title.size() > kMaxTitleBytes) {
      throw InvalidArgument("title: expected 1 to 200 bytes of text");
    }
    incident.title = request.title;
    incident.impact = *impact_of(request.impact);
    incident.status = status_of(request.status.empty() ? "investigating" : request.status);
    if (incident.status == IncidentStatus::resolved) {
      throw InvalidArgument("status: a new incident cannot be resolved already");
    }
    if (request.components.empty()) {
      throw InvalidArgument("components: expected at least one component id");
    }
    const auto known = services_.status_components();
    for (const std::string& id : request.components) {
      const bool exists = std::any_of(known.begin(), known.end(),
                                      [&](const policy::StatusComponent& c) { return c.id == id; });
      if (!exists) {
        throw InvalidArgument("components: unknown component '" + id.substr(0, kMaxIdBytes) +
                              "'; the policy's [[status.component]] ids are the choices");
      }
      if (std::find(incident.components.begin(), incident.components.end(), id) ==
          incident.components.end()) {
        incident.components.push_back(id);
      }
    }
    check_body(request.body);
    body = blank(request.body)
               ? intake::default_incident_update(services_.language(), incident.status)
               : request.body;
  } catch (...) {
    complete(std::move(done), Answer(status_from(std::current_exception())));
    return;
  }
  const Timestamp now = SystemClock().now();
  incident.created_at = now;
  incident.updated_at = now;
  auto view = std::make_shared<sdk::IncidentView>();
  auto shared_done = std::make_shared<IncidentDone>(std::move(done));
  const std::string author = request.author.substr(0, kMaxAuthorBytes);
  services_.store().submit(
      [incident = std::move(incident), body = std::move(body), view](WriteTransaction& tx) mutable {
        incident.public_id = "INC-" + std::to_string(tx.next_sequence("incident"));
        incident.id = tx.insert_incident(incident);
        IncidentUpdate update{0, incident.id, incident.status, body, incident.created_at};
        update.id = tx.append_incident_update(update);
        *view = incident_view(incident, {update}, {});
      },
      [this, shared_done, view, author](std::exception_ptr error) {
        if (!error) {
          logger_->info("incident {} posted by {}: {} ({})", view->id, author, view->title,
                        view->impact);
          complete(std::move(*shared_done), Answer(std::move(*view)));
          return;
        }
        complete(std::move(*shared_done), Answer(status_from(error)));
      });
}

void ChannelContextImpl::update_incident(sdk::IncidentChange change, IncidentDone done) {
  count_in_flight();
  using Answer = sdk::Result<sdk::IncidentView>;
  if (closed_) {
    complete(std::move(done),
             Answer(sdk::Status(sdk::StatusCode::unavailable, "the gateway is stopping")));
    return;
  }
  std::optional<IncidentStatus> new_status;
  std::optional<ComponentStatus> new_impact;
  try {
    if (change.id.empty() || change.id.size() > kMaxIdBytes) {
      throw NotFound("no incident " + change.id.substr(0, kMaxIdBytes));
    }
    if (!change.status.empty()) {
      new_status = status_of(change.status);
    }
    if (!change.impact.empty()) {
      new_impact = impact_of(change.impact);
    }
    check_body(change.body);
    if (!new_status && !new_impact && blank(change.body)) {
      throw InvalidArgument("expected a new status, a new impact or a body");
    }
  } catch (...) {
    complete(std::move(done), Answer(status_from(std::current_exception())));
    return;
  }
  const Timestamp now = SystemClock().now();
  auto view = std::make_shared<sdk::IncidentView>();
  auto notified = std::make_shared<std::size_t>(0);
  auto shared_done = std::make_shared<IncidentDone>(std::move(done));
  const std::string author = change.author.substr(0, kMaxAuthorBytes);
  services_.store().submit(
      [this, id = change.id, body = change.body, new_status, new_impact, now, view, notified,
       language = services_.language()](WriteTransaction& tx) {
        *notified = 0;  // counted afresh if the unit runs again (store.hpp)
        auto incident = tx.incident_by_public_id(id);
        if (!incident) {
          throw NotFound("no incident " + id);
        }
        if (!incident->open()) {
          throw IllegalTransition("incident " + id + " is resolved; post a new incident");
        }
        if (new_status) {
          incident->status = *new_status;
        }
        if (new_impact) {
          incident->impact = *new_impact;
        }
        if (incident->status == IncidentStatus::resolved) {
          incident->resolved_at = now;
        }
        incident->updated_at = now;
        tx.update_incident(*incident);
        const std::string text =
            blank(body) ? intake::default_incident_update(language, incident->status) : body;
        tx.append_incident_update(IncidentUpdate{0, incident->id, incident->status, text, now});
        // Every linked ticket hears of it: in its public history and by mail.
        const std::string status_word = intake::incident_status_word(language, incident->status);
        std::vector<std::string> references;
        for (const TicketId ticket_id : tx.incident_tickets(incident->id)) {
          const auto ticket = tx.ticket_by_id(ticket_id);
          if (!ticket) {
            continue;
          }
          references.push_back(ticket->reference);
          const std::string entry =
              incident->public_id + " " + incident->title + " (" + status_word + "): " + text;
          tx.append_event(
              actor_event(ticket->id, EventKind::incident, Actor{"support", name_}, now, entry));
          if (!ticket->customer.email.empty()) {
            tx.enqueue_outbox(
                NewOutboxMessage{
                    ticket->id, "mail", ticket->customer.email,
                    intake::incident_update_subject(language, ticket->reference, *incident),
                    intake::incident_update_text(language, ticket->reference, *incident, text),
                    std::nullopt},
                now);
            ++*notified;
          }
        }
        *view = incident_view(*incident, tx.incident_updates(incident->id), std::move(references));
      },
      [this, shared_done, view, notified, author](std::exception_ptr error) {
        if (!error) {
          logger_->info("incident {} updated by {}: {}; {} customer(s) notified", view->id, author,
                        view->status, *notified);
          if (*notified > 0) {
            services_.outbox_changed();
          }
          complete(std::move(*shared_done), Answer(std::move(*view)));
          return;
        }
        complete(std::move(*shared_done), Answer(status_from(error)));
      });
}

}  // namespace supportgw::host
