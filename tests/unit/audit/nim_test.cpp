// NIM /etc/niminfo (issue 7 item 2): variables with file:line, and the seed-003 checks it drives on a client whose
// niminfo says nimsh with /ssl_nimsh configured - no copy of the master's certificate, an expired copy, a copy
// that differs from the master's - each with the niminfo lines as evidence and the KB's nimclient fixes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "audit/audit.h"
#include "audit/nim/niminfo.h"

namespace sd::audit {
namespace {

namespace fs = std::filesystem;

const std::string kDir = std::string(SD_SOURCE_DIR) + "/examples/audit/nim/";
constexpr std::time_t kNow = 1795305600;  // 2026-11-22T00:00:00Z

// A host root with the example niminfo at etc/niminfo and /ssl_nimsh/{certs,keys,configs}, certs holding `pem`.
fs::path client_root(const std::string& name, const std::string& pem) {
  const auto root = fs::path(testing::TempDir()) / ("nim-" + name);
  fs::remove_all(root);
  for (const auto* sub : {"etc", "ssl_nimsh/certs", "ssl_nimsh/keys", "ssl_nimsh/configs"}) fs::create_directories(root / sub);
  fs::copy_file(kDir + "niminfo-client-secure", root / "etc/niminfo");
  if (!pem.empty()) fs::copy_file(kDir + pem, root / "ssl_nimsh/certs/server.pem");
  return root;
}

Options at(const fs::path& root) {
  Options o;
  o.root = root.string();
  o.now = kNow;
  return o;
}

TEST(NimInfo, VariablesKeepTheirLineAndLoseTheirQuotes) {
  const auto path = kDir + "niminfo-client-secure";
  const auto p = nim::parse_niminfo(path, read_config_file(path).text);
  ASSERT_FALSE(p.error) << p.error->text();
  EXPECT_EQ(p.info.get("NIM_NAME")->value, "aixclient1");
  EXPECT_EQ(p.info.get("NIM_MASTER_HOSTNAME")->line, 7u);
  EXPECT_EQ(p.info.get("NIM_MASTER_PORT")->value, "1058");
  EXPECT_EQ(p.info.get("NIM_REGISTRATION_PORT")->value, "1059");
  EXPECT_EQ(p.info.get("NIM_SHELL")->value, "nimsh");
  EXPECT_EQ(p.info.get("NIM_SHELL")->line, 10u);
  EXPECT_TRUE(p.info.nimsh());
  EXPECT_FALSE(p.info.ssl_switch());
  EXPECT_EQ(nim::root_of("/x/etc/niminfo"), "/x");
}

TEST(NimInfo, NotAnAssignmentIsAnErrorAtItsLine) {
  const auto p = nim::parse_niminfo("niminfo", "export NIM_NAME=a\nexport NIM_SHELL\n");
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->text(), "niminfo:2: 'export NIM_SHELL' is not a NAME=value assignment");
}

TEST(NimInfo, SecureNimshWithNoCertificateCopy) {
  const auto root = client_root("missing", "");
  const auto out = run({(root / "etc/niminfo").string()}, at(root));
  ASSERT_FALSE(out.error) << out.error->text();
  ASSERT_EQ(out.findings.size(), 1u);
  const auto& f = out.findings[0];
  EXPECT_EQ(f.id, "nim.nimsh-ssl-create-bio-hang");
  ASSERT_EQ(f.evidence.size(), 3u);
  EXPECT_EQ(f.evidence[0].file, (root / "etc/niminfo").string());
  EXPECT_EQ(f.evidence[0].line, 10u);
  EXPECT_EQ(f.evidence[0].text, "export NIM_SHELL=\"nimsh\"");
  EXPECT_EQ(f.evidence[1].line, 7u);
  EXPECT_EQ(f.evidence[2].text, "no certificate in /ssl_nimsh/certs");
  EXPECT_NE(f.cause.find("holds no certificate"), std::string::npos);
  ASSERT_FALSE(f.fixes.empty());
  EXPECT_NE(f.fixes[0].snippet.find("nimconfig -C"), std::string::npos);
}

TEST(NimInfo, ExpiredCopyIsStaleWithTheDate) {
  const auto root = client_root("expired", "master-2020-expired.pem");
  const auto out = run({}, at(root));  // the root's own /etc/niminfo is read
  ASSERT_FALSE(out.error) << out.error->text();
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].id, "nim.nimsh-ssl-create-bio-hang");
  EXPECT_EQ(out.findings[0].evidence.at(2).file, (root / "ssl_nimsh/certs/server.pem").string());
  EXPECT_EQ(out.findings[0].evidence.at(2).text, "CN = nimmaster.example.com expired on 2025-03-01");
}

TEST(NimInfo, CopyThatDiffersFromTheMastersCarriesTheNiminfoLines) {
  const auto root = client_root("stale", "master-2026.pem");
  EXPECT_TRUE(run({}, at(root)).findings.empty());  // a valid copy alone says nothing
  const auto master = client_root("master", "master-2026.pem");
  fs::copy_file(kDir + "master-2020-expired.pem", root / "ssl_nimsh/certs/server.pem", fs::copy_options::overwrite_existing);
  auto o = at(root);
  o.master_root = master.string();
  o.now = 1700000000;  // 2023: the client's copy is still within its dates, only the master has moved on
  const auto out = run({}, o);
  ASSERT_EQ(out.findings.size(), 1u);
  const auto& f = out.findings[0];
  EXPECT_EQ(f.id, "nim.nimsh-ssl-create-bio-hang");
  EXPECT_EQ(f.evidence.at(0).text, "export NIM_SHELL=\"nimsh\"");
  EXPECT_EQ(f.evidence.at(1).text, "export NIM_MASTER_HOSTNAME=nimmaster.example.com");
  EXPECT_NE(f.cause.find("No certificate in the client's /ssl_nimsh/certs is a copy"), std::string::npos);
}

TEST(NimInfo, PlainNimshWithoutTheTreeIsNotChecked) {
  const auto root = fs::path(testing::TempDir()) / "nim-plain";
  fs::remove_all(root);
  fs::create_directories(root / "etc");
  fs::copy_file(kDir + "niminfo-client-secure", root / "etc/niminfo");
  EXPECT_TRUE(run({}, at(root)).findings.empty());
  std::ofstream(root / "etc/niminfo", std::ios::app) << "export NIM_SSL=yes\n";
  const auto out = run({}, at(root));
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].evidence.at(2).line, 18u);  // the switch line
}

}  // namespace
}  // namespace sd::audit
