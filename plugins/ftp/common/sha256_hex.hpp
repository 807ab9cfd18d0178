#pragma once
// SHA-256 as lowercase hex: of a digest already computed (an upload's), or of a short
// text (names of marker files, origin ids too long to keep whole).

#include <cstddef>
#include <string>
#include <string_view>

namespace supportgw::ftp {

std::string hex_of(const unsigned char* bytes, std::size_t size);
std::string sha256_hex(std::string_view text);

}  // namespace supportgw::ftp
