// The profile database: every file loads and every fact carries a source; captured profiles match their committed
// vectors; the z/OS profile matches `decode` of seed 002; hello_for builds the hello each profile describes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "hello_check.h"
#include "wire/tls/extensions.h"
#include "wire/decode/decode.h"
#include "wire/tls/builder.h"

namespace sd::tlsprofiles {
namespace {

const std::string kDir = std::string(SD_SOURCE_DIR) + "/data/profiles/tls";

std::vector<std::string> profile_files() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(kDir))
    if (e.path().extension() == ".yaml") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ProfileDatabase, EveryFileLoadsAndIsEmbedded) {
  EXPECT_EQ(profile_errors(), std::vector<std::string>{});
  const auto files = profile_files();
  EXPECT_EQ(load_profiles().size(), files.size());
  std::set<std::string> ids;
  for (const auto& f : files) {
    const auto p = load_profile_file(f);
    ASSERT_TRUE(p.ok()) << f << ": " << p.error().message;
    EXPECT_TRUE(ids.insert(p->id).second) << "duplicate id " << p->id;
    EXPECT_TRUE(find_profile(p->id).has_value()) << p->id;
  }
}

void expect_sourced(const ClientProfile& p, const std::string& fact, bool known, const std::string& source) {
  if (known) EXPECT_FALSE(source.empty()) << p.id << ": " << fact << " has no source";
}

TEST(ProfileDatabase, EveryFactHasASource) {
  for (const auto& p : load_profiles()) {
    EXPECT_FALSE(p.sources.empty()) << p.id;
    expect_sourced(p, "versions", true, p.versions.source);
    expect_sourced(p, "cipher_suites", true, p.cipher_suites.source);
    expect_sourced(p, "extensions", true, p.extensions.source);
    expect_sourced(p, "groups", !p.groups.value.empty(), p.groups.source);
    expect_sourced(p, "key_share_groups", !p.key_share_groups.value.empty(), p.key_share_groups.source);
    expect_sourced(p, "signature_schemes", !p.signature_schemes.value.empty(), p.signature_schemes.source);
    expect_sourced(p, "client_certificate", p.client_certificate.value.has_value(), p.client_certificate.source);
    expect_sourced(p, "ftps_session_reuse", p.ftps_session_reuse.value.has_value(), p.ftps_session_reuse.source);
    expect_sourced(p, "min_dh_bits", p.min_dh_bits.value.has_value(), p.min_dh_bits.source);
    for (const auto& b : p.behaviours) expect_sourced(p, "behaviour " + b.id, true, b.source);
    for (const auto& s : p.symptoms) expect_sourced(p, "symptom " + s.kb_id, true, s.source);
  }
}

/// A small profile whose cipher_suites and extensions sections are given; the error parse_profile reports.
std::string error_for(const std::string& suites, const std::string& extensions) {
  const std::string yaml = "id: x\nname: X\nplatform: any\nversion: \"1\"\nsources: [test]\n"
                           "versions: {record_version: TLSv1.0, legacy_version: TLSv1.2, min: TLSv1.0, max: TLSv1.2, source: test}\n"
                           "cipher_suites: " + suites + "\nextensions: " + extensions + "\n";
  const auto p = parse_profile(yaml, "x");
  return p.ok() ? std::string("parsed") : p.error().message;
}

TEST(ProfileDatabase, AFactWithoutASourceIsRefused) {
  EXPECT_EQ(error_for("{list: [TLS_RSA_WITH_AES_128_CBC_SHA]}", "{list: [], source: t}"), "`cipher_suites` has no source");
  EXPECT_EQ(error_for("{list: [TLS_RSA_WITH_AES_128_CBC_SHA], source: t}", "{list: [], source: t}"), "parsed");
}

TEST(ProfileDatabase, AnUnknownSuiteNameIsRefused) {
  EXPECT_EQ(error_for("{list: [TLS_NOT_A_SUITE], source: t}", "{list: [], source: t}"), "unknown cipher suite `TLS_NOT_A_SUITE`");
}

TEST(ProfileDatabase, ExtensionsAndTheirContentsAgree) {
  EXPECT_EQ(error_for("{list: [AES128-SHA], source: t}", "{list: [supported_groups], source: t}"),
            "extension supported_groups and `groups` disagree");
}

