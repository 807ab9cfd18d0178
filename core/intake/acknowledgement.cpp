#include "core/intake/acknowledgement.hpp"

#include "core/intake/incident_texts.hpp"
#include "core/policy/language.hpp"

namespace supportgw::intake {
namespace {

bool german(const policy::Policy& policy) { return policy::speaks_german(policy.vendor.language); }

// A paragraph per known incident, after an empty line; nothing when there is none.
std::string known_incidents(const policy::Policy& policy, const NewTicketNotice& notice) {
  std::string text;
  for (const Incident& incident : notice.known_incidents) {
    text += "\n" + known_incident_paragraph(policy.vendor.language, incident,
                                            policy.vendor.status_page.value_or(""));
  }
  return text;
}

}  // namespace

std::string acknowledgement_subject(const std::string& reference, const std::string& subject) {
  return "[" + reference + "] " + subject;
}

std::string new_ticket_text(const policy::Policy& policy, const NewTicketNotice& notice) {
  const policy::Severity& severity = policy.severity(notice.severity);
  const std::string level = std::to_string(severity.level) + " (" + severity.name + ")";
  std::string text;
  if (german(policy)) {
    text = "Vielen Dank für Ihre Anfrage an " + policy.vendor.name +
           ". Sie wurde unter der Fallnummer " + notice.reference + " aufgenommen.\n\n";
    text += "Dringlichkeit: " + level + "\n";
    if (notice.first_response_due) {
      text += "Eine erste Rückmeldung erhalten Sie bis " + *notice.first_response_due + ".\n";
    }
    text += known_incidents(policy, notice);
    if (!notice.missing_fields.empty()) {
      text += "\nDamit wir Ihre Anfrage bearbeiten können, benötigen wir noch folgende Angaben:\n";
      for (const std::string& field : notice.missing_fields) {
        text += "- " + field + "\n";
      }
    }
    text +=
        "\nUm Dateien oder weitere Informationen nachzureichen, antworten Sie auf diese "
        "Nachricht und behalten Sie die Fallnummer " +
        notice.reference + " im Betreff bei.\n";
  } else {
    text = "Thank you for contacting " + policy.vendor.name + ". Your request is ticket " +
           notice.reference + ".\n\n";
    text += "Severity: " + level + "\n";
    if (notice.first_response_due) {
      text += "You can expect a first response by " + *notice.first_response_due + ".\n";
    }
    text += known_incidents(policy, notice);
    if (!notice.missing_fields.empty()) {
      text += "\nSo that we can work on your request, please send us:\n";
      for (const std::string& field : notice.missing_fields) {
        text += "- " + field + "\n";
      }
    }
    text += "\nTo add files or information, reply to this message and keep " + notice.reference +
            " in the subject.\n";
  }
  return text;
}

std::string follow_up_text(const policy::Policy& policy, const std::string& reference,
                           bool reopened) {
  if (german(policy)) {
    return reopened ? "Ihre Antwort hat den Fall " + reference + " wieder eröffnet."
                    : "Ihre Nachricht wurde zum Fall " + reference + " hinzugefügt.";
  }
  return reopened ? "Your reply reopened ticket " + reference + "."
                  : "Your message was added to ticket " + reference + ".";
}

}  // namespace supportgw::intake
