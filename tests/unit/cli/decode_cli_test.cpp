// `shakedown decode` as a user runs it: the built binary on the seed, the bundled examples, stdin and bad input.
#include <gtest/gtest.h>

#include <filesystem>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/wait.h>

namespace {

struct Ran {
  int code;
  std::string out;
};

/// Runs build/shakedown with the arguments; stdout only unless the caller redirects.
Ran shakedown(const std::string& args) {
  const std::string cmd = std::string(SD_BINARY_DIR) + "/shakedown " + args;
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  while (std::size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

const std::string kSeed002 = std::string(SD_SOURCE_DIR) + "/tests/vectors/seeds/002_a176fd87c9f61e0c.txt";
const std::string kExamples = std::string(SD_SOURCE_DIR) + "/examples/";

const nlohmann::json* child(const nlohmann::json& field, const std::string& name) {
  const auto children = field.find("children");
  if (children == field.end()) return nullptr;
  for (const auto& c : *children)
    if (c.value("name", "") == name) return &c;
  return nullptr;
}

// The seed check, exactly as written there.
TEST(DecodeCli, Seed002JsonShowsTheTls10HelloAndThePlaintextReply) {
  ASSERT_TRUE(std::filesystem::exists(kSeed002)) << kSeed002;
  const Ran r = shakedown("decode --format json " + kSeed002);
  EXPECT_EQ(r.code, 1);
  const auto doc = nlohmann::json::parse(r.out);
  const auto& sections = doc.at("sections");
  ASSERT_EQ(sections.size(), 2u);

  const auto& hello = sections[0].at("fields")[0];
  EXPECT_EQ(hello.at("value"), "ClientHello");
  ASSERT_NE(child(hello, "max_version"), nullptr);
  EXPECT_EQ(child(hello, "max_version")->at("value"), "TLSv1.0");
  EXPECT_EQ(child(hello, "extensions")->at("value"), "0");
  std::vector<std::string> suites;
  for (const auto& s : child(hello, "cipher_suites")->at("children")) suites.push_back(s.at("value"));
  EXPECT_EQ(suites, (std::vector<std::string>{"TLS_EMPTY_RENEGOTIATION_INFO_SCSV", "TLS_RSA_WITH_AES_256_CBC_SHA",
                                              "TLS_DHE_DSS_WITH_AES_256_CBC_SHA", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
                                              "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_DHE_DSS_WITH_AES_128_CBC_SHA",
                                              "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"}));
  EXPECT_EQ(sections[0].at("source"), kSeed002 + ":32-35");

  const auto& reply = sections[1].at("fields")[0];
  EXPECT_EQ(reply.at("value"), "plaintext");
  EXPECT_EQ(child(reply, "plaintext")->at("value"), "550 T");
  EXPECT_EQ(child(reply, "plaintext_kind")->at("value"), "ftp-reply");
  EXPECT_EQ(r.out.find("\"content_type\""), std::string::npos);  // never read as a record of content type 53

  std::vector<std::string> ids;
  for (const auto& f : doc.at("findings")) ids.push_back(f.at("id"));
  EXPECT_EQ(ids, (std::vector<std::string>{"tls.plaintext-reply", "tls.client-hello-legacy-only"}));
}

TEST(DecodeCli, TextNamesTheFindingsAndLines) {
  const Ran r = shakedown("decode " + kExamples + "zos-systemssl-ftps-tls10.txt");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("TLS alert: fatal protocol_version (tls.alert.protocol_version, high)"), std::string::npos);
  EXPECT_NE(r.out.find("* Highest version offered: TLS 1.0 (0x0301)."), std::string::npos);
  EXPECT_NE(r.out.find("zos-systemssl-ftps-tls10.txt:13-16"), std::string::npos);
}

TEST(DecodeCli, ReadsStandardInput) {
  const Ran r = shakedown("decode --format json - < " + kExamples + "openssl-s_client-msg-tls13.txt");
  EXPECT_EQ(r.code, 1);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc.at("findings").at(0).at("id"), "tls.alert.certificate_required");
  EXPECT_EQ(doc.at("findings").at(0).at("evidence").at(0).at("file"), "-");
}

TEST(DecodeCli, NothingWrongExitsZero) {
  // a TLS 1.2 ClientHello with SNI, signature_algorithms and an ECDHE-GCM suite, as xxd prints it
  const std::string hello = "160301004b0100004703030000000000000000000000000000000000000000000000000000000000000000000002c02f0100"
                            "001c000000080006000003612e62000d000400020804000a00040002001d";
  const Ran r = shakedown("decode - < /dev/null; printf " + hello + " | xxd -r -p | xxd | " + std::string(SD_BINARY_DIR) + "/shakedown decode -");
  EXPECT_EQ(r.code, 0) << r.out;
}

TEST(DecodeCli, UnreadableFileIsOneLineAndExitTwo) {
  const Ran r = shakedown("decode /nonexistent/trace.txt 2>&1");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "shakedown: decode: cannot read '/nonexistent/trace.txt'\n");
}

}  // namespace