/// The committed vector of the parameter's profile, its parsed hello and the profile.
class CapturedVector : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    auto b = test::vector_bytes(GetParam());
    ASSERT_TRUE(b.has_value()) << GetParam();
    bytes = std::move(*b);
    auto c = test::parse_hello_record(bytes);
    ASSERT_TRUE(c.has_value());
    captured = std::move(*c);
    auto p = find_profile(GetParam());
    ASSERT_TRUE(p.has_value());
    profile = std::move(*p);
  }
  ByteVec bytes;
  test::CapturedHello captured;
  ClientProfile profile;
};

TEST_P(CapturedVector, ProfileMatchesCommittedCapture) {
  test::expect_profile_matches(profile, captured);
}

// hello_for() rebuilds the captured record byte for byte once the values a client draws afresh for every
// connection (random, legacy session id, key share public values) are taken from the capture.
TEST_P(CapturedVector, HelloForRebuildsTheCaptureExactly) {
  const std::string sni = tls::server_name(captured.hello);
  auto spec = hello_for(profile, sni.empty() ? "localhost" : sni);
  const auto shares = test::key_shares_of(captured.hello);
  EXPECT_EQ(spec.session_id.size(), captured.hello.session_id.size());
  ASSERT_EQ(spec.key_shares.size(), shares.size());
  for (std::size_t i = 0; i < shares.size(); ++i) {
    EXPECT_EQ(spec.key_shares[i].first, shares[i].first);
    EXPECT_EQ(spec.key_shares[i].second.size(), shares[i].second.size());  // placeholders have the real size
  }
  spec.random = captured.hello.random;
  spec.session_id = captured.hello.session_id;
  spec.key_shares = shares;
  EXPECT_EQ(to_hex(tls::build_client_hello_record(spec)), to_hex(bytes));
}

INSTANTIATE_TEST_SUITE_P(Profiles, CapturedVector,
                         ::testing::Values("openssl-3.0", "gnutls-3.7", "curl-7.88-ftps", "lftp-4.9-ftps", "java-17"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (auto& ch : n)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return n;
                         });

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(SeedProfile, ZosProfileIsTheSeed002Hello) {
  const auto messages = decode::decode_text(read_all(std::string(SD_SOURCE_DIR) + "/tests/vectors/seeds/002_a176fd87c9f61e0c.txt"));
  const auto hello = std::find_if(messages.begin(), messages.end(), [](const auto& m) { return m.summary.message == "ClientHello"; });
  ASSERT_NE(hello, messages.end());
  const auto p = find_profile("zos-2.2-ftp");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->cipher_suites.value, hello->summary.cipher_suites);
  EXPECT_EQ(p->cipher_suites.value, (std::vector<std::uint16_t>{0x00ff, 0x0035, 0x0038, 0x0039, 0x002f, 0x0032, 0x0033}));
  EXPECT_EQ(p->versions.value.max, *hello->summary.max_version);
  EXPECT_EQ(p->versions.value.legacy_version, 0x0301);
  EXPECT_TRUE(hello->summary.extensions.empty());
  EXPECT_TRUE(p->extensions.value.empty());
  EXPECT_FALSE(p->extensions_block.value);
}

TEST(HelloFor, ZosHelloIsTheSeedBytesBesideTheRandom) {
  const auto spec = hello_for(*find_profile("zos-2.2-ftp"));
  const ByteVec message = tls::build_client_hello(spec);
  // seed 002: 01000035 0301 <32-byte random> 00 000e 00ff00350038003900 2f00320033 0100
  const std::string hex = to_hex(message);
  EXPECT_EQ(hex.substr(0, 12), "010000350301");
  EXPECT_EQ(hex.substr(12 + 64), "00000e00ff003500380039002f003200330100");
}

TEST(HelloFor, EveryProfileBuildsAHelloThatParsesBackToItsFacts) {
  for (const auto& p : load_profiles()) {
    const auto spec = hello_for(p, "example.test");
    const auto captured = test::parse_hello_record(tls::build_client_hello_record(spec));
    ASSERT_TRUE(captured.has_value()) << p.id;
    const auto& h = captured->hello;
    EXPECT_EQ(h.cipher_suites, p.cipher_suites.value) << p.id;
    EXPECT_EQ(h.legacy_version, p.versions.value.legacy_version) << p.id;
    EXPECT_EQ(captured->record_version, p.versions.value.record_version) << p.id;
    EXPECT_EQ(h.has_extensions_block, p.extensions_block.value) << p.id;
    for (const auto& e : h.extensions) EXPECT_TRUE(p.offers_extension(e.type)) << p.id << " sends extension " << e.type;
  }
}

}  // namespace
}  // namespace sd::tlsprofiles
