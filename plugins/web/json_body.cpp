#include "json_body.hpp"

#include <boost/json/parse.hpp>

namespace web {

namespace json = boost::json;

Problem bad_request(std::string detail) { return Problem{400, "Bad Request", std::move(detail)}; }

std::optional<Problem> parse_json_object(std::string_view body, std::size_t max_depth,
                                         json::object& out) {
  json::parse_options options;
  options.max_depth = max_depth;
  boost::system::error_code error;
  json::value parsed = json::parse(body, error, json::storage_ptr(), options);
  if (error) {
    return bad_request("the body is not JSON: " + error.message());
  }
  if (!parsed.is_object()) {
    return bad_request("the body must be a JSON object");
  }
  out = std::move(parsed.get_object());
  return std::nullopt;
}

std::optional<Problem> read_json_object(std::string_view body, std::size_t max_depth,
                                        std::initializer_list<std::string_view> known,
                                        json::object& out) {
  if (auto problem = parse_json_object(body, max_depth, out)) {
    return problem;
  }
  return refuse_unknown(out, known, "");
}

std::optional<Problem> optional_string(const json::object& object, std::string_view key,
                                       std::string_view path, std::size_t limit, std::string& out) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) {
    return std::nullopt;
  }
  if (!value->is_string()) {
    return bad_request("'" + std::string(path) + "' must be a string");
  }
  const json::string& text = value->get_string();
  if (text.size() > limit) {
    return bad_request("'" + std::string(path) + "' is longer than " + std::to_string(limit) +
                       " bytes");
  }
  out.assign(text.data(), text.size());
  return std::nullopt;
}

std::optional<Problem> refuse_unknown(const json::object& object,
                                      std::initializer_list<std::string_view> known,
                                      std::string_view where) {
  for (const auto& member : object) {
    bool found = false;
    for (std::string_view name : known) {
      found = found || member.key() == name;
    }
    if (!found) {
      return bad_request("unknown member '" + std::string(where) + std::string(member.key()) + "'");
    }
  }
  return std::nullopt;
}

}  // namespace web
