// The service status page, its Atom feed and the known-incident notes. No scripts: the
// page is plain HTML like the rest of the portal, every value escaped.

#include <supportgw/sdk/http_server.hpp>

#include <algorithm>
#include <cctype>

#include "status.hpp"

namespace web {
namespace {

using supportgw::sdk::html_escape;
using supportgw::sdk::IncidentView;
using supportgw::sdk::ServiceStatus;

// Colours by status, beside the words (never colour alone).
constexpr std::string_view kStatusStyle =
    "<style>.st{font-weight:600}.st-operational{color:#1a7f37}.st-maintenance{color:#0550ae}"
    ".st-degraded{color:#9a6700}.st-partial-outage{color:#bc4c00}.st-major-outage{color:#b00020}"
    ".incident{border-left:4px solid #ddd;padding:.2rem 1rem;margin:1rem 0}"
    ".updates{list-style:none;padding:0}.updates li{margin:.5rem 0}</style>\n";

std::string status_span(const Texts& t, const std::string& status) {
  return "<span class=\"st st-" + html_escape(status) + "\">" +
         html_escape(service_status_text(t, status)) + "</span>";
}

std::string component_names(const ServiceStatus& status, const IncidentView& incident) {
  std::string names;
  for (const std::string& id : incident.components) {
    std::string name = id;
    for (const auto& component : status.components) {
      if (component.id == id) {
        name = component.name;
      }
    }
    names += (names.empty() ? "" : ", ") + html_escape(name);
  }
  return names;
}

std::string incident_html(const Texts& t, const ServiceStatus& status,
                          const IncidentView& incident) {
  std::string html = "<section class=\"incident\" id=\"" + html_escape(incident.id) + "\">\n<h3>" +
                     html_escape(incident.id) + ": " + html_escape(incident.title) + "</h3>\n<p>" +
                     status_span(t, incident.status) + " · " + status_span(t, incident.impact) +
                     " · " + html_escape(t.status_affects) + " " +
                     component_names(status, incident) + "</p>\n";
  html += "<ul class=\"updates\">";
  // Newest first, as status pages are read.
  for (auto update = incident.updates.rbegin(); update != incident.updates.rend(); ++update) {
    html += "<li><strong>" + html_escape(service_status_text(t, update->status)) +
            "</strong> <time>" + utc_timestamp(update->at) + "</time><br><span class=\"text\">" +
            html_escape(update->body) + "</span></li>";
  }
  return html + "</ul>\n</section>\n";
}

// XML 1.0 allows no C0 controls but tab, newline and carriage return: drop the rest
// rather than write a feed no reader parses.
std::string xml_text(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
      clean.push_back(c);
    }
  }
  return html_escape(clean);
}

}  // namespace

std::vector<IncidentView> linked_incidents(supportgw::sdk::ChannelContext& context,
                                           const supportgw::sdk::IntakeResult& intake) {
  auto linked = context.ticket_incidents(intake.reference);
  return linked.ok() ? std::move(linked.value()) : std::vector<IncidentView>{};
}

std::string known_incidents_html(const PageContext& page,
                                 const std::vector<IncidentView>& incidents) {
  const Texts& t = *page.texts;
  std::string html;
  for (const IncidentView& incident : incidents) {
    html += "<p class=\"known-incident\" id=\"known-" + html_escape(incident.id) + "\">" +
            html_escape(t.known_incident) + " <a href=\"" +
            html_escape(page.base_url + "/status#" + incident.id) + "\">" +
            html_escape(incident.id) + "</a>: " + html_escape(incident.title) + " (" +
            html_escape(service_status_text(t, incident.status)) + "). " +
            html_escape(t.known_incident_hint) + "</p>\n";
  }
  return html;
}

std::string form_status_html(const PageContext& page, const ServiceStatus& status) {
  if (status.components.empty()) {
    return {};
  }
  const Texts& t = *page.texts;
  std::string html = "<p><a id=\"service-status\" href=\"" +
                     html_escape(page.base_url + "/status") + "\">" + html_escape(t.status_title) +
                     "</a>: " + status_span(t, status.overall) + "</p>\n";
  std::string open;
  for (const IncidentView& incident : status.incidents) {
    if (!incident.resolved) {
      open += "<li><a href=\"" + html_escape(page.base_url + "/status#" + incident.id) + "\">" +
              html_escape(incident.id) + "</a>: " + html_escape(incident.title) + " (" +
              html_escape(service_status_text(t, incident.status)) + ", " +
              component_names(status, incident) + ")</li>";
    }
  }
  if (!open.empty()) {
    html += "<div id=\"known-incidents\"><strong>" + html_escape(t.known_incidents_title) +
            "</strong><ul>" + open + "</ul></div>\n";
  }
  return html;
}

