# supportgw_add_plugin(<name> <source>...)
# Builds the channel plugin <name> as <name>.so — the file the gateway loads when
# gateway.toml says `plugin = "<name>"` — with hidden visibility, so it exports only
# the two symbols SUPPORTGW_PLUGIN declares.
function(supportgw_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  if(TARGET SupportGateway::sdk)
    target_link_libraries(${name} PRIVATE SupportGateway::sdk)
  else()
    target_link_libraries(${name} PRIVATE supportgw::sdk)
  endif()
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${name}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  # Undefined symbols are link errors, not surprises at load time.
  target_link_options(${name} PRIVATE -Wl,--no-undefined)
  # Export exactly the two symbols SUPPORTGW_PLUGIN declares. Hidden visibility alone
  # leaves Boost's visible types (typeinfo, vtables) and template statics exported as
  # GNU_UNIQUE, which the dynamic linker merges across every library in the process.
  set(script ${CMAKE_CURRENT_BINARY_DIR}/${name}.exports.map)
  file(WRITE ${script}
    "{\n  global: supportgw_plugin_info; supportgw_create_channel;\n  local: *;\n};\n")
  target_link_options(${name} PRIVATE -Wl,--version-script=${script})
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${script})
endfunction()
