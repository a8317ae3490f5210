// Every finding id the audit can emit (the id literals in src/audit and the profile predictors it runs) has a KB
// rule, so an audit finding carries the same title, cause and references as explain and probe give for it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

#include "kb/rule.h"

namespace sd::kb {
namespace {

namespace fs = std::filesystem;

const std::string kSource = SD_SOURCE_DIR;

// Ids that are not a known failure and so have no rule: a fallback when a cause has no KB id, and a success.
const std::set<std::string> kNotFailures{"tls.profile-fails", "ike.profile-establishes"};

// Ids still without a rule, each with the reason; the list may only shrink.
const std::map<std::string, std::string> kPending{
};

// "family.name-with-hyphens" string literals in every .cpp/.h under the folders, with the file they are in.
std::map<std::string, std::string> id_literals(const std::vector<std::string>& folders) {
  static const std::regex kId(R"re("((?:tls|ssh|ike|ftps|zos|nim)\.[a-z0-9]+(?:-[a-z0-9]+)+)")re");
  std::map<std::string, std::string> out;
  for (const auto& folder : folders) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(kSource + "/" + folder, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      const auto ext = it->path().extension();
      if (ext != ".cpp" && ext != ".h") continue;
      std::ifstream in(it->path());
      const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
      for (std::sregex_iterator m(text.begin(), text.end(), kId), end; m != end; ++m)
        out.emplace((*m)[1].str(), fs::relative(it->path(), kSource).string());
    }
  }
  return out;
}

TEST(AuditIds, ScanFindsTheKnownAuditIds) {
  const auto ids = id_literals({"src/audit"});
  for (const auto* id : {"ftps.vsftpd-ssl-request-cert", "tls.chain-out-of-order", "ike.rekey-without-jitter",
                         "zos.ftp-attls-no-rule", "ssh.aix-efs-keystore-request", "nim.nimsh-ssl-create-bio-hang"})
    EXPECT_TRUE(ids.contains(id)) << id;
}

TEST(AuditIds, EveryIdTheAuditCanEmitHasARule) {
  const auto loaded = load_embedded();
  std::set<std::string> rules;
  for (const auto& r : loaded.kb.rules) rules.insert(r.id);
  const auto ids = id_literals({"src/audit", "src/tlsprofiles", "src/sshprofiles", "src/ikeprofiles"});
  ASSERT_GE(ids.size(), 20u);
  for (const auto& [id, file] : ids) {
    if (kNotFailures.contains(id) || kPending.contains(id)) continue;
    EXPECT_TRUE(rules.contains(id)) << id << " (emitted in " << file << ") has no rule in data/kb";
  }
}

}  // namespace
}  // namespace sd::kb
