// ChannelContext's status page and incident members (SDK 1.3), and the link from a new
// ticket to the open incidents of its product's components.
//
// Writes go through the store's writer like every other write: the plugin's thread
// returns at once and its completion runs after the commit reached the disk. What the
// completion reports is read inside the same unit of work, so it is what was committed.

#include <spdlog/logger.h>

#include <algorithm>
#include <cctype>

#include "core/host/channel_context_impl.hpp"
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

bool same_product(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// The components a ticket for `product` concerns.
std::vector<std::string> components_of_product(const std::vector<policy::StatusComponent>& all,
                                               std::string_view product) {
  std::vector<std::string> ids;
  if (blank(product)) {
    return ids;
  }
  for (const auto& component : all) {
    if (std::any_of(component.products.begin(), component.products.end(),
                    [&](const std::string& p) { return same_product(p, product); })) {
      ids.push_back(component.id);
    }
  }
  return ids;
}

// A standard public text for an update that came without one.
std::string default_body(IncidentStatus status) {
  switch (status) {
    case IncidentStatus::investigating:
      return "We are investigating the problem.";
    case IncidentStatus::identified:
      return "The cause has been identified and a fix is being worked on.";
    case IncidentStatus::monitoring:
      return "A fix has been applied; we are monitoring the results.";
    case IncidentStatus::resolved:
      return "The incident has been resolved.";
  }
  return {};
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

}  // namespace

sdk::Result<sdk::ServiceStatus> ChannelContextImpl::service_status() {
  try {
    const auto components = services_.status_components();
    const Timestamp since = SystemClock().now() - kRecentWindow;
    struct Snapshot {
      std::vector<Incident> incidents;
      std::vector<std::vector<IncidentUpdate>> updates;
    };
    const Snapshot snapshot = services_.store().query([&](ReadTransaction& tx) {
      Snapshot result;
      result.incidents = tx.incidents(since, kMaxListed);
      for (const Incident& incident : result.incidents) {
        result.updates.push_back(tx.incident_updates(incident.id));
      }
      return result;
    });
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
    body = blank(request.body) ? default_body(incident.status) : request.body;
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
      [this, id = change.id, body = change.body, new_status, new_impact, now, view,
       notified](WriteTransaction& tx) {
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
        const std::string text = blank(body) ? default_body(incident->status) : body;
        tx.append_incident_update(IncidentUpdate{0, incident->id, incident->status, text, now});
        // Every linked ticket hears of it: in its public history and by mail.
        const std::string status_word(to_string(incident->status));
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
                NewOutboxMessage{ticket->id, "mail", ticket->customer.email,
                                 "[" + ticket->reference + "] " + incident->public_id + " " +
                                     incident->title + ": " + status_word,
                                 "An update on the known incident " + incident->public_id + " (" +
                                     incident->title + "), which concerns your ticket " +
                                     ticket->reference + ":\n\n" + status_word + ": " + text + "\n",
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

void ChannelContextImpl::link_to_incidents(const sdk::IntakeResult& result,
                                           std::function<void()> then) {
  const auto all = services_.status_components();
  const bool any_products = std::any_of(
      all.begin(), all.end(), [](const auto& component) { return !component.products.empty(); });
  auto shared_then = std::make_shared<std::function<void()>>(std::move(then));
  if (!any_products || result.reference.empty()) {
    (*shared_then)();
    return;
  }
  try {
    // A read first, on the caller's thread: most tickets meet no incident, and those
    // need no write.
    const auto ticket = services_.store().query(
        [&](ReadTransaction& tx) { return tx.ticket_by_reference(result.reference); });
    const auto components =
        ticket ? components_of_product(all, ticket->product) : std::vector<std::string>{};
    const bool any_open = !components.empty() && !services_.store()
                                                      .query([&](ReadTransaction& tx) {
                                                        return tx.open_incidents_of(components);
                                                      })
                                                      .empty();
    if (!any_open) {
      (*shared_then)();
      return;
    }
    const Timestamp now = SystemClock().now();
    services_.store().submit(
        [this, ticket_id = ticket->id, components, now](WriteTransaction& tx) {
          for (const Incident& incident : tx.open_incidents_of(components)) {
            if (tx.link_incident_ticket(incident.id, ticket_id, now)) {
              tx.append_event(
                  actor_event(ticket_id, EventKind::incident, Actor{"support", name_}, now,
                              "This looks like known incident " + incident.public_id + ": " +
                                  incident.title + " (" + std::string(to_string(incident.status)) +
                                  "). Its updates will be added here."));
            }
          }
        },
        [this, shared_then, reference = result.reference](std::exception_ptr error) {
          if (error) {
            logger_->error("ticket {}: linking it to the open incidents failed: {}", reference,
                           status_from(error).message());
          }
          (*shared_then)();
        });
  } catch (const std::exception& error) {
    logger_->error("ticket {}: looking for open incidents failed: {}", result.reference,
                   error.what());
    (*shared_then)();
  }
}

}  // namespace supportgw::host
