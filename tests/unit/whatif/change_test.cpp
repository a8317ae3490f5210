// The --what-if vocabulary: words, values, protocols, and the name patterns.
#include <gtest/gtest.h>

#include "whatif/change.h"

namespace sd::whatif {
namespace {

TEST(WhatIfChange, VersionWords) {
  std::string error;
  const auto off = parse_change("no-tls1.0", Protocol::tls, error);
  ASSERT_TRUE(off) << error;
  EXPECT_EQ(off->action, Action::no_version);
  EXPECT_EQ(off->version, 0x0301);
  const auto floor = parse_change("min-tls1.2", Protocol::tls, error);
  ASSERT_TRUE(floor) << error;
  EXPECT_EQ(floor->action, Action::min_version);
  EXPECT_EQ(floor->version, 0x0303);
  EXPECT_EQ(parse_change("no-sslv3", Protocol::tls, error)->version, 0x0300);
  EXPECT_EQ(parse_change("no-tls1.3", Protocol::tls, error)->version, 0x0304);
}

TEST(WhatIfChange, PatternsAndBits) {
  std::string error;
  const auto suites = parse_change("drop-suite:*_CBC_*", Protocol::tls, error);
  ASSERT_TRUE(suites);
  EXPECT_EQ(suites->action, Action::drop_suite);
  EXPECT_EQ(suites->pattern, "*_CBC_*");
  const auto dh = parse_change("min-dh:2048", Protocol::tls, error);
  ASSERT_TRUE(dh) << error;
  EXPECT_EQ(dh->action, Action::min_dh);
  EXPECT_EQ(dh->bits, 2048u);
  const auto kex = parse_change("drop-kex:diffie-hellman-group1-*", Protocol::ssh, error);
  ASSERT_TRUE(kex);
  EXPECT_EQ(kex->action, Action::drop_kex);
  // drop-group belongs to TLS and IKE: the protocol decides.
  EXPECT_EQ(parse_change("drop-group:MODP_1024", Protocol::ike, error)->protocol, Protocol::ike);
  EXPECT_EQ(parse_change("drop-group:x25519", Protocol::tls, error)->protocol, Protocol::tls);
}

TEST(WhatIfChange, UsageErrorsNameTheArgument) {
  std::string error;
  EXPECT_FALSE(parse_change("no-tls1.4", Protocol::tls, error));
  EXPECT_EQ(error, "--what-if no-tls1.4: unknown change (see --help for the words)");
  EXPECT_FALSE(parse_change("drop-kex:x", Protocol::tls, error));
  EXPECT_EQ(error, "--what-if drop-kex:x: does not apply to tls (it changes ssh)");
  EXPECT_FALSE(parse_change("no-tls1.0", Protocol::ike, error));
  EXPECT_EQ(error, "--what-if no-tls1.0: does not apply to ike (it changes tls)");
  EXPECT_FALSE(parse_change("drop-suite:", Protocol::tls, error));
  EXPECT_EQ(error, "--what-if drop-suite:: a name or pattern is missing after 'drop-suite:'");
  EXPECT_FALSE(parse_change("min-dh:12", Protocol::tls, error));
  EXPECT_EQ(error, "--what-if min-dh:12: BITS must be a number from 512 to 16384");
  EXPECT_FALSE(known_change("min-dh:abc", error));
  EXPECT_TRUE(known_change("drop-encr:ENCR_3DES", error));
  EXPECT_FALSE(known_change("turn-it-off", error));
  EXPECT_EQ(error, "--what-if turn-it-off: unknown change (see --help for the words)");
}

TEST(WhatIfChange, ParseChangesStopsAtTheFirstBadOne) {
  std::string error;
  const auto all = parse_changes({"no-tls1.0", "drop-suite:TLS_RSA_*"}, Protocol::tls, error);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 2u);
  EXPECT_EQ(describe(*all), "no-tls1.0, drop-suite:TLS_RSA_*");
  EXPECT_FALSE(parse_changes({"no-tls1.0", "drop-mac:*"}, Protocol::tls, error));
  EXPECT_EQ(error, "--what-if drop-mac:*: does not apply to tls (it changes ssh)");
}

TEST(WhatIfChange, Wildcards) {
  EXPECT_TRUE(matches("*_CBC_*", "TLS_RSA_WITH_AES_128_CBC_SHA"));
  EXPECT_FALSE(matches("*_CBC_*", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
  EXPECT_TRUE(matches("TLS_RSA_*", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"));
  EXPECT_FALSE(matches("TLS_RSA_*", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"));
  EXPECT_TRUE(matches("x25519", "X25519"));
  EXPECT_FALSE(matches("x25519", "x25519mlkem768"));
  EXPECT_TRUE(matches("*", "anything"));
  EXPECT_TRUE(matches("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(matches("a*b*c", "aXXbYY"));
  EXPECT_TRUE(matches("hmac-sha1*", "hmac-sha1-etm@openssh.com"));
}

TEST(WhatIfChange, ProtocolOfScheme) {
  EXPECT_EQ(protocol_of_scheme("ssh"), Protocol::ssh);
  EXPECT_EQ(protocol_of_scheme("ike"), Protocol::ike);
  EXPECT_EQ(protocol_of_scheme("ftps"), Protocol::tls);
  EXPECT_EQ(protocol_of_scheme("tls"), Protocol::tls);
}

TEST(WhatIfChange, HelpNamesEveryWord) {
  const auto help = vocabulary_help();
  for (const char* word : {"no-VERSION", "min-VERSION", "tls1.0", "sslv3", "drop-suite:", "drop-group:", "min-dh:BITS",
                           "drop-sigalg:", "drop-kex:", "drop-cipher:", "drop-mac:", "drop-hostkey:", "drop-encr:",
                           "drop-prf:", "drop-integ:"})
    EXPECT_NE(help.find(word), std::string::npos) << word;
}

}  // namespace
}  // namespace sd::whatif
