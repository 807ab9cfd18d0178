// A new ticket for a product of a status component with an open incident is linked to
// the incident in intake's own transaction: its history and its acknowledgement name
// the incident, in the policy's language; resolved incidents and other products are
// left alone.
#include <gtest/gtest.h>

#include "tests/unit/intake/intake_fixture.hpp"

namespace supportgw::testing {
namespace {

constexpr const char* kJetnetMorning = "2026-11-24T10:00:00+13:00";
constexpr const char* kNetcorMorning = "2026-11-24T10:00:00+01:00";

// A status component for the product the fixture's mail names.
void with_access_component(policy::Policy& policy) {
  policy.status_components.push_back(
      policy::StatusComponent{"access", "User access", "", {"user-access"}});
  policy.vendor.status_page = "https://status.example.test/";
}

Incident post_incident(IntakeDeployment& d, const std::string& title, IncidentStatus status) {
  return d.store().write([&](WriteTransaction& tx) {
    Incident incident;
    incident.public_id = "INC-" + std::to_string(tx.next_sequence("incident"));
    incident.title = title;
    incident.status = status;
    incident.impact = ComponentStatus::major_outage;
    incident.components = {"access"};
    incident.created_at = d.clock().now();
    incident.updated_at = d.clock().now();
    if (status == IncidentStatus::resolved) {
      incident.resolved_at = d.clock().now();
    }
    incident.id = tx.insert_incident(incident);
    return incident;
  });
}

std::vector<TicketId> linked_tickets(IntakeDeployment& d, const Incident& incident) {
  return d.store().query([&](ReadTransaction& tx) { return tx.incident_tickets(incident.id); });
}

TEST(IntakeIncidents, NewTicketOfAnAffectedProductIsLinkedAndTheAcknowledgementSaysSo) {
  IntakeDeployment d("jetnet", kJetnetMorning, with_access_component);
  const Incident incident = post_incident(d, "Logins fail", IncidentStatus::investigating);

  const auto result = d.submit(mail("<m1@c>", "Cannot log in"));
  ASSERT_EQ(result.outcome, sdk::IntakeResult::Outcome::created);
  const Ticket ticket = d.ticket(result.reference);
  EXPECT_EQ(linked_tickets(d, incident), std::vector<TicketId>{ticket.id});

  const auto notes = d.events(result.reference, EventKind::incident);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].text,
            "This looks like known incident INC-1: Logins fail (investigating). Its updates will "
            "be added here.");
  EXPECT_EQ(notes[0].actor, "support");
  EXPECT_NE(result.trace.find("looks like known incident INC-1: linked"), std::string::npos)
      << result.trace;

  const std::string expected =
      "This looks like the known incident INC-1 (Logins fail), which we are already working "
      "on. You will get its updates by mail as well; the current state is at "
      "https://status.example.test/.";
  EXPECT_NE(result.acknowledgement.find(expected), std::string::npos) << result.acknowledgement;
  const auto mails = d.outbox(result.reference);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].body.find(expected), std::string::npos) << mails[0].body;
}

TEST(IntakeIncidents, ResolvedIncidentsOtherProductsAndFollowUpsAreNotLinked) {
  IntakeDeployment d("jetnet", kJetnetMorning, with_access_component);
  const Incident resolved = post_incident(d, "Old trouble", IncidentStatus::resolved);
  auto other = mail("<m1@c>", "Printer broken");
  other.fields["product"] = "Printing";
  const auto unrelated = d.submit(other);
  EXPECT_TRUE(d.events(unrelated.reference, EventKind::incident).empty());

  const auto first = d.submit(mail("<m2@c>", "Cannot log in"));
  EXPECT_TRUE(linked_tickets(d, resolved).empty());
  EXPECT_EQ(first.acknowledgement.find("known incident"), std::string::npos);

  // An incident posted later does not reach back to a reply on an older ticket.
  const Incident open = post_incident(d, "Logins fail", IncidentStatus::investigating);
  const auto reply = d.submit(mail("<m3@c>", "Re: [" + first.reference + "] Cannot log in"));
  EXPECT_EQ(reply.outcome, sdk::IntakeResult::Outcome::updated);
  EXPECT_TRUE(linked_tickets(d, open).empty());
}

TEST(IntakeIncidents, AContactThatSaysItIsOverIsNotLinked) {
  IntakeDeployment d("jetnet", kJetnetMorning, with_access_component);
  const Incident incident = post_incident(d, "Logins fail", IncidentStatus::identified);
  auto message = mail("<m1@c>", "Could not log in, works now");
  message.marks_solved = true;
  const auto result = d.submit(message);
  EXPECT_TRUE(linked_tickets(d, incident).empty());
  EXPECT_EQ(result.acknowledgement.find("INC-1"), std::string::npos);
}

TEST(IntakeIncidents, GermanPolicySpeaksGerman) {
  IntakeDeployment d("netcor", kNetcorMorning, with_access_component);
  post_incident(d, "Anmeldung gestört", IncidentStatus::monitoring);
  const auto result = d.submit(mail("<m1@c>", "Anmeldung geht nicht"));
  const auto notes = d.events(result.reference, EventKind::incident);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].text,
            "Dies scheint die bekannte Störung INC-1 zu sein: Anmeldung gestört (wird "
            "beobachtet). Ihre Neuigkeiten werden hier ergänzt.");
  EXPECT_NE(result.acknowledgement.find(
                "Ihre Anfrage scheint die bekannte Störung INC-1 (Anmeldung gestört) zu "
                "betreffen"),
            std::string::npos)
      << result.acknowledgement;
}

}  // namespace
}  // namespace supportgw::testing
