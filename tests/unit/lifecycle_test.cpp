#include "core/domain/lifecycle.hpp"

#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "core/util/error.hpp"

namespace supportgw {
namespace {

using S = TicketStatus;

// The whole rule, written out once more by hand: every pair not listed must be refused.
const std::set<std::pair<S, S>> kAllowed = {
    {S::fresh, S::open},
    {S::fresh, S::pending_customer},
    {S::fresh, S::solved},
    {S::open, S::pending_customer},
    {S::open, S::solved},
    {S::pending_customer, S::open},
    {S::pending_customer, S::solved},
    {S::solved, S::closed},
};

TEST(Lifecycle, EveryOrdinaryPairIsAllowedOnlyIfListed) {
  for (S from : kAllTicketStatuses) {
    for (S to : kAllTicketStatuses) {
      const bool allowed = kAllowed.contains({from, to});
      EXPECT_EQ(!transition_refusal(from, to).has_value(), allowed)
          << to_string(from) << " -> " << to_string(to);
    }
  }
}

TEST(Lifecycle, ReopenOnlyFromSolvedToOpen) {
  for (S from : kAllTicketStatuses) {
    for (S to : kAllTicketStatuses) {
      const bool allowed = from == S::solved && to == S::open;
      EXPECT_EQ(!transition_refusal(from, to, TransitionKind::reopen).has_value(), allowed)
          << to_string(from) << " -> " << to_string(to);
    }
  }
}

TEST(Lifecycle, RefusalNamesTicketVerbAndReason) {
  try {
    check_transition("SR-2026-000042", "reopen", S::closed, S::open, TransitionKind::reopen);
    FAIL() << "closed tickets must not reopen";
  } catch (const IllegalTransition& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("SR-2026-000042"), std::string::npos) << message;
    EXPECT_NE(message.find("cannot reopen"), std::string::npos) << message;
    EXPECT_NE(message.find("closed"), std::string::npos) << message;
  }
}

TEST(Lifecycle, SolvedToOpenOrdinarySaysReopen) {
  const auto refusal = transition_refusal(S::solved, S::open);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_NE(refusal->find("reopen"), std::string::npos) << *refusal;
}

TEST(Lifecycle, StatusNamesRoundTrip) {
  for (S status : kAllTicketStatuses) {
    EXPECT_EQ(parse_ticket_status(to_string(status)), status);
  }
  EXPECT_EQ(to_string(S::fresh), "new");
  EXPECT_EQ(to_string(S::pending_customer), "pending-customer");
  EXPECT_FALSE(parse_ticket_status("pending").has_value());
  EXPECT_FALSE(parse_ticket_status("").has_value());
}

}  // namespace
}  // namespace supportgw
