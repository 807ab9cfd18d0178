// Incidents of the status page: how a component's status rolls up from its open
// incidents, and how the store keeps incidents, their updates and linked tickets.

#include <gtest/gtest.h>

#include "core/domain/incident.hpp"
#include "core/util/error.hpp"
#include "tests/support/store_fixture.hpp"

namespace supportgw {
namespace {

using testing::StoreFixture;

Incident incident(ComponentStatus impact, std::vector<std::string> components,
                  IncidentStatus status = IncidentStatus::investigating) {
  Incident result;
  result.impact = impact;
  result.components = std::move(components);
  result.status = status;
  return result;
}

TEST(ComponentStatusRollup, OperationalWithoutOpenIncidents) {
  EXPECT_EQ(component_status("email", {}), ComponentStatus::operational);
  // Resolved incidents and incidents of other components do not count.
  EXPECT_EQ(component_status("email", {incident(ComponentStatus::major_outage, {"email"},
                                                IncidentStatus::resolved),
                                       incident(ComponentStatus::degraded, {"web"})}),
            ComponentStatus::operational);
}

TEST(ComponentStatusRollup, TheWorstOpenImpactWins) {
  const std::vector<Incident> open = {
      incident(ComponentStatus::degraded, {"email", "web"}),
      incident(ComponentStatus::partial_outage, {"email"}, IncidentStatus::monitoring),
      incident(ComponentStatus::maintenance, {"web"}, IncidentStatus::identified),
  };
  EXPECT_EQ(component_status("email", open), ComponentStatus::partial_outage);
  EXPECT_EQ(component_status("web", open), ComponentStatus::degraded);
}

TEST(ComponentStatusRollup, MaintenanceCountsButAnOutageOutranksIt) {
  EXPECT_EQ(component_status("db", {incident(ComponentStatus::maintenance, {"db"})}),
            ComponentStatus::maintenance);
  EXPECT_EQ(component_status("db", {incident(ComponentStatus::maintenance, {"db"}),
                                    incident(ComponentStatus::major_outage, {"db"})}),
            ComponentStatus::major_outage);
  EXPECT_EQ(worst({}), ComponentStatus::operational);
  EXPECT_EQ(worst({ComponentStatus::degraded, ComponentStatus::maintenance}),
            ComponentStatus::degraded);
}

TEST(ComponentStatusNames, RoundTrip) {
  for (const auto status :
       {ComponentStatus::operational, ComponentStatus::maintenance, ComponentStatus::degraded,
        ComponentStatus::partial_outage, ComponentStatus::major_outage}) {
    EXPECT_EQ(parse_component_status(to_string(status)), status);
  }
  for (const auto status : {IncidentStatus::investigating, IncidentStatus::identified,
                            IncidentStatus::monitoring, IncidentStatus::resolved}) {
    EXPECT_EQ(parse_incident_status(to_string(status)), status);
  }
  EXPECT_EQ(to_string(ComponentStatus::partial_outage), "partial-outage");
  EXPECT_FALSE(parse_component_status("down"));
  EXPECT_FALSE(parse_incident_status("fixed"));
}

TEST(IncidentStore, IncidentsUpdatesAndLinksRoundTrip) {
  StoreFixture fixture;
  const auto ticket = fixture.create();
  const Timestamp now = fixture.now();
  const auto id = fixture.store().write([&](WriteTransaction& tx) {
    Incident posted = incident(ComponentStatus::major_outage, {"email", "web"});
    posted.public_id = "INC-" + std::to_string(tx.next_sequence("incident"));
    posted.title = "Mail delayed";
    posted.created_at = now;
    posted.updated_at = now;
    const IncidentId inserted = tx.insert_incident(posted);
    tx.append_incident_update({0, inserted, IncidentStatus::investigating, "Looking", now});
    EXPECT_TRUE(tx.link_incident_ticket(inserted, ticket.ticket.id, now));
    EXPECT_FALSE(tx.link_incident_ticket(inserted, ticket.ticket.id, now));  // once
    return inserted;
  });
  fixture.store().query([&](ReadTransaction& tx) {
    const auto found = tx.incident_by_public_id("INC-1");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, id);
    EXPECT_EQ(found->title, "Mail delayed");
    EXPECT_EQ(found->impact, ComponentStatus::major_outage);
    EXPECT_EQ(found->components, (std::vector<std::string>{"email", "web"}));
    EXPECT_FALSE(found->resolved_at);
    EXPECT_EQ(tx.incident_updates(id).size(), 1u);
    EXPECT_EQ(tx.incident_tickets(id), std::vector<TicketId>{ticket.ticket.id});
    const auto linked = tx.ticket_incidents(ticket.ticket.id);
    ASSERT_EQ(linked.size(), 1u);
    EXPECT_EQ(linked[0].public_id, "INC-1");
    EXPECT_EQ(linked[0].components, (std::vector<std::string>{"email", "web"}));
    EXPECT_TRUE(tx.ticket_incidents(ticket.ticket.id + 1000).empty());
    EXPECT_EQ(tx.open_incidents_of({"web"}).size(), 1u);
    EXPECT_TRUE(tx.open_incidents_of({"dns"}).empty());
  });

