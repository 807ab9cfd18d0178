#include "core/domain/customer_token.hpp"

#include <gtest/gtest.h>

#include <set>

#include "core/util/error.hpp"

namespace supportgw {
namespace {

TEST(CustomerToken, Has26Base32CharactersAndIsFresh) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const CustomerToken token = CustomerToken::generate();
    ASSERT_EQ(token.text().size(), 26U);
    for (char c : token.text()) {
      ASSERT_TRUE((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7')) << token.text();
    }
    seen.insert(token.text());
  }
  EXPECT_EQ(seen.size(), 1000U);
}

TEST(CustomerToken, ParseRoundTripsInAnyCaseAndWithDashes) {
  const CustomerToken token = CustomerToken::generate();
  EXPECT_EQ(CustomerToken::parse(token.text()).hash(), token.hash());
  std::string upper = token.text();
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  EXPECT_EQ(CustomerToken::parse(upper).hash(), token.hash());
  const std::string grouped = token.text().substr(0, 13) + "-" + token.text().substr(13);
  EXPECT_EQ(CustomerToken::parse(grouped).text(), token.text());
}

TEST(CustomerToken, ParseRefusesWhatIsNoToken) {
  EXPECT_THROW(CustomerToken::parse(""), InvalidArgument);
  EXPECT_THROW(CustomerToken::parse("abc"), InvalidArgument);
  EXPECT_THROW(CustomerToken::parse(std::string(26, '1')), InvalidArgument);  // not in alphabet
  EXPECT_THROW(CustomerToken::parse(std::string(27, 'a')), InvalidArgument);
  // The last character carries two padding bits that must be zero.
  EXPECT_THROW(CustomerToken::parse(std::string(25, 'a') + "b"), InvalidArgument);
}

TEST(CustomerToken, HashesCompareOnlyWhenEqual) {
  const CustomerToken a = CustomerToken::generate();
  const CustomerToken b = CustomerToken::generate();
  EXPECT_TRUE(token_hash_equal(a.hash(), a.hash()));
  EXPECT_FALSE(token_hash_equal(a.hash(), b.hash()));
  EXPECT_TRUE(token_hash_equal(hash_presented_token(a.text()), a.hash()));
  EXPECT_FALSE(token_hash_equal(hash_presented_token("wrong"), a.hash()));
  EXPECT_FALSE(token_hash_equal(hash_presented_token(""), a.hash()));
}

}  // namespace
}  // namespace supportgw
