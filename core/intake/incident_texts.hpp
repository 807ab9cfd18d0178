#pragma once
// What a customer reads about a known incident (core/domain/incident.hpp), in the
// policy's language like the acknowledgements (German for a tag starting "de", English
// otherwise): the note on a ticket that intake linked to an open incident, the line in
// its acknowledgement, the mail for each update of the incident, and the standard text
// of an update that came without one. Stateless and thread-safe.

#include <string>
#include <string_view>

#include "core/domain/incident.hpp"

namespace supportgw::intake {

// "investigating" / "wird untersucht", ...
std::string incident_status_word(std::string_view language, IncidentStatus status);

// The ticket history's note when intake links a new ticket to `incident`.
std::string known_incident_note(std::string_view language, const Incident& incident);

// The acknowledgement's paragraph naming `incident`; `status_page` (may be empty) is
// where the customer can follow it.
std::string known_incident_paragraph(std::string_view language, const Incident& incident,
                                     std::string_view status_page);

// The public text of an update posted without one.
std::string default_incident_update(std::string_view language, IncidentStatus status);

// The mail a linked ticket's customer gets for an update of `incident`.
std::string incident_update_subject(std::string_view language, const std::string& reference,
                                    const Incident& incident);
std::string incident_update_text(std::string_view language, const std::string& reference,
                                 const Incident& incident, const std::string& update);

}  // namespace supportgw::intake
