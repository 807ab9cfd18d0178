#pragma once
// The sample notifications under tests/payloads/, as text and as JSON to vary.

#include <fstream>
#include <sstream>
#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace alertmanager::testing {

inline std::string sample(const std::string& name) {
  std::ifstream in(std::string(ALERTMANAGER_PAYLOADS_DIR) + "/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline boost::json::object sample_json(const std::string& name) {
  return boost::json::parse(sample(name)).as_object();
}

inline std::string text(const boost::json::value& value) { return boost::json::serialize(value); }

}  // namespace alertmanager::testing
