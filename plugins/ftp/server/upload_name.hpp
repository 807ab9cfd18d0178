#pragma once
// What a customer may call a file, and which ticket references may name a folder.
// Everything here is hostile input: STOR arguments, USER names.

#include <string>
#include <string_view>
#include <variant>

namespace supportgw::ftp {

// Longest file name kept (bytes; most file systems allow 255).
constexpr std::size_t kMaxFileName = 200;

struct NameRefusal {
  std::string reason;  // for the 553 reply: what rule the name broke
};

// The name a STOR/APPE/SIZE/... argument stands for in the ticket's single folder, or why
// it is refused. The folder is the root of what the customer sees, so "/name" is "name";
// any other path ("../x", "/etc/passwd", "a/b", "a\b") is refused rather than reduced to
// its last part, so a client never writes somewhere other than it asked. Refused too:
// empty names, "." and "..", a leading dot (hidden files, our ".partial" folder),
// control characters, invalid UTF-8 and names over kMaxFileName bytes.
std::variant<std::string, NameRefusal> upload_name(std::string_view argument);

// Whether `reference` can be a folder name: 1-64 of [A-Za-z0-9._-], not starting with
// '.'. Checked before the ticket lookup, so a hostile user name never reaches a path.
bool plausible_reference(std::string_view reference);

// The incoming drop box (Red Hat's model): an upload named `<reference>_<name>` belongs
// to ticket <reference> and is kept as <name>. The reference ends at the first '_'.
struct IncomingName {
  std::string reference;
  std::string file_name;  // checked as upload_name() checks a name
};
// What the 553 reply says when a name breaks the rule.
inline constexpr std::string_view kIncomingRule =
    "name the file <reference>_<name>, for example NX-000123_core.dump, where <reference> is "
    "the number of your open ticket";
std::variant<IncomingName, NameRefusal> incoming_name(std::string_view argument);

}  // namespace supportgw::ftp
