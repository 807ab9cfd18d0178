#include "core/intake/incident_texts.hpp"

#include "core/policy/language.hpp"

namespace supportgw::intake {
using policy::speaks_german;

std::string incident_status_word(std::string_view language, IncidentStatus status) {
  if (speaks_german(language)) {
    switch (status) {
      case IncidentStatus::investigating:
        return "wird untersucht";
      case IncidentStatus::identified:
        return "Ursache gefunden";
      case IncidentStatus::monitoring:
        return "wird beobachtet";
      case IncidentStatus::resolved:
        return "behoben";
    }
  }
  return std::string(to_string(status));
}

std::string known_incident_note(std::string_view language, const Incident& incident) {
  const std::string status = incident_status_word(language, incident.status);
  if (speaks_german(language)) {
    return "Dies scheint die bekannte Störung " + incident.public_id +
           " zu sein: " + incident.title + " (" + status +
           "). Ihre Neuigkeiten werden hier ergänzt.";
  }
  return "This looks like known incident " + incident.public_id + ": " + incident.title + " (" +
         status + "). Its updates will be added here.";
}

std::string known_incident_paragraph(std::string_view language, const Incident& incident,
                                     std::string_view status_page) {
  std::string text;
  if (speaks_german(language)) {
    text = "Ihre Anfrage scheint die bekannte Störung " + incident.public_id + " (" +
           incident.title +
           ") zu betreffen, an der wir bereits arbeiten. Sie erhalten deren "
           "Neuigkeiten auch per E-Mail";
    if (!status_page.empty()) {
      text += "; den aktuellen Stand finden Sie unter " + std::string(status_page);
    }
    return text + ".\n";
  }
  text = "This looks like the known incident " + incident.public_id + " (" + incident.title +
         "), which we are already working on. You will get its updates by mail as well";
  if (!status_page.empty()) {
    text += "; the current state is at " + std::string(status_page);
  }
  return text + ".\n";
}

std::string default_incident_update(std::string_view language, IncidentStatus status) {
  if (speaks_german(language)) {
    switch (status) {
      case IncidentStatus::investigating:
        return "Wir untersuchen das Problem.";
      case IncidentStatus::identified:
        return "Die Ursache ist gefunden; an einer Lösung wird gearbeitet.";
      case IncidentStatus::monitoring:
        return "Eine Lösung ist eingespielt; wir beobachten die Ergebnisse.";
      case IncidentStatus::resolved:
        return "Die Störung ist behoben.";
    }
  }
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

std::string incident_update_subject(std::string_view language, const std::string& reference,
                                    const Incident& incident) {
  return "[" + reference + "] " + incident.public_id + " " + incident.title + ": " +
         incident_status_word(language, incident.status);
}

std::string incident_update_text(std::string_view language, const std::string& reference,
                                 const Incident& incident, const std::string& update) {
  const std::string status = incident_status_word(language, incident.status);
  if (speaks_german(language)) {
    return "Neuigkeiten zur bekannten Störung " + incident.public_id + " (" + incident.title +
           "), die Ihren Fall " + reference + " betrifft:\n\n" + status + ": " + update + "\n";
  }
  return "An update on the known incident " + incident.public_id + " (" + incident.title +
         "), which concerns your ticket " + reference + ":\n\n" + status + ": " + update + "\n";
}

}  // namespace supportgw::intake
