#include "core/tickets/upload_retention.hpp"

#include <filesystem>
#include <system_error>
#include <vector>

#include "core/util/error.hpp"

namespace supportgw::tickets {
namespace {

// Deletes one ticket's kept files, then records it. Returns how many files it marked.
std::size_t expire_ticket_files(Store& store, TicketId ticket_id, Timestamp now) {
  std::vector<Attachment> kept;
  store.read([&](ReadTransaction& tx) {
    for (Attachment& attachment : tx.attachments(ticket_id)) {
      if (!attachment.deleted_at) {
        kept.push_back(std::move(attachment));
      }
    }
  });
  for (const Attachment& attachment : kept) {
    std::error_code error;
    std::filesystem::remove(attachment.storage_path, error);
    if (error && error != std::errc::no_such_file_or_directory) {
      throw Error("cannot delete " + attachment.storage_path + ": " + error.message());
    }
  }
  // Closed is final: nothing was attached since the read above.
  store.write([&](WriteTransaction& tx) {
    std::string text = "Deleted after the retention period of closed tickets:";
    for (const Attachment& attachment : kept) {
      tx.mark_attachment_deleted(attachment.id, now);
      text += "\n" + attachment.file_name + " (" + std::to_string(attachment.size) +
              " bytes, SHA-256 " + attachment.sha256 + ")";
    }
    tx.append_event(actor_event(ticket_id, EventKind::comment,
                                Actor{"system:retention", "retention"}, now, text));
  });
  return kept.size();
}

}  // namespace

RetentionSweep sweep_upload_retention(Store& store, std::chrono::minutes retention, Timestamp now,
                                      std::size_t max_tickets) {
  RetentionSweep sweep;
  if (retention <= std::chrono::minutes::zero()) {
    return sweep;
  }
  constexpr std::size_t kPage = 100;
  TicketId after = 0;
  std::size_t looked_at = 0;
  while (looked_at < max_tickets) {
    const auto due = store.query([&](ReadTransaction& tx) {
      return tx.closed_tickets_with_files(now - retention, after, kPage);
    });
    for (const TicketId ticket_id : due) {
      after = ticket_id;
      ++looked_at;
      try {
        sweep.files += expire_ticket_files(store, ticket_id, now);
        ++sweep.tickets;
      } catch (const std::exception& error) {
        // One stuck file must not hold back every other ticket: report it, go on, and
        // try it again on the next pass.
        const auto reference = store.query([&](ReadTransaction& tx) {
          const auto ticket = tx.ticket_by_id(ticket_id);
          return ticket ? ticket->reference : "id " + std::to_string(ticket_id);
        });
        sweep.problems.push_back("ticket " + reference + ": " + error.what());
      }
    }
    if (due.size() < kPage) {
      break;
    }
  }
  return sweep;
}

}  // namespace supportgw::tickets
