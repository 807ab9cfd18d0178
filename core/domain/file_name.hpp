#pragma once
// File names as customers give them are hostile: "../../etc/passwd", "C:\\x\\dump.bin",
// names with control characters. What the core stores and shows is the last path
// component with control characters removed, never empty, "." or "..".

#include <string>
#include <string_view>

namespace supportgw {

std::string sanitise_file_name(std::string_view name);

}  // namespace supportgw
