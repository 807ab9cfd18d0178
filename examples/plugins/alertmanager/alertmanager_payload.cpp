#include "alertmanager_payload.hpp"

#include <algorithm>
#include <exception>
#include <new>
#include <stdexcept>

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>

namespace alertmanager {
namespace {

using supportgw::sdk::Result;
using supportgw::sdk::Status;
using supportgw::sdk::StatusCode;

// Thrown only inside this file and caught in parse_notification.
class PayloadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

const char* kind_of(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
      return "an integer";
    case boost::json::kind::double_:
      return "a number";
    case boost::json::kind::string:
      return "a string";
    case boost::json::kind::array:
      return "an array";
    case boost::json::kind::object:
      return "an object";
  }
  return "something else";
}

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw PayloadError(where + ": " + what);
}

std::string bytes(std::size_t count) { return std::to_string(count) + " bytes"; }

// A string member; `required` members must be there (an empty string is allowed).
std::string string_member(const boost::json::object& object, std::string_view name,
                          const std::string& where, std::size_t max_bytes, bool required) {
  const boost::json::value* value = object.if_contains(name);
  const std::string path = where.empty() ? std::string(name) : where + "." + std::string(name);
  if (value == nullptr) {
    if (required) {
      fail(path, "missing");
    }
    return {};
  }
  if (!value->is_string()) {
    fail(path, std::string("expected a string, found ") + kind_of(*value));
  }
  const boost::json::string& text = value->get_string();
  if (text.size() > max_bytes) {
    fail(path, bytes(text.size()) + " long; the limit is " + bytes(max_bytes));
  }
  return std::string(text.data(), text.size());
}

// An object of string values (labels, annotations). Missing is an empty set.
LabelSet label_member(const boost::json::object& object, std::string_view name,
                      const std::string& where, std::size_t max_value_bytes,
                      const PayloadLimits& limits) {
  LabelSet labels;
  const boost::json::value* value = object.if_contains(name);
  const std::string path = where.empty() ? std::string(name) : where + "." + std::string(name);
  if (value == nullptr || value->is_null()) {
    return labels;
  }
  if (!value->is_object()) {
    fail(path, std::string("expected an object of strings, found ") + kind_of(*value));
  }
  const boost::json::object& members = value->get_object();
  if (members.size() > limits.max_labels) {
    fail(path, std::to_string(members.size()) + " entries; the limit is " +
                   std::to_string(limits.max_labels));
  }
  for (const auto& member : members) {
    const std::string key(member.key());
    if (key.empty() || key.size() > limits.max_label_name_bytes) {
      fail(path, "a name of " + bytes(key.size()) + "; expected 1 to " +
                     bytes(limits.max_label_name_bytes));
    }
    const std::string shown = path + "." + key.substr(0, 64);
    if (!member.value().is_string()) {
      fail(shown, std::string("expected a string, found ") + kind_of(member.value()));
    }
    const boost::json::string& text = member.value().get_string();
    if (text.size() > max_value_bytes) {
      fail(shown, bytes(text.size()) + " long; the limit is " + bytes(max_value_bytes));
    }
    labels[key] = std::string(text.data(), text.size());
  }
  return labels;
}

std::string status_member(const boost::json::object& object, const std::string& where,
                          const PayloadLimits& limits) {
  std::string status = string_member(object, "status", where, limits.max_short_string_bytes, true);
  if (status != "firing" && status != "resolved") {
    fail(where.empty() ? "status" : where + ".status",
         "expected \"firing\" or \"resolved\", found \"" + status + "\"");
  }
  return status;
}

Alert parse_alert(const boost::json::value& value, const std::string& where,
                  const PayloadLimits& limits) {
  if (!value.is_object()) {
    fail(where, std::string("expected an object, found ") + kind_of(value));
  }
  const boost::json::object& object = value.get_object();
  Alert alert;
  alert.status = status_member(object, where, limits);
  alert.labels = label_member(object, "labels", where, limits.max_label_value_bytes, limits);
  alert.annotations =
      label_member(object, "annotations", where, limits.max_annotation_value_bytes, limits);
  alert.starts_at = string_member(object, "startsAt", where, limits.max_short_string_bytes, true);
  alert.ends_at = string_member(object, "endsAt", where, limits.max_short_string_bytes, false);
  alert.generator_url = string_member(object, "generatorURL", where, limits.max_url_bytes, false);
  alert.fingerprint =
      string_member(object, "fingerprint", where, limits.max_short_string_bytes, false);
  if (alert.labels.empty()) {
    // Alertmanager identifies an alert by its labels; one without any is not from it.
    fail(where + ".labels", "an alert needs at least one label");
  }
  return alert;
}

