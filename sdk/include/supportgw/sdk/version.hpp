#pragma once
// The SDK's version. A plugin records the ABI it was built against (plugin.hpp) and the
// host refuses it unless the majors are equal and the plugin's minor is not newer than
// the host's.
//
// Rules for whoever changes the SDK:
//   - adding something a built plugin does not use (a new free function, a new
//     optional helper) bumps the minor;
//   - changing anything a built plugin already uses — a virtual table (Channel,
//     ChannelContext, Sender), the layout of a struct that crosses the boundary
//     (InboundMessage, IntakeResult, OutboundMessage, Settings, Status) — bumps the major.
//     A virtual member appended at the end of an interface the host implements
//     (ChannelContext) is an addition: old plugins never call it.
//
// 1.1: ChannelContext::policy().
// 1.2: ChannelContext::annotate(), intake_form(), check_api_key(), gateway_metrics(),
//      list_tickets();
//      HttpServerOptions::refusal.
// 1.3: ChannelContext::attach_vouched(), find_ticket_for_upload(), service_status(),
//      incident(), create_incident(), update_incident() (service_status.hpp),
//      change_ticket(), escalations_due() (ticket_change.hpp).
// 1.4: ChannelContext::list_incidents() (IncidentQuery, IncidentPage in
//      service_status.hpp).
// 1.5: ChannelContext::ticket_incidents().

#define SUPPORTGW_SDK_ABI_MAJOR 1
#define SUPPORTGW_SDK_ABI_MINOR 5
#define SUPPORTGW_SDK_VERSION_STRING "1.5"

namespace supportgw::sdk {

inline constexpr int kAbiMajor = SUPPORTGW_SDK_ABI_MAJOR;
inline constexpr int kAbiMinor = SUPPORTGW_SDK_ABI_MINOR;

}  // namespace supportgw::sdk
