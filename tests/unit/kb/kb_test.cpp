// The whole knowledge base: schema and invariants, one Vectorscan database, and every rule's real test cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "kb/matcher.h"
#include "logs/format.h"

namespace sd::kb {
namespace {

const std::string kSource = SD_SOURCE_DIR;

const Matcher& embedded() {
  static const std::unique_ptr<Matcher> m = [] {
    auto loaded = load_embedded();
    std::vector<KbError> errors;
    return Matcher::compile(std::move(loaded.kb), errors);
  }();
  return *m;
}

std::vector<std::string> diagnose(const Matcher& m, const TestCase& t) {
  logs::ReadOptions o;
  o.forced_format = t.log_format;
  Scan scan(m);
  std::vector<std::string> files{t.file};
  files.insert(files.end(), t.extra.begin(), t.extra.end());
  for (const auto& f : files) {
    std::ifstream in(kSource + "/" + f, std::ios::binary);
    EXPECT_TRUE(in) << "test case file missing: " << f;
    logs::read_events(in, f, o, [&](const logs::Event& ev) { scan.feed(ev); });
  }
  std::vector<std::string> ids;
  for (const auto& f : scan.finish().findings) ids.push_back(f.id);
  return ids;
}

std::string joined(const std::vector<std::string>& ids) {
  std::string s;
  for (const auto& id : ids) s += (s.empty() ? "" : ", ") + id;
  return "[" + s + "]";
}

TEST(KnowledgeBase, LoadsWithoutErrorsAndPassesTheSchema) {
  const auto loaded = load_embedded();
  for (const auto& e : loaded.errors) ADD_FAILURE() << e.where << ": " << e.message;
  for (const auto& e : check(loaded.kb)) ADD_FAILURE() << e.where << ": " << e.message;
  EXPECT_GE(loaded.kb.rules.size(), 30u);
}

TEST(KnowledgeBase, AllPatternsCompileIntoOneDatabase) {
  auto loaded = load_embedded();
  std::size_t patterns = 0;
  for (const auto& r : loaded.kb.rules)
    for (const auto& s : r.signals) patterns += s.pattern.empty() ? 0 : 1;
  std::vector<KbError> errors;
  const auto m = Matcher::compile(std::move(loaded.kb), errors);
  for (const auto& e : errors) ADD_FAILURE() << e.where << ": " << e.message;
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->pattern_count(), patterns);
}

TEST(KnowledgeBase, EveryRuleHasAReferenceWithAnIdAndARealTestCase) {
  for (const auto& r : embedded().kb().rules) {
    EXPECT_FALSE(r.references.empty()) << r.id;
    for (const auto& ref : r.references) EXPECT_FALSE(ref.id.empty()) << r.id;
    EXPECT_FALSE(r.tests.empty()) << r.id;
    for (const auto& t : r.tests) {
      EXPECT_FALSE(t.source.empty()) << r.id;
      EXPECT_TRUE(std::ifstream(kSource + "/" + t.file).good()) << r.id << ": " << t.file;
    }
  }
}

TEST(KnowledgeBase, PinnedIdsExist) {
  const std::set<std::string> pinned{
      "ftps.vsftpd-ssl-request-cert",      "ftps.vsftpd-require-ssl-reuse",
      "tls.plaintext-reply-to-client-hello", "tls.client-version-too-old",
      "tls.no-shared-cipher",              "ssh.aix-efs-keystore-request",
      "ssh.no-matching-host-key",          "ssh.no-matching-kex",
      "ssh.no-matching-cipher",            "ssh.no-matching-mac",
      "ike.no-proposal-chosen",            "ike.authentication-failed",
      "ike.ts-unacceptable",               "ike.ikev2-simultaneous-rekey-after-cert-expiry",
      "nim.nimsh-ssl-create-bio-hang",     "nim.nimsh-openssl-library-mismatch"};
  std::set<std::string> ids;
  for (const auto& r : embedded().kb().rules) ids.insert(r.id);
  for (const auto& id : pinned) EXPECT_TRUE(ids.count(id)) << id;
}

TEST(KnowledgeBase, EveryRuleDiagnosesItsTestCases) {
  for (const auto& r : embedded().kb().rules) {
    for (const auto& t : r.tests) {
      const auto ids = diagnose(embedded(), t);
      if (t.expect == "top") {
        EXPECT_TRUE(!ids.empty() && ids.front() == r.id) << r.id << " not first for " << t.file << ": " << joined(ids);
      } else {
        EXPECT_NE(std::find(ids.begin(), ids.end(), r.id), ids.end()) << r.id << " missing for " << t.file << ": "
                                                                      << joined(ids);
      }
    }
  }
}

TEST(KnowledgeBase, DirectoryTreeMatchesTheEmbeddedCopy) {
  const auto from_dir = load_directory(kSource + "/data/kb");
  EXPECT_TRUE(from_dir.errors.empty());
  EXPECT_EQ(from_dir.kb.rules.size(), embedded().kb().rules.size());
}

}  // namespace
}  // namespace sd::kb
