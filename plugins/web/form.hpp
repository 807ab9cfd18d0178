#pragma once
// Small pieces of HTTP the portal needs beyond the SDK's: urlencoded form bodies,
// cookies, the content type of a request.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <supportgw/sdk/http_server.hpp>

namespace web {

// application/x-www-form-urlencoded; a name sent twice keeps its first value. nullopt
// when a percent escape is malformed or there are more than `max_fields` fields.
std::optional<std::map<std::string, std::string>> parse_urlencoded(std::string_view body,
                                                                   std::size_t max_fields = 100);

// A cookie of the request's Cookie headers, or "" when absent.
std::string cookie_value(const supportgw::sdk::HttpRequest& request, std::string_view name);

// The media type of the request, lower-cased, without parameters ("" when none).
std::string media_type(const supportgw::sdk::HttpRequest& request);

// The value of `name` in `fields`, or "".
std::string field_or_empty(const std::map<std::string, std::string>& fields,
                           const std::string& name);

}  // namespace web
