// Invariants over the SSH registries in data/registry/ssh-*.tsv, and lookups through them.
#include <gtest/gtest.h>

#include <set>

#include "vectors.h"
#include "wire/ssh/registry.h"
#include "wire/ssh/transcript.h"

namespace sd::ssh {
namespace {

TEST(Registry, EveryMessageRowIsCompleteAndInItsRange) {
  const auto& rows = message_table();
  ASSERT_EQ(rows.size(), 46u);
  std::set<std::pair<int, std::string>> seen;
  for (const auto& m : rows) {
    SCOPED_TRACE(m.name);
    EXPECT_GE(m.number, 1);
    EXPECT_FALSE(m.name.empty());
    EXPECT_FALSE(m.family.empty());
    EXPECT_FALSE(m.source.empty());
    EXPECT_TRUE(seen.insert({m.number, m.family}).second) << "duplicate number and family";
    const RangeInfo* r = find_range(m.number);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(m.layer, r->layer);
  }
}

TEST(Registry, OverloadedNumbersHaveNoPlainRow) {
  for (const std::uint8_t n : {30, 31, 32, 60}) {
    EXPECT_EQ(find_message(n), nullptr) << int(n);
    EXPECT_GE(find_messages(n).size(), 2u) << int(n);
  }
  EXPECT_EQ(find_message(30, "ecdh")->name, "KEX_ECDH_INIT");
  EXPECT_EQ(find_message(30, "gex")->name, "KEX_DH_GEX_REQUEST_OLD");
  EXPECT_EQ(find_message(20)->name, "KEXINIT");
}

TEST(Registry, RangesCoverOneTo255WithoutGaps) {
  int next = 1;
  for (const auto& r : range_table()) {
    EXPECT_EQ(r.first, next);
    EXPECT_GE(r.last, r.first);
    EXPECT_FALSE(r.source.empty());
    next = r.last + 1;
  }
  EXPECT_EQ(next, 256);
  EXPECT_EQ(find_range(200)->layer, "local-extension");
  EXPECT_EQ(find_range(0), nullptr);
}

TEST(Registry, DisconnectReasonsAreOneToFifteen) {
  const auto& rows = reason_table();
  ASSERT_EQ(rows.size(), 15u);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].code, i + 1);
    EXPECT_FALSE(rows[i].name.empty());
    EXPECT_FALSE(rows[i].source.empty());
  }
  EXPECT_EQ(find_reason(3)->name, "KEY_EXCHANGE_FAILED");
  EXPECT_EQ(find_reason(14)->name, "NO_MORE_AUTH_METHODS_AVAILABLE");
  EXPECT_EQ(find_reason(0), nullptr);
}

TEST(Registry, ChannelOpenFailuresAreOneToFour) {
  const auto& rows = channel_failure_table();
  ASSERT_EQ(rows.size(), 4u);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].code, i + 1);
    EXPECT_FALSE(rows[i].source.empty());
  }
  EXPECT_EQ(find_channel_failure(3)->name, "UNKNOWN_CHANNEL_TYPE");
}

TEST(Registry, AlgorithmRowsUseTheClosedVocabularies) {
  const std::set<std::string> kinds{"kex", "hostkey", "cipher", "mac", "compression"};
  const std::set<std::string> strengths{"ok", "caution", "weak", "broken", "marker"};
  const std::map<std::string, std::set<std::string>> families{
      {"kex", {"dh", "ecdh", "gex", "rsa", "marker"}},
      {"cipher", {"aead", "ctr", "cbc", "stream", "none"}},
      {"mac", {"etm", "eam", "none"}},
      {"compression", {"-"}}};
  std::set<std::pair<std::string, std::string>> seen;
  ASSERT_GE(algorithm_table().size(), 80u);
  for (const auto& a : algorithm_table()) {
    SCOPED_TRACE(a.name + " " + a.kind);
    EXPECT_TRUE(kinds.count(a.kind));
    EXPECT_TRUE(strengths.count(a.strength));
    EXPECT_FALSE(a.notes.empty());
    EXPECT_FALSE(a.source.empty());
    EXPECT_TRUE(seen.insert({a.name, a.kind}).second) << "duplicate";
    if (families.count(a.kind)) EXPECT_TRUE(families.at(a.kind).count(a.family)) << a.family;
    if (a.kind == "hostkey") EXPECT_NE(find_algorithm(a.family, "hostkey"), nullptr) << "key type not listed";
    EXPECT_EQ(a.strength == "marker", a.family == "marker");
  }
}

TEST(Registry, EveryAlgorithmRealOpenSshOffersIsKnown) {
  for (const char* name : {"sshd-kexinit.hex", "ssh-kexinit.hex"}) {
    const Transcript t = read_transcript(testing::vector_bytes(name));
    ASSERT_EQ(t.messages.size(), 1u);
    const auto& k = std::get<Kexinit>(t.messages[0].body);
    const std::pair<KexList, const char*> lists[] = {{KexList::kex, "kex"},
                                                     {KexList::host_key, "hostkey"},
                                                     {KexList::cipher_c2s, "cipher"},
                                                     {KexList::mac_c2s, "mac"},
                                                     {KexList::compression_c2s, "compression"}};
    for (const auto& [which, kind] : lists) {
      for (const auto& alg : k.list(which).value) EXPECT_NE(find_algorithm(alg, kind), nullptr) << name << " " << alg;
    }
  }
}

TEST(Registry, KexFamiliesAndStrengths) {
  EXPECT_EQ(kex_family("curve25519-sha256"), KexFamily::ecdh);
  EXPECT_EQ(kex_family("diffie-hellman-group14-sha1"), KexFamily::dh);
  EXPECT_EQ(kex_family("diffie-hellman-group-exchange-sha256"), KexFamily::gex);
  EXPECT_EQ(kex_family("rsa2048-sha256"), KexFamily::rsa);
  EXPECT_EQ(kex_family("no-such-kex"), KexFamily::unknown);
  EXPECT_EQ(kex_family("ext-info-c"), KexFamily::unknown);
  EXPECT_EQ(find_algorithm("ssh-rsa", "hostkey")->strength, "weak");
  EXPECT_EQ(find_algorithm("rsa-sha2-256", "hostkey")->family, "ssh-rsa");
  EXPECT_EQ(find_algorithm("arcfour", "cipher")->strength, "broken");
  EXPECT_EQ(find_algorithm("none", "compression")->strength, "ok");
  EXPECT_EQ(find_algorithm("none", "cipher")->strength, "broken");
}

}  // namespace
}  // namespace sd::ssh
