#pragma once
// A plugin that cannot be used: its file is missing or not a library, it lacks the
// factory, it was built against another SDK ABI, or it failed in start. The message
// names the plugin and its file, so an operator knows what to fix.

#include "core/util/error.hpp"

namespace supportgw::host {

class PluginError : public Error {
 public:
  using Error::Error;
};

}  // namespace supportgw::host
