#include "core/domain/lifecycle.hpp"

#include "core/util/error.hpp"

namespace supportgw {
namespace {

using S = TicketStatus;

bool ordinary_allowed(S from, S to) {
  switch (from) {
    case S::fresh:
      return to == S::open || to == S::pending_customer || to == S::solved;
    case S::open:
      return to == S::pending_customer || to == S::solved;
    case S::pending_customer:
      return to == S::open || to == S::solved;
    case S::solved:
      return to == S::closed;
    case S::closed:
      return false;
  }
  return false;
}

std::string quoted(S status) { return "'" + std::string(to_string(status)) + "'"; }

}  // namespace

std::optional<std::string> transition_refusal(S from, S to, TransitionKind kind) {
  if (kind == TransitionKind::reopen) {
    if (from == S::solved && to == S::open) {
      return std::nullopt;
    }
    if (from == S::closed) {
      return std::string(
          "the ticket is closed, and closed tickets stay closed; open a new ticket "
          "that refers to it");
    }
    return "only a solved ticket can be reopened, and this one is " + quoted(from);
  }
  if (from == to) {
    return "the ticket is already " + quoted(from);
  }
  if (ordinary_allowed(from, to)) {
    return std::nullopt;
  }
  if (from == S::closed) {
    return std::string("the ticket is closed, and closed tickets stay closed");
  }
  if (to == S::fresh) {
    return std::string("a ticket never goes back to 'new'");
  }
  if (from == S::solved && to == S::open) {
    return std::string("a solved ticket goes back to 'open' only by a reopen");
  }
  if (to == S::closed) {
    return "only a solved ticket can be closed, and this one is " + quoted(from);
  }
  return "a ticket cannot go from " + quoted(from) + " to " + quoted(to);
}

void check_transition(std::string_view reference, std::string_view verb, S from, S to,
                      TransitionKind kind) {
  if (auto refusal = transition_refusal(from, to, kind)) {
    throw IllegalTransition("ticket " + std::string(reference) + ": cannot " + std::string(verb) +
                            ": " + *refusal);
  }
}

}  // namespace supportgw