std::string status_page(const PageContext& page, const ServiceStatus& status) {
  const Texts& t = *page.texts;
  std::string body(kStatusStyle);
  body += "<p id=\"overall\">" + status_span(t, status.overall) + "</p>\n";
  body += "<h2>" + html_escape(t.status_components) + "</h2>\n";
  if (status.components.empty()) {
    body += "<p>" + html_escape(t.status_no_components) + "</p>\n";
  } else {
    body += "<table id=\"components\">";
    for (const auto& component : status.components) {
      body += "<tr id=\"component-" + html_escape(component.id) + "\"><td>" +
              html_escape(component.name);
      if (!component.description.empty()) {
        body += "<br><small>" + html_escape(component.description) + "</small>";
      }
      body += "</td><td>" + status_span(t, component.status) + "</td></tr>";
    }
    body += "</table>\n";
  }
  std::string open;
  std::string recent;
  for (const IncidentView& incident : status.incidents) {
    (incident.resolved ? recent : open) += incident_html(t, status, incident);
  }
  body += "<h2>" + html_escape(t.status_open_incidents) + "</h2>\n";
  body += open.empty() ? "<p>" + html_escape(t.status_no_incidents) + "</p>\n" : open;
  body += "<h2>" + html_escape(t.status_recent_incidents) + "</h2>\n";
  body += recent.empty() ? "<p>" + html_escape(t.status_no_incidents) + "</p>\n" : recent;
  body += "<p><a id=\"feed\" type=\"application/atom+xml\" href=\"" +
          html_escape(page.base_url + "/status.atom") + "\">" + html_escape(t.status_feed) +
          "</a></p>\n";
  return page_layout(page, t.status_title, body);
}

std::string status_feed(const PageContext& page, const ServiceStatus& status,
                        std::chrono::system_clock::time_point now) {
  const Texts& t = *page.texts;
  // Ids must be IRIs that never change: the public address when the deployment has one,
  // else a URN of the vendor's name.
  const std::string feed_id = page.base_url.empty()
                                  ? "urn:supportgw:status:" + percent_encode(page.vendor_name)
                                  : page.base_url + "/status";
  struct Entry {
    const IncidentView* incident;
    std::size_t index;
  };
  std::vector<Entry> entries;
  for (const IncidentView& incident : status.incidents) {
    for (std::size_t i = 0; i < incident.updates.size(); ++i) {
      entries.push_back(Entry{&incident, i});
    }
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.incident->updates[a.index].at > b.incident->updates[b.index].at;
  });
  constexpr std::size_t kMaxEntries = 50;
  if (entries.size() > kMaxEntries) {
    entries.resize(kMaxEntries);
  }
  const auto updated =
      entries.empty() ? now : entries.front().incident->updates[entries.front().index].at;
  std::string feed = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  feed +=
      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"" + xml_text(t.language) + "\">\n";
  feed += "<id>" + xml_text(feed_id) + "</id>\n";
  feed += "<title>" +
          xml_text(page.vendor_name.empty() ? std::string("Support") : page.vendor_name) + " – " +
          xml_text(t.status_title) + "</title>\n";
  feed += "<updated>" + utc_timestamp(updated) + "</updated>\n";
  feed += "<author><name>" +
          xml_text(page.vendor_name.empty() ? std::string("Support") : page.vendor_name) +
          "</name></author>\n";
  feed += "<link rel=\"self\" type=\"application/atom+xml\" href=\"" +
          xml_text(page.base_url + "/status.atom") + "\"/>\n";
  feed += "<link rel=\"alternate\" type=\"text/html\" href=\"" +
          xml_text(page.base_url + "/status") + "\"/>\n";
  for (const Entry& entry : entries) {
    const IncidentView& incident = *entry.incident;
    const auto& update = incident.updates[entry.index];
    feed += "<entry>\n<id>" +
            xml_text(feed_id + "#" + incident.id + "-" + std::to_string(entry.index + 1)) +
            "</id>\n";
    feed += "<title>" + xml_text(incident.id + ": " + incident.title) + " – " +
            xml_text(service_status_text(t, update.status)) + "</title>\n";
    feed += "<updated>" + utc_timestamp(update.at) + "</updated>\n";
    feed += "<link rel=\"alternate\" type=\"text/html\" href=\"" +
            xml_text(page.base_url + "/status#" + incident.id) + "\"/>\n";
    feed += "<content type=\"text\">" + xml_text(update.body) + "</content>\n</entry>\n";
  }
  feed += "</feed>\n";
  return feed;
}

}  // namespace web
