// API keys: how they look, how they are hashed, and how the store keeps and revokes them.
#include <gtest/gtest.h>

#include <set>

#include "core/domain/api_key_secret.hpp"
#include "core/util/error.hpp"
#include "tests/support/store_fixture.hpp"

namespace supportgw {
namespace {

using testing::StoreFixture;

TEST(ApiKeySecret, KeysArePrefixedHexAndNeverRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string key = generate_api_key();
    ASSERT_EQ(key.size(), 4u + 64u);
    ASSERT_TRUE(key.starts_with("sgw_"));
    ASSERT_EQ(key.find_first_not_of("0123456789abcdef", 4), std::string::npos) << key;
    seen.insert(key);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(ApiKeySecret, HashIsSha256InLowercaseHex) {
  // FIPS 180-2's "abc" test vector: the same hash `printf %s KEY | sha256sum` prints, so
  // keys in gateway.toml's api_keys and keys in the database are hashed alike.
  EXPECT_EQ(api_key_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ApiKeyStore, KeysRoundTripAndRevokeOnce) {
  StoreFixture fixture;
  ApiKey key;
  key.name = "crm-sync";
  key.key_hash = api_key_hash("sgw_example");
  key.created_at = fixture.now();
  const auto id =
      fixture.store().write([&](WriteTransaction& tx) { return tx.insert_api_key(key); });
  EXPECT_GT(id, 0);
  fixture.reopen();
  const auto found = fixture.store().query(
      [&](ReadTransaction& tx) { return tx.api_key_by_hash(api_key_hash("sgw_example")); });
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, id);
  EXPECT_EQ(found->name, "crm-sync");
  EXPECT_EQ(found->created_at, fixture.now());
  EXPECT_FALSE(found->revoked_at.has_value());
  EXPECT_FALSE(
      fixture.store()
          .query([&](ReadTransaction& tx) { return tx.api_key_by_hash(api_key_hash("x")); })
          .has_value());

  const Timestamp later = fixture.now() + std::chrono::hours(1);
  EXPECT_TRUE(
      fixture.store().write([&](WriteTransaction& tx) { return tx.revoke_api_key(id, later); }));
  // Revoking twice, or a key that does not exist, changes nothing.
  EXPECT_FALSE(
      fixture.store().write([&](WriteTransaction& tx) { return tx.revoke_api_key(id, later); }));
  EXPECT_FALSE(fixture.store().write(
      [&](WriteTransaction& tx) { return tx.revoke_api_key(id + 100, later); }));
  const auto keys = fixture.store().query([](ReadTransaction& tx) { return tx.api_keys(); });
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].revoked_at, later);
}

TEST(ApiKeyStore, TheSameKeyHashCannotBeStoredTwice) {
  StoreFixture fixture;
  ApiKey key;
  key.name = "one";
  key.key_hash = api_key_hash("sgw_same");
  key.created_at = fixture.now();
  fixture.store().write([&](WriteTransaction& tx) { return tx.insert_api_key(key); });
  EXPECT_THROW(fixture.store().write([&](WriteTransaction& tx) { return tx.insert_api_key(key); }),
               StoreError);
}

}  // namespace
}  // namespace supportgw
