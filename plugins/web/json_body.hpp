#pragma once
// Reading JSON request bodies of the API: one object, known members only, strings within
// their limits. Every refusal is a 400 problem that names the member.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "api.hpp"

namespace web {

Problem bad_request(std::string detail);

// Parses `body` as one JSON object nested at most `max_depth` deep into `out`.
std::optional<Problem> parse_json_object(std::string_view body, std::size_t max_depth,
                                         boost::json::object& out);

// parse_json_object() and refuse_unknown() at the top level: the usual start of a body.
std::optional<Problem> read_json_object(std::string_view body, std::size_t max_depth,
                                        std::initializer_list<std::string_view> known,
                                        boost::json::object& out);

// A member that must be a string of at most `limit` bytes when present (null = absent);
// `path` names it in the problem ("customer.email").
std::optional<Problem> optional_string(const boost::json::object& object, std::string_view key,
                                       std::string_view path, std::size_t limit, std::string& out);

// Refuses the first member not in `known`, prefixed with `where` ("customer.").
std::optional<Problem> refuse_unknown(const boost::json::object& object,
                                      std::initializer_list<std::string_view> known,
                                      std::string_view where);

}  // namespace web
