#pragma once
// A seed vendor's deployment with an Intake on it, and a message builder.

#include <memory>
#include <string>

#include "core/intake/intake.hpp"
#include "tests/support/sla_fixture.hpp"

namespace supportgw::testing {

class IntakeDeployment : public VendorDeployment {
 public:
  IntakeDeployment(const std::string& vendor, const std::string& local_start)
      : VendorDeployment(vendor, parse_iso8601(local_start)) {
    make_intake();
  }
  template <class Adjust>
  IntakeDeployment(const std::string& vendor, const std::string& local_start, Adjust adjust)
      : VendorDeployment(vendor, parse_iso8601(local_start), adjust) {
    make_intake();
  }

  Intake& intake() { return *intake_; }
  sdk::IntakeResult submit(const sdk::InboundMessage& message) { return intake_->submit(message); }
  Ticket ticket(const std::string& reference) {
    return store().query([&](ReadTransaction& tx) { return tickets::require(tx, reference); });
  }
  std::vector<Event> all_events(const std::string& reference) {
    return store().query(
        [&](ReadTransaction& tx) { return tx.events(tickets::require(tx, reference).id); });
  }
  std::int64_t ticket_count() {
    return store().query([](ReadTransaction& tx) { return tx.count_tickets(); });
  }

 private:
  void make_intake() {
    intake_ = std::make_unique<Intake>(store(), engine(), clock());
    intake_->set_listener([this](const sla::NewActions& actions) { scheduler().add(actions); });
  }
  std::unique_ptr<Intake> intake_;
};

// A mail from Casey with every field the seeds require.
inline sdk::InboundMessage mail(const std::string& origin_id, const std::string& subject,
                                const std::string& text = "The printer prints nothing.") {
  sdk::InboundMessage message;
  message.channel = "email";
  message.origin_id = origin_id;
  message.sender = {"Casey Customer", "casey@customer.test", "+1 555 0100", "Customer Co"};
  message.route = "support";
  message.subject = subject;
  message.text = text;
  message.fields = {{"product", "USER-Access"},
                    {"product_version", "5.1"},
                    {"system_details", "Debian 12"},
                    {"account_name", "customer-co"}};
  return message;
}

// A NETCOR problem report without the system details its policy requires: intake opens
// the ticket waiting for the customer.
inline sdk::InboundMessage missing_system_details(const std::string& origin_id = "<m1@c>") {
  sdk::InboundMessage message = mail(origin_id, "Drucker defekt");
  message.fields.erase("system_details");
  return message;
}

inline sdk::InboundMessage from_stranger(sdk::InboundMessage message) {
  message.sender = {"Sam Stranger", "sam@elsewhere.test", "+44 20 7946 0000", "Elsewhere Ltd"};
  return message;
}

inline bool has_flag(const Ticket& ticket, const std::string& flag) {
  return ticket.flags.contains(flag);
}

}  // namespace supportgw::testing
