// The customer's token as an upload credential: its lifetime, renewal (keeping the token
// or issuing a new one) and the refusal once the ticket is closed.

#include "core/tickets/upload_token.hpp"

#include <gtest/gtest.h>

#include "core/util/error.hpp"
#include "tests/support/store_fixture.hpp"

namespace supportgw {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::StoreFixture;

class UploadToken : public ::testing::Test {
 protected:
  static constexpr minutes kLifetime = hours(24 * 30);

  // Throws what require_upload_allowed throws for `reference` at `at`.
  void check(const std::string& reference, Timestamp at, minutes lifetime = kLifetime) {
    fixture_.store().read([&](ReadTransaction& tx) {
      tickets::require_upload_allowed(tx, tickets::require(tx, reference), lifetime, at);
    });
  }
  std::string refusal(const std::string& reference, Timestamp at, minutes lifetime = kLifetime) {
    try {
      check(reference, at, lifetime);
    } catch (const IllegalTransition& error) {
      return error.what();
    }
    return "";
  }
  tickets::RenewedToken renew(const std::string& reference, const CustomerToken* fresh,
                              Timestamp at) {
    return fixture_.store().write([&](WriteTransaction& tx) {
      return tickets::renew_token(tx, reference, fresh, fixture_.actor(), at);
    });
  }
  bool token_works(const std::string& reference, const std::string& token) {
    return fixture_.store().query(
        [&](ReadTransaction& tx) { return tickets::verify_token(tx, reference, token); });
  }

  StoreFixture fixture_;
};

TEST_F(UploadToken, OpensUploadsForItsLifetimeFromTheTicketsCreation) {
  const auto created = fixture_.create();
  const std::string& reference = created.ticket.reference;
  EXPECT_EQ(refusal(reference, fixture_.now()), "");
  EXPECT_EQ(refusal(reference, fixture_.now() + kLifetime - minutes(1)), "");
  const std::string expired = refusal(reference, fixture_.now() + kLifetime);
  EXPECT_NE(expired.find("The token of ticket " + reference + " stopped opening uploads at " +
                         format_utc(fixture_.now() + kLifetime)),
            std::string::npos)
      << expired;
  EXPECT_NE(expired.find("ask support to renew it"), std::string::npos) << expired;
  // No lifetime in the policy: no limit.
  EXPECT_EQ(refusal(reference, fixture_.now() + hours(24 * 3650), minutes::zero()), "");
}

TEST_F(UploadToken, RenewalKeepsTheTokenAndStartsTheLifetimeAgain) {
  const auto created = fixture_.create();
  const std::string& reference = created.ticket.reference;
  const Timestamp renewed_at = fixture_.now() + hours(24 * 40);
  ASSERT_NE(refusal(reference, renewed_at), "");
  const auto renewed = renew(reference, nullptr, renewed_at);
  EXPECT_TRUE(renewed.token.empty());
  EXPECT_EQ(renewed.issued_at, renewed_at);
  EXPECT_TRUE(token_works(reference, created.token));
  EXPECT_EQ(refusal(reference, renewed_at + kLifetime - minutes(1)), "");
  EXPECT_NE(refusal(reference, renewed_at + kLifetime), "");
  const auto expiry = fixture_.store().query([&](ReadTransaction& tx) {
    return tickets::upload_token_expiry(tx, tickets::require(tx, reference), kLifetime);
  });
  EXPECT_EQ(expiry, renewed_at + kLifetime);
  // Recorded for staff, without the token.
  const auto events =
      fixture_.store().query([&](ReadTransaction& tx) { return tx.events(created.ticket.id); });
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().kind, EventKind::comment);
  EXPECT_EQ(events.back().text, "The customer token was renewed for uploads.");
  EXPECT_EQ(events.back().actor, fixture_.actor().name);
}

TEST_F(UploadToken, ANewTokenReplacesTheOldOneAndIsMailedToTheCustomer) {
  const auto created = fixture_.create();
  const std::string& reference = created.ticket.reference;
  const CustomerToken fresh = CustomerToken::generate();
  const auto renewed = renew(reference, &fresh, fixture_.now() + hours(1));
  EXPECT_EQ(renewed.token, fresh.text());
  EXPECT_FALSE(token_works(reference, created.token));
  EXPECT_TRUE(token_works(reference, fresh.text()));
  const auto outbox = fixture_.store().query(
      [&](ReadTransaction& tx) { return tx.ticket_outbox(created.ticket.id); });
  ASSERT_FALSE(outbox.empty());
  EXPECT_EQ(outbox.back().recipient, "ann@example.test");
  EXPECT_EQ(outbox.back().subject, "[" + reference + "] Your new ticket token");
  EXPECT_NE(outbox.back().body.find(fresh.text()), std::string::npos);
  const auto events =
      fixture_.store().query([&](ReadTransaction& tx) { return tx.events(created.ticket.id); });
  EXPECT_EQ(events.back().text.find(fresh.text()), std::string::npos);
}

TEST_F(UploadToken, AClosedTicketTakesNoUploadsAndNoRenewal) {
  const auto created = fixture_.create();
  const std::string& reference = created.ticket.reference;
  fixture_.store().write([&](WriteTransaction& tx) {
    tickets::resolve(tx, reference, "", fixture_.actor(), fixture_.now());
    tickets::close(tx, reference, "", fixture_.actor(), fixture_.now());
  });
  EXPECT_NE(refusal(reference, fixture_.now(), minutes::zero())
                .find("Ticket " + reference + " is closed: it takes no more uploads"),
            std::string::npos);
  EXPECT_THROW(renew(reference, nullptr, fixture_.now()), IllegalTransition);
  const CustomerToken fresh = CustomerToken::generate();
  EXPECT_THROW(renew(reference, &fresh, fixture_.now()), IllegalTransition);
  EXPECT_TRUE(token_works(reference, created.token));
}

TEST_F(UploadToken, RenewingAnUnknownTicketIsNotFound) {
  EXPECT_THROW(renew("SR-2026-999999", nullptr, fixture_.now()), NotFound);
}

}  // namespace
}  // namespace supportgw
