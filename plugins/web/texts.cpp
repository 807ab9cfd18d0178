#include "texts.hpp"

namespace web {
namespace {

constexpr Texts kEnglish{
    .language = "en",
    .new_ticket_title = "Report a problem",
    .new_ticket_intro = "Describe the problem. You get a ticket reference at once.",
    .subject = "Subject",
    .description = "Description",
    .severity = "Severity",
    .severity_auto = "Let support decide",
    .severity_level = "Level",
    .most_severe = "most severe",
    .least_severe = "least severe",
    .name = "Your name",
    .email = "Your email address",
    .company = "Company",
    .phone = "Phone",
    .product = "Product",
    .product_version = "Product version",
    .attachments = "Files (screenshots, logs, dumps)",
    .send = "Send",
    .lookup_title = "Look up a ticket",
    .lookup_button = "Open",
    .created_title = "Your problem report has been received",
    .reference = "Reference",
    .token = "Access token",
    .token_hint =
        "Keep this token: with the reference it opens your ticket page. "
        "It is shown only once.",
    .open_ticket = "Open the ticket page",
    .files_received = "Files received",
    .ticket_title = "Ticket",
    .status = "Status",
    .created = "Opened",
    .updated = "Last change",
    .history = "History",
    .files = "Files",
    .no_files = "No files yet.",
    .add_comment = "Add a comment",
    .comment = "Your comment",
    .reopen_hint = "The ticket is solved; a comment reopens it.",
    .comment_button = "Send comment",
    .check_entries = "Please check your entries",
    .required_missing = "Please fill in:",
    .not_found_title = "Ticket not found",
    .not_found_text = "No ticket matches this reference and access token.",
    .expired_title = "The form has expired",
    .expired_text =
        "For your security the form is valid for a limited time. "
        "Please open it again and send it once more.",
    .unavailable_title = "Please try again in a moment",
    .unavailable_text =
        "The support gateway cannot take your request right now. "
        "Nothing was saved.",
    .too_many_title = "Too many requests",
    .too_many_text =
        "Too many problem reports came from your address. Please wait a minute "
        "and send the form again.",
    .error_title = "Something went wrong",
    .error_text = "Your request could not be processed.",
    .bad_request_text = "The request could not be read:",
    .back = "Back",
    .recommended = "recommended",
    .required_for = "required for",
    .status_page = "Service status",
    .upload_title = "Large files",
    .upload_intro = "Upload dumps, logs and other large files for this ticket to",
    .upload_login = "User name: the reference. Password: the access token.",
    .status_title = "Service status",
    .status_components = "Components",
    .status_no_components = "No components are published for this service.",
    .status_open_incidents = "Current incidents",
    .status_recent_incidents = "Resolved in the last 14 days",
    .status_no_incidents = "No incidents.",
    .status_affects = "Affects:",
    .status_feed = "Subscribe to updates (Atom feed)",
    .status_resolved_at = "Resolved",
    .operational = "Operational",
    .maintenance = "Under maintenance",
    .degraded = "Degraded performance",
    .partial_outage = "Partial outage",
    .major_outage = "Major outage",
    .investigating = "Investigating",
    .identified = "Identified",
    .monitoring = "Monitoring",
    .resolved = "Resolved",
    .known_incident = "This looks like known incident",
    .known_incident_hint =
        "Follow it on the service status page; its updates are also added to your ticket.",
    .known_incidents_title = "Known incidents",
};

constexpr Texts kGerman{
    .language = "de",
    .new_ticket_title = "Problem melden",
    .new_ticket_intro = "Beschreiben Sie das Problem. Sie erhalten sofort eine Ticketnummer.",
    .subject = "Betreff",
    .description = "Beschreibung",
    .severity = "Dringlichkeit",
    .severity_auto = "Vom Support festlegen lassen",
    .severity_level = "Stufe",
    .most_severe = "am dringendsten",
    .least_severe = "am wenigsten dringend",
    .name = "Ihr Name",
    .email = "Ihre E-Mail-Adresse",
    .company = "Firma",
    .phone = "Telefon",
    .product = "Produkt",
    .product_version = "Software-Version",
    .attachments = "Dateien (Screenshots, Logs, Dumps)",
    .send = "Absenden",
    .lookup_title = "Ticket abrufen",
    .lookup_button = "Öffnen",
    .created_title = "Ihre Problemmeldung ist eingegangen",
    .reference = "Ticketnummer",
    .token = "Zugangsschlüssel",
    .token_hint =
        "Bewahren Sie diesen Schlüssel auf: Mit der Ticketnummer öffnet er Ihre "
        "Ticketseite. Er wird nur einmal angezeigt.",
    .open_ticket = "Zur Ticketseite",
    .files_received = "Empfangene Dateien",
    .ticket_title = "Ticket",
    .status = "Status",
    .created = "Eröffnet",
    .updated = "Letzte Änderung",
    .history = "Verlauf",
    .files = "Dateien",
    .no_files = "Noch keine Dateien.",
    .add_comment = "Kommentar hinzufügen",
    .comment = "Ihr Kommentar",
    .reopen_hint = "Das Ticket ist gelöst; ein Kommentar öffnet es wieder.",
    .comment_button = "Kommentar senden",
    .check_entries = "Bitte prüfen Sie Ihre Angaben",
    .required_missing = "Bitte ausfüllen:",
    .not_found_title = "Ticket nicht gefunden",
    .not_found_text = "Kein Ticket passt zu dieser Ticketnummer und diesem Zugangsschlüssel.",
    .expired_title = "Das Formular ist abgelaufen",
    .expired_text =
        "Zu Ihrer Sicherheit gilt das Formular nur begrenzte Zeit. "
        "Bitte öffnen Sie es erneut und senden Sie es noch einmal.",
    .unavailable_title = "Bitte versuchen Sie es gleich noch einmal",
    .unavailable_text =
        "Das Support-Gateway kann Ihre Anfrage gerade nicht annehmen. "
        "Es wurde nichts gespeichert.",
    .too_many_title = "Zu viele Anfragen",
    .too_many_text =
        "Von Ihrer Adresse kamen zu viele Problemmeldungen. Bitte warten Sie eine "
        "Minute und senden Sie das Formular dann erneut.",
    .error_title = "Etwas ist schiefgegangen",
    .error_text = "Ihre Anfrage konnte nicht verarbeitet werden.",
    .bad_request_text = "Die Anfrage konnte nicht gelesen werden:",
    .back = "Zurück",
    .recommended = "empfohlen",
    .required_for = "erforderlich für",
    .status_page = "Servicestatus",
    .upload_title = "Große Dateien",
    .upload_intro = "Dumps, Logs und andere große Dateien zu diesem Ticket laden Sie hoch auf",
    .upload_login = "Benutzername: die Ticketnummer. Passwort: der Zugangsschlüssel.",
    .status_title = "Servicestatus",
    .status_components = "Komponenten",
    .status_no_components = "Für diesen Dienst werden keine Komponenten veröffentlicht.",
    .status_open_incidents = "Aktuelle Störungen",
    .status_recent_incidents = "In den letzten 14 Tagen behoben",
    .status_no_incidents = "Keine Störungen.",
    .status_affects = "Betrifft:",
    .status_feed = "Updates abonnieren (Atom-Feed)",
    .status_resolved_at = "Behoben",
    .operational = "Betriebsbereit",
    .maintenance = "Wartungsarbeiten",
    .degraded = "Eingeschränkte Leistung",
    .partial_outage = "Teilweiser Ausfall",
    .major_outage = "Schwerer Ausfall",
    .investigating = "Wird untersucht",
    .identified = "Ursache gefunden",
    .monitoring = "Wird beobachtet",
    .resolved = "Behoben",
    .known_incident = "Dies ist vermutlich die bekannte Störung",
    .known_incident_hint =
        "Verfolgen Sie sie auf der Statusseite; ihre Updates erscheinen auch in Ihrem Ticket.",
    .known_incidents_title = "Bekannte Störungen",
};

}  // namespace

const Texts& texts_for(std::string_view language) {
  if (language == "de" || language.starts_with("de-") || language.starts_with("de_")) {
    return kGerman;
  }
  return kEnglish;
}

std::string_view status_text(const Texts& texts, std::string_view status) {
  const bool german = texts.language == "de";
  if (status == "new") {
    return german ? "neu" : "new";
  }
  if (status == "open") {
    return german ? "in Bearbeitung" : "open";
  }
  if (status == "pending-customer") {
    return german ? "wartet auf Ihre Antwort" : "waiting for your reply";
  }
  if (status == "solved") {
    return german ? "gelöst" : "solved";
  }
  if (status == "closed") {
    return german ? "geschlossen" : "closed";
  }
  return status;
}

std::string_view service_status_text(const Texts& texts, std::string_view status) {
  const std::pair<std::string_view, std::string_view> names[] = {
      {"operational", texts.operational},   {"maintenance", texts.maintenance},
      {"degraded", texts.degraded},         {"partial-outage", texts.partial_outage},
      {"major-outage", texts.major_outage}, {"investigating", texts.investigating},
      {"identified", texts.identified},     {"monitoring", texts.monitoring},
      {"resolved", texts.resolved},
  };
  for (const auto& [name, text] : names) {
    if (name == status) {
      return text;
    }
  }
  return status;
}

}  // namespace web