Notification parse_object(const boost::json::value& root, const PayloadLimits& limits) {
  if (!root.is_object()) {
    fail("the body", std::string("expected a JSON object, found ") + kind_of(root));
  }
  const boost::json::object& object = root.get_object();
  Notification notification;
  notification.version = string_member(object, "version", "", limits.max_short_string_bytes, true);
  if (notification.version != "4") {
    fail("version",
         "expected \"4\" (Alertmanager's webhook payload), found \"" + notification.version + "\"");
  }
  notification.group_key = string_member(object, "groupKey", "", limits.max_group_key_bytes, true);
  if (notification.group_key.empty()) {
    fail("groupKey", "empty; the group's tickets are found by it");
  }
  notification.status = status_member(object, "", limits);
  notification.receiver = string_member(object, "receiver", "", limits.max_receiver_bytes, true);
  notification.group_labels =
      label_member(object, "groupLabels", "", limits.max_label_value_bytes, limits);
  notification.common_labels =
      label_member(object, "commonLabels", "", limits.max_label_value_bytes, limits);
  notification.common_annotations =
      label_member(object, "commonAnnotations", "", limits.max_annotation_value_bytes, limits);
  notification.external_url = string_member(object, "externalURL", "", limits.max_url_bytes, false);

  if (const boost::json::value* truncated = object.if_contains("truncatedAlerts")) {
    if (const auto* signed_count = truncated->if_int64(); signed_count && *signed_count >= 0) {
      notification.truncated_alerts = static_cast<std::uint64_t>(*signed_count);
    } else if (const auto* unsigned_count = truncated->if_uint64()) {
      notification.truncated_alerts = *unsigned_count;
    } else {
      fail("truncatedAlerts",
           std::string("expected a count of 0 or more, found ") + kind_of(*truncated));
    }
  }

  const boost::json::value* alerts = object.if_contains("alerts");
  if (alerts == nullptr) {
    fail("alerts", "missing");
  }
  if (!alerts->is_array()) {
    fail("alerts", std::string("expected an array, found ") + kind_of(*alerts));
  }
  const boost::json::array& list = alerts->get_array();
  if (list.empty()) {
    fail("alerts", "empty; a notification carries at least one alert");
  }
  if (list.size() > limits.max_alerts) {
    fail("alerts", std::to_string(list.size()) + " alerts; the limit is " +
                       std::to_string(limits.max_alerts));
  }
  notification.alerts.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    notification.alerts.push_back(
        parse_alert(list[i], "alerts[" + std::to_string(i) + "]", limits));
  }
  return notification;
}

}  // namespace

std::size_t Notification::firing_count() const {
  return static_cast<std::size_t>(std::count_if(
      alerts.begin(), alerts.end(), [](const Alert& alert) { return !alert.resolved(); }));
}

Result<Notification> parse_notification(std::string_view body, const PayloadLimits& limits) {
  try {
    boost::json::parse_options options;
    options.max_depth = limits.max_depth;
    boost::system::error_code error;
    const boost::json::value root = boost::json::parse(body, error, {}, options);
    if (error) {
      return Status(StatusCode::invalid_argument, "the body is not JSON: " + error.message());
    }
    return parse_object(root, limits);
  } catch (const PayloadError& error) {
    return Status(StatusCode::invalid_argument, error.what());
  } catch (const std::bad_alloc&) {
    return Status(StatusCode::internal, "out of memory while parsing an Alertmanager notification");
  } catch (const std::exception& error) {
    return Status(StatusCode::internal,
                  std::string("parsing an Alertmanager notification: ") + error.what());
  }
}

}  // namespace alertmanager
