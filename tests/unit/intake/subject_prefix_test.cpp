#include "core/intake/subject_prefix.hpp"

#include <gtest/gtest.h>

namespace supportgw::intake {
namespace {

struct Case {
  const char* subject;
  const char* normalized;
};

TEST(SubjectPrefix, StripsReplyAndForwardPrefixesOfManyLanguages) {
  const ReferenceFormat format("NC-{yyyy}-{seq:5}");
  const Case cases[] = {
      {"Printer broken", "printer broken"},
      {"Re: Printer broken", "printer broken"},
      {"RE: Printer broken", "printer broken"},
      {"re:Printer broken", "printer broken"},
      {"Fwd: Printer broken", "printer broken"},
      {"FW: Printer broken", "printer broken"},
      {"AW: Drucker defekt", "drucker defekt"},
      {"WG: AW: Drucker defekt", "drucker defekt"},
      {"SV: Skrivare trasig", "skrivare trasig"},
      {"VS: Tulostin rikki", "tulostin rikki"},
      {"Antw: Printer kapot", "printer kapot"},
      {"TR: Imprimante en panne", "imprimante en panne"},
      {"Re[2]: Printer broken", "printer broken"},
      {"Re(3): Printer broken", "printer broken"},
      {"Re : Printer broken", "printer broken"},
      {"Re: Fwd: RE: aw: Printer   broken  ", "printer broken"},
      {"Re: [NC-2026-00012] Drucker defekt", "drucker defekt"},
      {"[nc-2026-00012] AW: Drucker defekt", "drucker defekt"},
      {"[EXTERNAL] Re: Printer", "[external] re: printer"},  // not our tag: kept
      {"Reply needed", "reply needed"},                      // a word, not a prefix
      {"Re:", ""},
      {"", ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(normalized_subject(c.subject, &format), c.normalized) << c.subject;
  }
}

TEST(SubjectPrefix, RecognisesReplyPrefixesAndFollowUpWords) {
  EXPECT_TRUE(has_reply_prefix("AW: x"));
  EXPECT_FALSE(has_reply_prefix("Area: x"));
  EXPECT_TRUE(says_follow_up("Re: Printer", ""));
  EXPECT_TRUE(says_follow_up("Nachtrag zu meiner Anfrage", ""));
  EXPECT_TRUE(says_follow_up("Printer", "This is a follow-up to my call."));
  EXPECT_FALSE(says_follow_up("Printer broken", "It prints nothing."));
}

TEST(SubjectPrefix, SurvivesHostileSubjects) {
  std::string nested;
  for (int i = 0; i < 5'000; ++i) {
    nested += "Re: ";
  }
  EXPECT_EQ(normalized_subject(nested + "x"), "x");
  EXPECT_EQ(normalized_subject(std::string(100'000, '[')), std::string(100'000, '['));
  EXPECT_EQ(normalized_subject("Re[99999999999999999999999]: x"), "x");
  EXPECT_EQ(normalized_subject("Re[: x"), "re[: x");
}

}  // namespace
}  // namespace supportgw::intake