  // Resolving closes it for open_incidents_of, and it stays listed as recent.
  fixture.store().write([&](WriteTransaction& tx) {
    auto found = *tx.incident_by_public_id("INC-1");
    found.status = IncidentStatus::resolved;
    found.resolved_at = now + std::chrono::minutes(30);
    found.updated_at = *found.resolved_at;
    tx.update_incident(found);
  });
  fixture.store().query([&](ReadTransaction& tx) {
    EXPECT_TRUE(tx.open_incidents_of({"email", "web"}).empty());
    EXPECT_EQ(tx.incidents(now, 10).size(), 1u);
    EXPECT_TRUE(tx.incidents(now + std::chrono::hours(1), 10).empty());
  });
}

// incidents_before(): any age, newest first, from a cursor, open or resolved only.
TEST(IncidentStore, PagesThroughIncidentsOfAnyAge) {
  StoreFixture fixture;
  const Timestamp now = fixture.now();
  std::vector<IncidentId> ids;
  fixture.store().write([&](WriteTransaction& tx) {
    for (int i = 1; i <= 5; ++i) {
      const bool resolved = i % 2 == 1;  // 1, 3, 5 resolved (5 a year ago is fine too)
      Incident posted = incident(ComponentStatus::degraded, {"web"},
                                 resolved ? IncidentStatus::resolved : IncidentStatus::monitoring);
      posted.public_id = "INC-" + std::to_string(i);
      posted.title = "Incident " + std::to_string(i);
      posted.created_at = posted.updated_at = now - std::chrono::hours(24 * 365);
      if (resolved) posted.resolved_at = posted.created_at;
      ids.push_back(tx.insert_incident(posted));
    }
  });
  const auto public_ids = [](const std::vector<Incident>& incidents) {
    std::vector<std::string> out;
    for (const Incident& incident : incidents) out.push_back(incident.public_id);
    return out;
  };
  using Ids = std::vector<std::string>;
  fixture.store().query([&](ReadTransaction& tx) {
    EXPECT_EQ(public_ids(tx.incidents_before(std::nullopt, std::nullopt, 2)),
              (Ids{"INC-5", "INC-4"}));
    EXPECT_EQ(public_ids(tx.incidents_before(ids[3], std::nullopt, 2)), (Ids{"INC-3", "INC-2"}));
    EXPECT_EQ(public_ids(tx.incidents_before(ids[1], std::nullopt, 2)), (Ids{"INC-1"}));
    EXPECT_EQ(public_ids(tx.incidents_before(std::nullopt, false, 10)), (Ids{"INC-4", "INC-2"}));
    EXPECT_EQ(public_ids(tx.incidents_before(ids[4], true, 10)), (Ids{"INC-3", "INC-1"}));
    // The 14-day window of the status page does not apply here.
    EXPECT_EQ(tx.incidents(now - std::chrono::hours(24 * 14), 10).size(), 2u);
  });
}

TEST(IncidentStore, ResolvedAtMustMatchTheStatus) {
  StoreFixture fixture;
  EXPECT_THROW(fixture.store().write([&](WriteTransaction& tx) {
    Incident broken = incident(ComponentStatus::degraded, {"web"}, IncidentStatus::resolved);
    broken.public_id = "INC-9";
    broken.title = "No end";
    tx.insert_incident(broken);  // resolved without resolved_at
  }),
               StoreError);
}

}  // namespace
}  // namespace supportgw
