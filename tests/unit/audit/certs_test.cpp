// Certificates generated at run time (OpenSSL API) with explicit dates: expired, not yet valid, soon, weak, SHA-1,
// expiring together; DER and PEM; folders.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <filesystem>
#include <fstream>

#include "audit/audit.h"

namespace sd::audit {
namespace {

constexpr long kDay = 24 * 60 * 60;
constexpr std::time_t kNow = 1790000000;  // 2026-09-21, fixed so dates in assertions are exact

struct Spec {
  std::string cn;
  long from_days;  // relative to kNow
  long to_days;
  int bits = 2048;
  const EVP_MD* md = EVP_sha256();
};

X509* make(const Spec& s) {
  EVP_PKEY* key = EVP_RSA_gen(static_cast<unsigned>(s.bits));
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
  X509_time_adj_ex(X509_getm_notBefore(x), static_cast<int>(s.from_days), 0, const_cast<std::time_t*>(&kNow));
  X509_time_adj_ex(X509_getm_notAfter(x), static_cast<int>(s.to_days), 0, const_cast<std::time_t*>(&kNow));
  X509_NAME* n = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(s.cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(x, n);
  X509_set_pubkey(x, key);
  X509_sign(x, key, s.md);
  EVP_PKEY_free(key);
  return x;
}

std::string dir() {
  const auto d = std::string(SD_BINARY_DIR) + "/audit-certs-test";
  std::filesystem::create_directories(d);
  return d;
}

std::string write_pem(const std::string& name, const std::vector<Spec>& specs) {
  const auto path = dir() + "/" + name;
  FILE* f = fopen(path.c_str(), "wb");
  for (const auto& s : specs) {
    X509* x = make(s);
    PEM_write_X509(f, x);
    X509_free(x);
  }
  fclose(f);
  return path;
}

Outcome audit_at(const std::vector<std::string>& files) {
  Options o;
  o.now = kNow;
  return run(files, o);
}

TEST(Certs, ExpiredAndNotYetValidWithDates) {
  const auto path = write_pem("dates.pem", {{"old.example", -400, -10}, {"future.example", 5, 400}});
  const auto out = audit_at({path});
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.findings.size(), 2u);
  EXPECT_EQ(out.findings[0].id, "tls.cert-expired");
  EXPECT_EQ(out.findings[0].evidence.at(0).text, "certificate #1 CN = old.example: expired on 2026-09-11 (10 days ago)");
  EXPECT_EQ(out.findings[1].id, "tls.cert-not-yet-valid");
  EXPECT_EQ(out.findings[1].evidence.at(0).text, "certificate #2 CN = future.example: valid only from 2026-09-26");
  EXPECT_EQ(out.certs.size(), 2u);
}

TEST(Certs, SoonWeakSha1) {
  const auto path = write_pem("weak.pem", {{"weak.example", -10, 20, 1024, EVP_sha1()}});
  const auto out = audit_at({path});
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.findings.size(), 3u);
  EXPECT_EQ(out.findings[0].id, "tls.cert-expires-soon");
  EXPECT_EQ(out.findings[0].evidence.at(0).text, "certificate #1 CN = weak.example: expires on 2026-10-11 (20 days left)");
  EXPECT_EQ(out.findings[1].id, "tls.key-too-small");
  EXPECT_EQ(out.findings[2].id, "tls.sha1-signature-refused");
  EXPECT_EQ(out.findings[2].evidence.at(0).text, "certificate #1 CN = weak.example: signed with sha1WithRSAEncryption");
}

TEST(Certs, FolderOfGatewaysExpiringTogether) {
  const auto d = dir() + "/fleet";
  std::filesystem::create_directories(d + "/gw1");
  std::filesystem::create_directories(d + "/gw2");
  std::filesystem::rename(write_pem("a.pem", {{"gw1.example", -300, 200}}), d + "/gw1/cert.pem");
  std::filesystem::rename(write_pem("b.pem", {{"gw2.example", -100, 200}}), d + "/gw2/cert.crt");
  const auto out = audit_at({d});
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].id, "tls.certs-expire-together");
  EXPECT_EQ(out.findings[0].evidence.size(), 2u);
  EXPECT_EQ(out.certs.size(), 2u);
}

TEST(Certs, SameCertificateInTwoFilesIsNotAFleetFinding) {
  const auto a = write_pem("same-a.pem", {{"same.example", -300, 200}});
  const auto b = dir() + "/same-b.pem";
  std::filesystem::copy_file(a, b, std::filesystem::copy_options::overwrite_existing);
  const auto out = audit_at({a, b});
  ASSERT_FALSE(out.error);
  EXPECT_TRUE(out.findings.empty());
  EXPECT_EQ(out.certs.size(), 2u);
}

// Seed 003: the client's /ssl_nimsh/certs copy no longer matches the master's after the master was updated.
TEST(Nim, StaleClientCopyOfMasterCertificate) {
  namespace fs = std::filesystem;
  const auto base = dir() + "/nim";
  fs::remove_all(base);
  for (const auto* host : {"/master", "/client"})
    for (const auto* sub : {"/ssl_nimsh/certs", "/ssl_nimsh/keys", "/ssl_nimsh/configs"})
      fs::create_directories(base + host + sub);
  fs::rename(write_pem("m.pem", {{"nim-master", -10, 300}}), base + "/master/ssl_nimsh/certs/server.pem");
  fs::rename(write_pem("old.pem", {{"nim-master", -400, 300}}), base + "/client/ssl_nimsh/certs/server.pem");
  Options o;
  o.now = kNow;
  o.root = base + "/client";
  o.master_root = base + "/master";
  auto out = run({base + "/client/ssl_nimsh/keys"}, o);
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].id, "nim.nimsh-ssl-create-bio-hang");
  EXPECT_EQ(out.findings[0].evidence.size(), 2u);
  EXPECT_NE(out.findings[0].fixes.at(0).snippet.find("nimconfig -C"), std::string::npos);
  fs::copy_file(base + "/master/ssl_nimsh/certs/server.pem", base + "/client/ssl_nimsh/certs/server.pem",
                fs::copy_options::overwrite_existing);
  out = run({base + "/client/ssl_nimsh/keys"}, o);
  ASSERT_FALSE(out.error);
  EXPECT_TRUE(out.findings.empty());
}

TEST(Certs, DerFileAndJunk) {
  X509* x = make({"der.example", -1, 100});
  const auto path = dir() + "/one.der";
  FILE* f = fopen(path.c_str(), "wb");
  i2d_X509_fp(f, x);
  fclose(f);
  X509_free(x);
  auto out = audit_at({path});
  ASSERT_FALSE(out.error);
  EXPECT_TRUE(out.findings.empty());
  ASSERT_EQ(out.certs.size(), 1u);
  EXPECT_EQ(out.certs[0].serial, "07");
  EXPECT_EQ(out.certs[0].key_bits, 2048);
  const auto junk = dir() + "/junk.pem";
  std::ofstream(junk) << "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n";
  out = audit_at({junk});
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->message, "no certificate could be read (neither PEM nor DER)");
}

}  // namespace
}  // namespace sd::audit
