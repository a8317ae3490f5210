// The five seed documents, diagnosed by the real binary: `shakedown explain --format json FILE`, top-1 ids pinned.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace {

struct Outcome {
  int code = -1;
  std::string out;
};

Outcome shakedown(const std::string& args) {
  const std::string cmd = std::string(SD_BINARY_DIR) + "/shakedown " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  Outcome r;
  if (!p) return r;
  std::array<char, 4096> buf{};
  while (const std::size_t n = fread(buf.data(), 1, buf.size(), p)) r.out.append(buf.data(), n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string seed(const std::string& name) {
  return (std::filesystem::path(SD_SOURCE_DIR) / "tests" / "vectors" / "seeds" / name).string();
}

nlohmann::json explain_seed(const std::string& name) {
  const auto path = seed(name);
  if (!std::filesystem::exists(path)) return nullptr;
  const Outcome r = shakedown("explain --format json " + path);
  EXPECT_EQ(r.code, 1) << r.out;
  return nlohmann::json::parse(r.out, nullptr, false);
}

std::vector<std::string> ids(const nlohmann::json& doc) {
  std::vector<std::string> out;
  for (const auto& f : doc["findings"]) out.push_back(f["id"].get<std::string>());
  return out;
}

const nlohmann::json& finding(const nlohmann::json& doc, const std::string& id) {
  for (const auto& f : doc["findings"])
    if (f["id"] == id) return f;
  static const nlohmann::json kNone;
  return kNone;
}

bool mentions(const nlohmann::json& f, const std::string& text) { return f.dump().find(text) != std::string::npos; }

#define LOAD_SEED(var, name)                                    \
  const auto var = explain_seed(name);                          \
  ASSERT_FALSE(var.is_null()) << "seed not present: " << name; \
  ASSERT_FALSE(var.is_discarded())

TEST(Seed000, AixEfsKeystoreRequest) {
  LOAD_SEED(doc, "000_fb504ca5d0ba7857.txt");
  ASSERT_FALSE(ids(doc).empty());
  EXPECT_EQ(ids(doc).front(), "ssh.aix-efs-keystore-request");
  const auto& f = finding(doc, "ssh.aix-efs-keystore-request");
  EXPECT_TRUE(mentions(f, "AllowPKCS12KeystoreAutoOpen no"));
  EXPECT_TRUE(mentions(f, "ssh_config"));
  EXPECT_TRUE(mentions(f, "sshd_config"));
  EXPECT_TRUE(mentions(f, "stopsrc -s sshd"));
  EXPECT_TRUE(mentions(f, "startsrc -s sshd"));
}

TEST(Seed001, VsftpdRequestCertThenRequireSslReuse) {
  LOAD_SEED(doc, "001_36869a2da744bbaf.txt");
  const auto got = ids(doc);
  ASSERT_GE(got.size(), 2u);
  EXPECT_EQ(got[0], "ftps.vsftpd-ssl-request-cert");
  EXPECT_EQ(got[1], "ftps.vsftpd-require-ssl-reuse");
  EXPECT_TRUE(mentions(finding(doc, got[0]), "ssl_request_cert=NO"));
  EXPECT_TRUE(mentions(finding(doc, got[1]), "require_ssl_reuse=NO"));
}

TEST(Seed002, PlaintextReplyToClientHelloWithTheDecodedHello) {
  LOAD_SEED(doc, "002_a176fd87c9f61e0c.txt");
  ASSERT_FALSE(ids(doc).empty());
  EXPECT_EQ(ids(doc).front(), "tls.plaintext-reply-to-client-hello");
  const auto& f = finding(doc, "tls.plaintext-reply-to-client-hello");
  EXPECT_TRUE(mentions(f, "234 AUTH TLS successful"));
  EXPECT_TRUE(mentions(f, "ProFTPD"));
  EXPECT_TRUE(mentions(f, "highest version TLS 1.0"));
  EXPECT_TRUE(mentions(f, "(all CBC)"));
  EXPECT_TRUE(mentions(f, "no extensions, no signature_algorithms"));
  EXPECT_TRUE(mentions(f, "TLSv1.2 On"));
  EXPECT_TRUE(mentions(f, "TLSProtocol TLSv1 "));
  EXPECT_TRUE(mentions(f, "deprecated"));
}

TEST(Seed003, NimshCreateBioHangAndLibraryMismatch) {
  LOAD_SEED(doc, "003_53bcf9c2c8c8cbf7.txt");
  const auto got = ids(doc);
  ASSERT_GE(got.size(), 2u);
  EXPECT_EQ(got[0], "nim.nimsh-ssl-create-bio-hang");
  EXPECT_EQ(got[1], "nim.nimsh-openssl-library-mismatch");
}

TEST(Seed004, IkedSimultaneousRekeyAfterCertExpiry) {
  LOAD_SEED(doc, "004_05b3d2b12efbf044.txt");
  ASSERT_FALSE(ids(doc).empty());
  EXPECT_EQ(ids(doc).front(), "ike.ikev2-simultaneous-rekey-after-cert-expiry");
  const auto& f = finding(doc, "ike.ikev2-simultaneous-rekey-after-cert-expiry");
  EXPECT_TRUE(mentions(f, "PH00771"));
  EXPECT_TRUE(mentions(f, "UI58712"));
  EXPECT_TRUE(mentions(f, "UI58713"));
  EXPECT_TRUE(mentions(f, "recycle IKED"));
}

TEST(ExplainCli, UnreadableFileIsOneLineAndExitTwo) {
  const Outcome r = shakedown("explain /nonexistent/nothing.log");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "shakedown: explain: cannot read '/nonexistent/nothing.log'\n");
}

TEST(ExplainCli, UnknownLogFormatIsAnInputError) {
  const Outcome r = shakedown("explain --log-format nonsense /dev/null");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out.rfind("shakedown: --log-format: 'nonsense' is not one of zos-systemssl, ", 0), 0u) << r.out;
}

TEST(ExplainCli, NothingMatchedExitsZeroAndShowsWhatWasRecognised) {
  const Outcome r = shakedown("explain --format json " + std::string(SD_SOURCE_DIR) + "/tests/golden/explain/nothing.log");
  EXPECT_EQ(r.code, 0) << r.out;
  const auto doc = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_TRUE(doc["findings"].empty());
  bool recognised = false;
  for (const auto& s : doc["sections"]) recognised = recognised || s["kind"] == "recognised";
  EXPECT_TRUE(recognised);
}

TEST(ExplainCli, KbDirectoryWithABrokenRuleIsAnInputError) {
  const auto dir = std::filesystem::temp_directory_path() / "sd-explain-badkb";
  std::filesystem::create_directories(dir);
  FILE* f = fopen((dir / "bad.yaml").c_str(), "w");
  ASSERT_NE(f, nullptr);
  fputs("id: [unclosed\n", f);
  fclose(f);
  const Outcome r = shakedown("explain --kb " + dir.string() + " /dev/null");
  std::filesystem::remove_all(dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out.rfind("shakedown: explain: knowledge base: ", 0), 0u) << r.out;
}

}  // namespace
