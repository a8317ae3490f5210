// Invariants over the whole TLS registry (data/registry/tls-*.tsv): sorted unique codes, names and sources present,
// closed vocabularies for the fields code branches on, and spot checks of well-known entries.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "wire/tls/registry.h"

namespace sd::tls::registry {
namespace {

template <class Rows>
void expect_sorted_unique_named(const Rows& rows, const char* what) {
  ASSERT_FALSE(rows.empty()) << what;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_FALSE(rows[i].source.empty()) << what << " " << rows[i].code;
    if (i) EXPECT_LT(rows[i - 1].code, rows[i].code) << what;
  }
}

TEST(TlsRegistry, EveryTableIsSortedUniqueAndSourced) {
  expect_sorted_unique_named(cipher_suites(), "cipher suites");
  expect_sorted_unique_named(handshake_types(), "handshake types");
  expect_sorted_unique_named(alerts(), "alerts");
  expect_sorted_unique_named(groups(), "groups");
  expect_sorted_unique_named(signature_schemes(), "signature schemes");
  expect_sorted_unique_named(grease_values(), "grease");
  expect_sorted_unique_named(plaintext_signatures(), "plaintext signatures");
  for (const auto t : {Names::version, Names::content_type, Names::alert_level, Names::extension, Names::certificate_type,
                       Names::ec_point_format, Names::psk_mode, Names::sslv2_cipher_kind})
    expect_sorted_unique_named(named(t), "names");
}

TEST(TlsRegistry, CipherSuiteFieldsUseTheClosedVocabulary) {
  const std::set<std::string> modes{"CBC", "GCM", "CCM", "CCM_8", "CHACHA", "stream", "NULL", "SCSV"};
  const std::set<std::string> versions{"SSLv3", "TLSv1.0", "TLSv1.2", "TLSv1.3"};
  const std::set<std::string> macs{"SHA", "SHA256", "SHA384", "MD5", "AEAD", "NULL"};
  const std::set<std::string> kx{"RSA", "DHE", "ECDHE", "DH", "ECDH", "PSK", "DHE_PSK", "RSA_PSK", "ECDHE_PSK", "SRP",
                                 "RSA_EXPORT", "DHE_EXPORT", "DH_EXPORT", "any", "SCSV", "NULL"};
  std::set<std::string> names;
  for (const auto& s : cipher_suites()) {
    SCOPED_TRACE(std::string(s.iana_name));
    EXPECT_TRUE(s.iana_name.starts_with("TLS_"));
    EXPECT_TRUE(names.insert(std::string(s.iana_name)).second) << "duplicate name";
    EXPECT_TRUE(modes.count(std::string(s.mode)));
    EXPECT_TRUE(versions.count(std::string(s.min_version)));
    EXPECT_TRUE(macs.count(std::string(s.mac)));
    EXPECT_TRUE(kx.count(std::string(s.kx)));
    EXPECT_FALSE(s.auth.empty());
    EXPECT_FALSE(s.cipher.empty());
    const bool aead = s.mode == "GCM" || s.mode == "CCM" || s.mode == "CCM_8" || s.mode == "CHACHA";
    EXPECT_EQ(aead, s.mac == "AEAD");
    EXPECT_EQ(s.min_version == "TLSv1.3", s.kx == "any");
  }
}

TEST(TlsRegistry, WellKnownEntries) {
  const auto* s = find_cipher_suite(0x0035);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->iana_name, "TLS_RSA_WITH_AES_256_CBC_SHA");
  EXPECT_EQ(s->openssl_name, "AES256-SHA");
  EXPECT_EQ(s->kx, "RSA");
  EXPECT_EQ(s->mode, "CBC");
  EXPECT_EQ(find_cipher_suite(0x000a)->openssl_name, "DES-CBC3-SHA");
  EXPECT_EQ(find_cipher_suite(0xc02f)->kx, "ECDHE");
  EXPECT_EQ(find_cipher_suite(0x1301)->min_version, "TLSv1.3");
  EXPECT_TRUE(is_scsv(0x00ff));
  EXPECT_TRUE(is_scsv(0x5600));
  EXPECT_FALSE(is_scsv(0x0035));
  EXPECT_EQ(cipher_suite_name(0xfefe), "unknown_0xfefe");
  EXPECT_EQ(version_name(0x0303), "TLSv1.2");
  EXPECT_EQ(group_name(29), "x25519");
  EXPECT_EQ(group_name(0x11ec), "X25519MLKEM768");
  EXPECT_EQ(signature_scheme_name(0x0804), "rsa_pss_rsae_sha256");
  EXPECT_EQ(name_of(Names::extension, 0xff01), "renegotiation_info");
  EXPECT_EQ(find_alert(40)->name, "handshake_failure");
  EXPECT_EQ(find_handshake_type(13)->title, "CertificateRequest");
  EXPECT_EQ(name_of(Names::sslv2_cipher_kind, 0x0700c0), "SSL_CK_DES_192_EDE3_CBC_WITH_MD5");
  EXPECT_EQ(hex16(0x0700c0), "0x0700c0");
}

TEST(TlsRegistry, GreaseIsTheSixteenRfc8701Values) {
  EXPECT_EQ(grease_values().size(), 16u);
  for (unsigned i = 0; i < 16; ++i) EXPECT_TRUE(is_grease(static_cast<std::uint16_t>(0x0a0a + 0x1010 * i)));
  EXPECT_FALSE(is_grease(0x0a0b));
  EXPECT_EQ(cipher_suite_name(0x2a2a), "GREASE");
  EXPECT_EQ(name_of(Names::extension, 0xdada), "GREASE");
}

TEST(TlsRegistry, OpensslNamesMatchThisMachine) {
  // Spot-check that the imported rows still agree with `openssl ciphers -V -stdname` (same two suites).
  EXPECT_EQ(find_cipher_suite(0xc030)->openssl_name, "ECDHE-RSA-AES256-GCM-SHA384");
  EXPECT_EQ(find_cipher_suite(0xcca8)->openssl_name, "ECDHE-RSA-CHACHA20-POLY1305");
}

}  // namespace
}  // namespace sd::tls::registry
