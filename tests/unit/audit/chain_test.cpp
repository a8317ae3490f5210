// Certificate sets generated at run time: root -> intermediate -> leaf, with and without the intermediate, out of
// order, with the wrong extended key usage, a key that belongs to another certificate, a reused serial, PKCS#12.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "audit/audit.h"

namespace sd::audit {
namespace {

constexpr std::time_t kNow = 1790000000;

struct Issued {
  X509* cert = nullptr;
  EVP_PKEY* key = nullptr;
};

void add_ext(X509* x, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, x, nullptr, nullptr, 0);
  X509_EXTENSION* e = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  X509_add_ext(x, e, -1);
  X509_EXTENSION_free(e);
}

// A certificate for cn, signed by parent (self-signed when parent is null); ca picks basicConstraints.
Issued issue(const std::string& cn, const Issued* parent, bool ca, const char* eku, long serial = 1) {
  Issued out{X509_new(), EVP_EC_gen("P-256")};
  X509_set_version(out.cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(out.cert), serial);
  X509_time_adj_ex(X509_getm_notBefore(out.cert), -10, 0, const_cast<std::time_t*>(&kNow));
  X509_time_adj_ex(X509_getm_notAfter(out.cert), 300 + static_cast<int>(cn.size()), 0, const_cast<std::time_t*>(&kNow));
  X509_NAME* n = X509_get_subject_name(out.cert);
  X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(out.cert, parent ? X509_get_subject_name(parent->cert) : n);
  X509_set_pubkey(out.cert, out.key);
  X509* issuer_cert = parent ? parent->cert : out.cert;
  add_ext(out.cert, issuer_cert, NID_basic_constraints, ca ? "critical,CA:TRUE" : "CA:FALSE");
  if (ca) add_ext(out.cert, issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  if (eku) add_ext(out.cert, issuer_cert, NID_ext_key_usage, eku);
  X509_sign(out.cert, parent ? parent->key : out.key, EVP_sha256());
  return out;
}

std::string dir(const std::string& name) {
  const auto d = std::string(SD_BINARY_DIR) + "/audit-chain-test/" + name;
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

std::string write(const std::string& path, const std::vector<X509*>& certs, EVP_PKEY* key = nullptr) {
  FILE* f = fopen(path.c_str(), "wb");
  for (X509* x : certs) PEM_write_X509(f, x);
  if (key) PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  fclose(f);
  return path;
}

struct Pki {
  Issued root = issue("Test Root", nullptr, true, nullptr);
  Issued inter = issue("Test Intermediate", &root, true, nullptr, 2);
  Issued leaf = issue("ftp.example", &inter, false, "serverAuth", 3);
  ~Pki() {
    for (auto* i : {&root, &inter, &leaf}) {
      X509_free(i->cert);
      EVP_PKEY_free(i->key);
    }
  }
};

std::vector<std::string> ids(const Outcome& o) {
  std::vector<std::string> out;
  for (const auto& f : o.findings) out.push_back(f.id);
  return out;
}

Outcome audit_at(const std::vector<std::string>& files, const std::string& role = "server") {
  Options o;
  o.now = kNow;
  o.role = role;
  return run(files, o);
}

TEST(Chain, CompleteChainInOrderWithItsKeyIsClean) {
  const Pki p;
  const auto d = dir("good");
  write(d + "/chain.pem", {p.leaf.cert, p.inter.cert});
  write(d + "/root.crt", {p.root.cert});
  write(d + "/server.key", {}, p.leaf.key);
  const auto out = audit_at({d});
  ASSERT_FALSE(out.error) << out.error->text();
  EXPECT_TRUE(out.findings.empty()) << ::testing::PrintToString(ids(out));
  EXPECT_EQ(out.certs.size(), 3u);
  EXPECT_EQ(out.keys.size(), 1u);
}

TEST(Chain, MissingIntermediateIsUntrustedIssuer) {
  const Pki p;
  const auto d = dir("missing");
  write(d + "/leaf.pem", {p.leaf.cert});
  write(d + "/root.pem", {p.root.cert});
  const auto out = audit_at({d});
  ASSERT_FALSE(out.error);
  ASSERT_EQ(ids(out), std::vector<std::string>{"tls.untrusted-issuer"});
  EXPECT_EQ(out.findings[0].evidence.at(0).text,
            "certificate #1 CN = ftp.example: no chain to a trusted root from the files given: unable to get local "
            "issuer certificate (issuer CN = Test Intermediate)");
}

TEST(Chain, IntermediateBeforeLeafIsOutOfOrder) {
  const Pki p;
  const auto d = dir("order");
  const auto file = write(d + "/chain.pem", {p.inter.cert, p.leaf.cert, p.root.cert});
  const auto out = audit_at({file});
  ASSERT_FALSE(out.error);
  ASSERT_EQ(ids(out), std::vector<std::string>{"tls.chain-out-of-order"});
  EXPECT_EQ(out.findings[0].evidence.at(1).text,
            "certificate #2 CN = ftp.example: comes next but is not the issuer of certificate #1");
}

TEST(Chain, ClientAuthOnlyCertificateIsWrongForAServer) {
  const Pki p;
  const Issued client = issue("client.example", &p.inter, false, "clientAuth", 9);
  const auto d = dir("purpose");
  write(d + "/chain.pem", {client.cert, p.inter.cert, p.root.cert});
  EXPECT_EQ(ids(audit_at({d})), std::vector<std::string>{"tls.cert-wrong-purpose"});
  EXPECT_TRUE(audit_at({d}, "client").findings.empty());
  X509_free(client.cert);
  EVP_PKEY_free(client.key);
}

TEST(Chain, KeyOfAnotherCertificateIsAMismatch) {
  const Pki p;
  const auto d = dir("mismatch");
  write(d + "/chain.pem", {p.leaf.cert, p.inter.cert, p.root.cert});
  EVP_PKEY* other = EVP_EC_gen("P-256");
  write(d + "/server.key", {}, other);
  EVP_PKEY_free(other);
  const auto out = audit_at({d});
  ASSERT_EQ(ids(out), std::vector<std::string>{"tls.cert-key-mismatch"});
  EXPECT_EQ(out.findings[0].evidence.at(0).text, "EC private key: public half matches no certificate given");
  EXPECT_EQ(out.findings[0].evidence.at(1).text, "certificate #1 CN = ftp.example: carries another public key");
}

TEST(Chain, IssuerReusingASerial) {
  const Pki p;
  const Issued a = issue("aaa.example", &p.inter, false, "serverAuth", 42);
  const Issued b = issue("bb.example", &p.inter, false, "serverAuth", 42);
  const auto d = dir("serial");
  write(d + "/a.pem", {a.cert, p.inter.cert, p.root.cert});
  write(d + "/b.pem", {b.cert});
  const auto out = audit_at({d});
  ASSERT_EQ(ids(out), std::vector<std::string>{"tls.cert-duplicate-serial"});
  EXPECT_EQ(out.findings[0].evidence.size(), 2u);
  for (const auto* i : {&a, &b}) {
    X509_free(i->cert);
    EVP_PKEY_free(i->key);
  }
}

TEST(Chain, Pkcs12NeedsThePasswordAndNeverPrintsIt) {
  const Pki p;
  const auto d = dir("p12");
  STACK_OF(X509)* cas = sk_X509_new_null();
  sk_X509_push(cas, p.inter.cert);
  PKCS12* p12 = PKCS12_create("s3cret-pw", "ftpd", p.leaf.key, p.leaf.cert, cas, 0, 0, 0, 0, 0);
  sk_X509_free(cas);
  ASSERT_NE(p12, nullptr);
  const auto path = d + "/ftpd.p12";
  FILE* f = fopen(path.c_str(), "wb");
  i2d_PKCS12_fp(f, p12);
  fclose(f);
  PKCS12_free(p12);

  auto out = audit_at({path});
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->message, "PKCS#12 file needs a password: give --p12-pass-env NAME or --p12-pass-file FILE");
  Options o;
  o.now = kNow;
  o.read.have_p12_password = true;
  o.read.p12_password = "wrong";
  out = run({path}, o);
  ASSERT_TRUE(out.error);
  EXPECT_NE(out.error->message.find("wrong password"), std::string::npos);
  EXPECT_EQ(out.error->text().find("s3cret"), std::string::npos);
  o.read.p12_password = "s3cret-pw";
  out = run({path}, o);
  ASSERT_FALSE(out.error) << out.error->text();
  EXPECT_EQ(out.certs.size(), 2u);
  EXPECT_EQ(out.keys.size(), 1u);
  EXPECT_EQ(ids(out), std::vector<std::string>{"tls.untrusted-issuer"});  // the root is not in the bundle
}

}  // namespace
}  // namespace sd::audit
