#include "upload_name.hpp"

namespace supportgw::ftp {
namespace {

// Length of the UTF-8 sequence starting at text[i] (0 when malformed or overlong).
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t length = 0;
  unsigned min = 0;
  unsigned code = 0;
  if (lead < 0x80) return 1;
  if ((lead & 0xe0) == 0xc0) {
    length = 2, min = 0x80, code = lead & 0x1f;
  } else if ((lead & 0xf0) == 0xe0) {
    length = 3, min = 0x800, code = lead & 0x0f;
  } else if ((lead & 0xf8) == 0xf0) {
    length = 4, min = 0x10000, code = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xc0) != 0x80) return 0;
    code = (code << 6) | (next & 0x3f);
  }
  if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
  // C1 controls (U+0080..U+009F) are control characters too.
  if (code >= 0x80 && code <= 0x9f) return 0;
  return length;
}

}  // namespace

std::variant<std::string, NameRefusal> upload_name(std::string_view argument) {
  std::string_view name = argument;
  if (name.starts_with('/')) name.remove_prefix(1);
  if (name.empty()) return NameRefusal{"a file name is required"};
  if (name.find('/') != std::string_view::npos || name.find('\\') != std::string_view::npos) {
    return NameRefusal{"give a plain file name: there are no folders here"};
  }
  if (name.starts_with('.')) return NameRefusal{"a file name may not start with '.'"};
  if (name.size() > kMaxFileName) {
    return NameRefusal{"a file name may have at most " + std::to_string(kMaxFileName) + " bytes"};
  }
  for (std::size_t i = 0; i < name.size();) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7f) return NameRefusal{"a file name may not hold control characters"};
    const std::size_t length = utf8_sequence(name, i);
    if (length == 0)
      return NameRefusal{"a file name must be valid UTF-8 without control characters"};
    i += length;
  }
  return std::string(name);
}

bool plausible_reference(std::string_view reference) {
  if (reference.empty() || reference.size() > 64 || reference.starts_with('.')) return false;
  for (char c : reference) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::variant<IncomingName, NameRefusal> incoming_name(std::string_view argument) {
  auto checked = upload_name(argument);
  if (auto* refusal = std::get_if<NameRefusal>(&checked)) {
    return std::move(*refusal);
  }
  const std::string& name = std::get<std::string>(checked);
  const auto separator = name.find('_');
  if (separator == std::string::npos || separator == 0 || separator + 1 == name.size()) {
    return NameRefusal{std::string(kIncomingRule)};
  }
  IncomingName incoming{name.substr(0, separator), name.substr(separator + 1)};
  if (!plausible_reference(incoming.reference)) {
    return NameRefusal{std::string(kIncomingRule)};
  }
  auto rest = upload_name(incoming.file_name);
  if (auto* refusal = std::get_if<NameRefusal>(&rest)) {
    return std::move(*refusal);
  }
  return incoming;
}

}  // namespace supportgw::ftp
