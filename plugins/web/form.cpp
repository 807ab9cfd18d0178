#include "form.hpp"

#include <algorithm>
#include <cctype>

namespace web {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

std::optional<std::map<std::string, std::string>> parse_urlencoded(std::string_view body,
                                                                   std::size_t max_fields) {
  std::map<std::string, std::string> fields;
  std::size_t count = 0;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body.remove_prefix(amp == std::string_view::npos ? body.size() : amp + 1);
    if (pair.empty()) {
      continue;
    }
    if (++count > max_fields) {
      return std::nullopt;
    }
    const auto equals = pair.find('=');
    auto name = supportgw::sdk::percent_decode(pair.substr(0, equals), true);
    auto value = supportgw::sdk::percent_decode(
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1), true);
    if (!name || !value) {
      return std::nullopt;
    }
    fields.emplace(std::move(*name), std::move(*value));
  }
  return fields;
}

std::string cookie_value(const supportgw::sdk::HttpRequest& request, std::string_view name) {
  for (const auto& [header, value] : request.headers) {
    if (header != "cookie") {
      continue;
    }
    std::string_view rest = value;
    while (!rest.empty()) {
      const auto semicolon = rest.find(';');
      const std::string_view pair = trim(rest.substr(0, semicolon));
      rest.remove_prefix(semicolon == std::string_view::npos ? rest.size() : semicolon + 1);
      const auto equals = pair.find('=');
      if (equals != std::string_view::npos && trim(pair.substr(0, equals)) == name) {
        std::string_view found = trim(pair.substr(equals + 1));
        if (found.size() >= 2 && found.front() == '"' && found.back() == '"') {
          found = found.substr(1, found.size() - 2);
        }
        return std::string(found);
      }
    }
  }
  return {};
}

std::string media_type(const supportgw::sdk::HttpRequest& request) {
  const std::string* type = request.header("content-type");
  if (type == nullptr) {
    return {};
  }
  std::string result(trim(std::string_view(*type).substr(0, type->find(';'))));
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

std::string field_or_empty(const std::map<std::string, std::string>& fields,
                           const std::string& name) {
  const auto found = fields.find(name);
  return found == fields.end() ? std::string() : found->second;
}

}  // namespace web
