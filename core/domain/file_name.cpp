#include "core/domain/file_name.hpp"

namespace supportgw {

std::string sanitise_file_name(std::string_view name) {
  if (const auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name.remove_prefix(slash + 1);
  }
  std::string clean;
  for (char c : name) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) {
      clean.push_back(c);
    }
  }
  return clean.empty() || clean == "." || clean == ".." ? std::string("attachment") : clean;
}

}  // namespace supportgw
