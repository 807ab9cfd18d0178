// Reply text, data-address arguments and the ftp channel's settings.
#include <gtest/gtest.h>

#include "ftp_settings.hpp"
#include "reply.hpp"

namespace supportgw::ftp {
namespace {

TEST(Reply, SingleAndMultiLine) {
  EXPECT_EQ(format_reply(226, "Done."), "226 Done.\r\n");
  EXPECT_EQ(format_reply(211, "Features:\nEPSV\nEnd"), "211-Features:\r\n EPSV\r\n211 End\r\n");
}

TEST(Reply, AClientsWordsCannotForgeAReplyLine) {
  EXPECT_EQ(format_reply(553, "name a\r230 ok"), "553 name a?230 ok\r\n");
  EXPECT_EQ(printable(std::string(300, 'a'), 10), "aaaaaaaaaa...");
}

TEST(DataAddress, ParsesPort) {
  const auto address = parse_port_argument("127,0,0,1,195,80");
  ASSERT_TRUE(address);
  EXPECT_EQ(address->address, "127.0.0.1");
  EXPECT_EQ(address->port, 50000);
  EXPECT_FALSE(parse_port_argument("127,0,0,1,195"));
  EXPECT_FALSE(parse_port_argument("127,0,0,256,1,1"));
  EXPECT_FALSE(parse_port_argument("127,0,0,1,0,0"));
  EXPECT_FALSE(parse_port_argument("a,b,c,d,e,f"));
  EXPECT_FALSE(parse_port_argument("1,2,3,4,5,6,7"));
}

TEST(DataAddress, ParsesEprt) {
  const auto v4 = parse_eprt_argument("|1|132.235.1.2|6275|");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->address, "132.235.1.2");
  EXPECT_EQ(v4->port, 6275);
  const auto v6 = parse_eprt_argument("!2!::1!6275!");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->address, "::1");
  EXPECT_FALSE(parse_eprt_argument("|1|::1|6275|"));
  EXPECT_FALSE(parse_eprt_argument("|3|1.2.3.4|6275|"));
  EXPECT_FALSE(parse_eprt_argument("|1|1.2.3.4|70000|"));
  EXPECT_FALSE(parse_eprt_argument("|1|1.2.3.4|6275"));
  EXPECT_FALSE(parse_eprt_argument("|1|host.example|6275|"));
}

TEST(DataAddress, PassiveTexts) {
  EXPECT_EQ(pasv_text({127, 0, 0, 1}, 50001), "Entering Passive Mode (127,0,0,1,195,81).");
  EXPECT_EQ(epsv_text(50001), "Entering Extended Passive Mode (|||50001|).");
}

TEST(PortRange, ParsesRanges) {
  const auto range = parse_port_range("50000-50100");
  ASSERT_TRUE(range);
  EXPECT_EQ(range->first, 50000);
  EXPECT_EQ(range->last, 50100);
  EXPECT_TRUE(parse_port_range("")->any());
  EXPECT_FALSE(parse_port_range("50100-50000"));
  EXPECT_FALSE(parse_port_range("80-90"));
  EXPECT_FALSE(parse_port_range("50000"));
  EXPECT_FALSE(parse_port_range("50000-70000"));
  EXPECT_FALSE(parse_port_range("a-b"));
}

sdk::SettingValue text(std::string value) {
  sdk::SettingValue item;
  item.type = sdk::SettingValue::Type::string;
  item.string = std::move(value);
  item.where = {"gateway.toml", 7, 3};
  return item;
}

sdk::Settings settings_of(std::vector<std::pair<std::string, sdk::SettingValue>> members) {
  sdk::SettingValue table;
  table.members = std::move(members);
  return sdk::Settings(std::move(table), "channel 'ftp'");
}

TEST(FtpSettings, DefaultsWhenEmpty) {
  const FtpSettings settings = read_settings(settings_of({}));
  EXPECT_EQ(settings.listen_host, "127.0.0.1");
  EXPECT_EQ(settings.listen_port, 2121);
  EXPECT_TRUE(settings.passive_ports.any());
  EXPECT_FALSE(settings.allow_active);
  EXPECT_FALSE(settings.incoming);
  EXPECT_EQ(settings.max_upload, 16ULL << 30);
}

TEST(FtpSettings, ReadsValues) {
  const FtpSettings settings = read_settings(settings_of({{"listen", text("[::1]:0")},
                                                          {"passive_ports", text("50000-50010")},
                                                          {"max_upload", text("2GiB")},
                                                          {"data_timeout", text("30s")}}));
  EXPECT_EQ(settings.listen_host, "::1");
  EXPECT_EQ(settings.listen_port, 0);
  EXPECT_EQ(settings.passive_ports.last, 50010);
  EXPECT_EQ(settings.max_upload, 2ULL << 30);
  EXPECT_EQ(settings.data_timeout, std::chrono::seconds(30));
}

TEST(FtpSettings, RefusesUnknownAndBadValuesNamingWhere) {
  try {
    read_settings(settings_of({{"max_uplaod", text("1GiB")}}));
    FAIL() << "a misspelt key was accepted";
  } catch (const sdk::SettingsError& error) {
    EXPECT_NE(std::string(error.what()).find("max_uplaod"), std::string::npos) << error.what();
  }
  try {
    read_settings(settings_of({{"listen", text("localhost:21")}}));
    FAIL() << "a host name was accepted";
  } catch (const sdk::SettingsError& error) {
    EXPECT_NE(std::string(error.what()).find("gateway.toml:7:3"), std::string::npos)
        << error.what();
  }
  EXPECT_THROW(read_settings(settings_of({{"passive_ports", text("1-2")}})), sdk::SettingsError);
  EXPECT_THROW(read_settings(settings_of({{"passive_address", text("::1")}})), sdk::SettingsError);
  EXPECT_THROW(read_settings(settings_of({{"idle_timeout", text("0s")}})), sdk::SettingsError);
  EXPECT_THROW(read_settings(settings_of({{"tls_certificate", text("cert.pem")}})),
               sdk::SettingsError);
  sdk::SettingValue yes;
  yes.type = sdk::SettingValue::Type::boolean;
  yes.boolean = true;
  EXPECT_THROW(read_settings(settings_of({{"require_tls", yes}})), sdk::SettingsError);
}

}  // namespace
}  // namespace supportgw::ftp
