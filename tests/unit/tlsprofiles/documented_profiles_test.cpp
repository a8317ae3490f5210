// Document-based profiles after their check against the sources (issue 4 item 6): SChannel against Microsoft's
// suite pages and SSL Labs' Windows hellos, z/OS System SSL against the V2R2 default change, FileZilla against its
// GnuTLS priority string, WinSCP 6 against its 6.2 change. Each test names the corrected fact it guards.
#include <gtest/gtest.h>

#include <algorithm>

#include "hello_check.h"
#include "predict_check.h"
#include "tlsprofiles/predict.h"

namespace sd::tlsprofiles {
namespace {

using probe::tls::ServerFacts;
using namespace test;  // profile(), accepted(), alert(), kb_ids(), the capture helpers

bool offers(const ClientProfile& p, std::uint16_t suite) {
  const auto& s = p.cipher_suites.value;
  return std::find(s.begin(), s.end(), suite) != s.end();
}

TEST(SchannelProfiles, SuiteListsAreTheDocumentedEnabledLists) {
  const ClientProfile r2 = profile("schannel-2012r2");  // Windows 8.1 page: DHE_RSA AES CBC_SHA after DHE_RSA GCM
  EXPECT_EQ(r2.cipher_suites.value.size(), 26u);
  EXPECT_EQ(r2.cipher_suites.value[6], 0x0039);
  EXPECT_EQ(r2.cipher_suites.value[7], 0x0033);
  const ClientProfile s16 = profile("schannel-2016");  // v1607 page: the DHE_DSS suites follow 3DES
  EXPECT_EQ(s16.cipher_suites.value.size(), 28u);
  EXPECT_EQ(s16.cipher_suites.value.back(), 0x0013);  // TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA
  EXPECT_FALSE(offers(s16, 0x0005));                   // RC4 is on the page but not in Windows 10 hellos
  const ClientProfile s19 = profile("schannel-2019");  // v1809 page: DHE_RSA AES CBC_SHA no longer enabled
  EXPECT_EQ(s19.cipher_suites.value.size(), 21u);
  EXPECT_FALSE(offers(s19, 0x0039));
  EXPECT_FALSE(offers(s19, 0x0033));
  const ClientProfile s22 = profile("schannel-2022");  // Server 2022 page: 3DES still enabled, last
  EXPECT_EQ(s22.cipher_suites.value.size(), 23u);
  EXPECT_EQ(s22.cipher_suites.value.back(), 0x000a);
}

TEST(SchannelProfiles, Windows8And10HellosCarryRecordVersionTls12) {
  for (const char* id : {"schannel-2012r2", "schannel-2016", "schannel-2019"}) {
    EXPECT_EQ(profile(id).versions.value.record_version, 0x0303) << id;
  }
  EXPECT_EQ(profile("schannel-2012r2").groups.value, (std::vector<std::uint16_t>{0x0017, 0x0018}));
  EXPECT_EQ(profile("schannel-2019").signature_schemes.value.front(), 0x0401);  // rsa_pkcs1_sha256
  EXPECT_EQ(profile("schannel-2019").signature_schemes.value[2], 0x0201);       // rsa_pkcs1_sha1 third
}

/// TLS 1.2 only, one suite, client's order.
ServerFacts tls12_only_suite(std::uint16_t suite) {
  ServerFacts f;
  f.source = "hand-built: TLS 1.2 with one suite";
  f.versions = {{0x0301, alert(70)}, {0x0302, alert(70)}, {0x0303, accepted()}, {0x0304, alert(70)}};
  f.suites[0x0303] = {suite};
  f.server_preference = false;
  f.groups = {0x0017};
  f.min_dh_bits = 2048;
  return f;
}

/// TLS 1.0 only, one suite, client's order.
ServerFacts tls10_only_suite(std::uint16_t suite) {
  ServerFacts f = tls12_only_suite(suite);
  f.source = "hand-built: TLS 1.0 with one suite";
  f.versions = {{0x0301, accepted()}, {0x0302, alert(70)}, {0x0303, alert(70)}, {0x0304, alert(70)}};
  f.suites = {{0x0301, {suite}}};
  return f;
}

TEST(SchannelProfiles, DheRsaCbcOnlyServerSeparates2016From2019) {
  // DHE-RSA-AES256-SHA only: on by default up to Server 2016, off in 2019 (v1809 page).
  const ServerFacts f = tls12_only_suite(0x0039);
  for (const char* id : {"schannel-2012r2", "schannel-2016"}) {
    const Prediction r = predict(profile(id), f);
    EXPECT_EQ(r.verdict, Verdict::connects) << id << ": " << r.summary;
    EXPECT_EQ(r.cipher_suite, std::optional<std::uint16_t>{0x0039}) << id;
  }
  const Prediction r19 = predict(profile("schannel-2019"), f);
  EXPECT_EQ(r19.verdict, Verdict::fails);
  EXPECT_EQ(kb_ids(r19), std::vector<std::string>{"tls.no-shared-cipher"});
  EXPECT_EQ(r19.causes[0].server_evidence, "server accepts at TLSv1.2: TLS_DHE_RSA_WITH_AES_256_CBC_SHA");
}

TEST(ZosSystemSslProfiles, V2R2AndLaterDefaultsHaveNoRc4NullOrExport) {
  for (const char* id : {"zos-systemssl-2.2", "zos-systemssl-2.3", "zos-systemssl-2.4", "zos-systemssl-2.5",
                         "zos-systemssl-3.1"}) {
    const ClientProfile p = profile(id);
    EXPECT_EQ(p.cipher_suites.value.size(), 21u) << id;
    EXPECT_EQ((std::vector<std::uint16_t>(p.cipher_suites.value.begin(), p.cipher_suites.value.begin() + 3)),
              (std::vector<std::uint16_t>{0x00ff, 0x0035, 0x0036}))
        << id;
    for (const std::uint16_t gone : {0x0005, 0x0004, 0x0003, 0x0006, 0x0002, 0x0001, 0x0000})
      EXPECT_FALSE(offers(p, gone)) << id << " offers " << gone;
  }
  EXPECT_TRUE(offers(profile("zos-systemssl-2.1-default"), 0x0005));  // V2R1 still had RC4 in its default
}

TEST(ZosSystemSslProfiles, Rc4OnlyServerReachesV2R1ButNotV2R2) {
  const ServerFacts f = tls10_only_suite(0x0005);  // RC4-SHA
  const Prediction v2r1 = predict(profile("zos-systemssl-2.1-default"), f);
  EXPECT_EQ(v2r1.verdict, Verdict::connects) << v2r1.summary;
  EXPECT_EQ(v2r1.cipher_suite, std::optional<std::uint16_t>{0x0005});
  const Prediction v2r2 = predict(profile("zos-systemssl-2.2"), f);
  EXPECT_EQ(v2r2.verdict, Verdict::fails);
  EXPECT_EQ(kb_ids(v2r2), std::vector<std::string>{"tls.no-shared-cipher"});
}

TEST(FtpsClientProfiles, FileZillaIsItsPriorityStringOnGnutls) {
  expect_rebuilds(profile("filezilla-3"), capture_bytes("filezilla-3-gnutls-3.7.9"));
  const ClientProfile p = profile("filezilla-3");
  EXPECT_EQ(p.versions.value.supported, (std::vector<std::uint16_t>{0x0304, 0x0303}));
  EXPECT_EQ(p.key_share_groups.value, (std::vector<std::uint16_t>{0x0018, 0x001d}));
  EXPECT_EQ(p.cipher_suites.value[4], 0xc02c);  // SECURE256: ECDHE-ECDSA-AES256-GCM first of the TLS 1.2 suites
  ASSERT_TRUE(p.min_dh_bits.value.has_value());
  EXPECT_EQ(*p.min_dh_bits.value, 1024u);
}

TEST(FtpsClientProfiles, FileZillaAndWinScp6RefuseATls10OnlyServer) {
  // filezilla-3 (minimum TLS 1.2) and winscp-6 (TLS 1.0/1.1 off by default since 6.2) against vsftpd with only
  // TLS 1.0 at @SECLEVEL=0; winscp-5 (OpenSSL 1.1.1 defaults) still reaches it.
  const ServerFacts f = tls10_only_suite(0x0035);  // AES256-SHA
  for (const char* id : {"filezilla-3", "winscp-6"}) {
    const Prediction r = predict(profile(id), f);
    EXPECT_EQ(r.verdict, Verdict::fails) << id;
    EXPECT_EQ(kb_ids(r), std::vector<std::string>{"tls.server-version-too-old"}) << id;  // the server is the old side
  }
  const Prediction r5 = predict(profile("winscp-5"), f);
  EXPECT_EQ(r5.verdict, Verdict::connects) << r5.summary;
  EXPECT_EQ(r5.version, std::optional<std::uint16_t>{0x0301});
}

}  // namespace
}  // namespace sd::tlsprofiles
