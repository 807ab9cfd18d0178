#pragma once
// A file a vendor's drop box (the SFTP puller: attach_vouched) holds for a ticket that is
// closed by the time it is pulled. The FTP server refuses a closed ticket's login, so its
// customer hears "closed" at once; a drop box's uploader hears nothing, and the box only
// sets the file aside. So the refusal is recorded in the ticket's history and the customer
// is mailed (in the policy's language): the file was not attached, open a new ticket.
//
// Once per file: the refusal is kept as an intake record under the file's origin id with
// "#refused" appended (not the origin id itself, which would make a later attach of the
// same file look done), so a retry — the box failed to set the file aside — mails nobody
// twice.

#include <cstdint>
#include <string_view>

#include "core/domain/ticket.hpp"
#include "core/store/store.hpp"

namespace supportgw::tickets {

struct RefusedUpload {
  Origin origin;  // the channel and its id of the file (as in sdk::AttachRequest)
  std::string_view file_name;
  std::uint64_t size = 0;
};

// Records the refusal of `file` for the closed `ticket` (history note, mail to the
// customer when the ticket has an address), unless it was recorded before. True when
// recorded now (a mail may be waiting in the outbox).
bool record_refused_upload(WriteTransaction& tx, const Ticket& ticket, const RefusedUpload& file,
                           std::string_view language, Timestamp now);

// The customer's mail, for tests and previews.
std::string refused_upload_subject(std::string_view language, std::string_view reference,
                                   std::string_view file_name);
std::string refused_upload_text(std::string_view language, std::string_view reference,
                                std::string_view file_name, std::uint64_t size);

}  // namespace supportgw::tickets
