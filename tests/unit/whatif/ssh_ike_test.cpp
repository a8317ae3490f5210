// SSH and IKE what-if on hand-built facts: names dropped from the lists, and exactly which profiles break.
#include <gtest/gtest.h>

#include <algorithm>

#include "whatif/ike.h"
#include "whatif/ssh.h"
#include "wire/ike/write.h"

namespace sd::whatif {
namespace {

using sd::ssh::KexList;

std::vector<Change> changes(const std::vector<std::string>& texts, Protocol p) {
  std::string error;
  auto out = parse_changes(texts, p, error);
  EXPECT_TRUE(out) << error;
  return out.value_or(std::vector<Change>{});
}

std::vector<std::string> broken_ids(const std::vector<report::Section>& sections) {
  std::vector<std::string> out;
  for (const auto& f : sections.at(0).fields)
    if (f.value == "connects → fails") out.push_back(f.name);
  return out;
}

sd::ssh::Kexinit sshd() {
  sd::ssh::Kexinit k;
  const auto set = [&](KexList which, std::vector<std::string> names) { k.lists[static_cast<std::size_t>(which)].value = std::move(names); };
  set(KexList::kex, {"curve25519-sha256", "diffie-hellman-group14-sha1", "kex-strict-s-v00@openssh.com"});
  set(KexList::host_key, {"rsa-sha2-256", "ssh-rsa", "ssh-ed25519"});
  for (const auto l : {KexList::cipher_c2s, KexList::cipher_s2c}) set(l, {"aes128-ctr", "chacha20-poly1305@openssh.com"});
  for (const auto l : {KexList::mac_c2s, KexList::mac_s2c}) set(l, {"hmac-sha2-256", "hmac-sha1"});
  for (const auto l : {KexList::compression_c2s, KexList::compression_s2c}) set(l, {"none"});
  return k;
}

const std::vector<std::string>& list(const sd::ssh::Kexinit& k, KexList which) { return k.list(which).value; }

TEST(WhatIfSsh, DropKeepsTheMarkersAndBothDirections) {
  Applied applied;
  const auto k = apply(sshd(), changes({"drop-kex:diffie-hellman-*", "drop-cipher:AES*", "drop-mac:hmac-sha1"}, Protocol::ssh), applied);
  EXPECT_EQ(list(k, KexList::kex), (std::vector<std::string>{"curve25519-sha256", "kex-strict-s-v00@openssh.com"}));
  EXPECT_EQ(list(k, KexList::cipher_c2s), (std::vector<std::string>{"chacha20-poly1305@openssh.com"}));
  EXPECT_EQ(list(k, KexList::cipher_s2c), (std::vector<std::string>{"chacha20-poly1305@openssh.com"}));
  EXPECT_EQ(list(k, KexList::mac_s2c), (std::vector<std::string>{"hmac-sha2-256"}));
  EXPECT_EQ(list(k, KexList::host_key).size(), 3u);
  EXPECT_TRUE(applied.notes.empty());
  const auto none = apply(sshd(), changes({"drop-hostkey:*"}, Protocol::ssh), applied);
  EXPECT_TRUE(list(none, KexList::host_key).empty());
  ASSERT_EQ(applied.notes.size(), 1u);
  EXPECT_EQ(applied.notes[0], "drop-hostkey:* leaves server_host_key_algorithms empty: every client breaks");
}

TEST(WhatIfSsh, DroppingGroup14BreaksOnlyTheOldClient) {
  const std::vector<const probe::ssh::ClientProfile*> chosen{probe::ssh::find_profile("openssh-5.3"),
                                                             probe::ssh::find_profile("openssh-9.2")};
  ASSERT_TRUE(chosen[0] && chosen[1]);
  std::vector<report::Section> sections;
  std::vector<Finding> findings;
  add_ssh_what_if(changes({"drop-kex:diffie-hellman-group14-*"}, Protocol::ssh), chosen, sshd(),
                  probe::ssh::Endpoint{"127.0.0.1", 2222}, "ssh://127.0.0.1:2222", sections, findings);
  ASSERT_EQ(sections.size(), 1u);
  EXPECT_EQ(sections[0].title, "what if: drop-kex:diffie-hellman-group14-*");
  EXPECT_EQ(broken_ids(sections), (std::vector<std::string>{"openssh-5.3"}));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].title, chosen[0]->name + " will break: no kex left in common with the server");
  EXPECT_EQ(sections[0].notes[0], "1 of 2 profiles break, 0 change otherwise, 1 unaffected");
}

probe::ike::GatewayFacts gateway() {
  probe::ike::GatewayFacts f;
  for (const char* n : {"ENCR_AES_CBC/256", "ENCR_AES_CBC/128", "ENCR_3DES"}) f.encryption.push_back(*sd::ike::transform_named(n));
  for (const char* n : {"PRF_HMAC_SHA2_256", "PRF_HMAC_SHA1"}) f.prf.push_back(*sd::ike::transform_named(n));
  for (const char* n : {"AUTH_HMAC_SHA2_256_128", "AUTH_HMAC_SHA1_96"}) f.integrity.push_back(*sd::ike::transform_named(n));
  f.groups = {14, 19, 2};
  return f;
}

TEST(WhatIfIke, DropMatchesWithOrWithoutKeyLength) {
  Applied applied;
  const auto one = apply(gateway(), changes({"drop-encr:ENCR_AES_CBC/128"}, Protocol::ike), applied);
  ASSERT_EQ(one.encryption.size(), 2u);
  EXPECT_EQ(one.encryption[0].key_length, std::optional<std::uint16_t>(256));
  const auto both = apply(gateway(), changes({"drop-encr:ENCR_AES_CBC", "drop-integ:*SHA1*", "drop-prf:PRF_HMAC_SHA1"}, Protocol::ike), applied);
  ASSERT_EQ(both.encryption.size(), 1u);
  EXPECT_EQ(both.encryption[0].id, 3);  // ENCR_3DES
  EXPECT_EQ(both.integrity.size(), 1u);
  EXPECT_EQ(both.prf.size(), 1u);
  EXPECT_TRUE(applied.notes.empty());
  const auto groups = apply(gateway(), changes({"drop-group:MODP_*"}, Protocol::ike), applied);
  EXPECT_EQ(groups.groups, (std::vector<std::uint16_t>{19}));
  apply(gateway(), changes({"drop-group:*"}, Protocol::ike), applied);
  ASSERT_EQ(applied.notes.size(), 1u);
  EXPECT_EQ(applied.notes[0], "drop-group:* leaves no key exchange group accepted: every peer breaks");
}

TEST(WhatIfIke, DroppingModp1024BreaksTheModp1024Peers) {
  std::vector<const probe::ike::PeerProfile*> chosen;
  for (const auto& p : probe::ike::peer_profiles()) chosen.push_back(&p);
  std::vector<report::Section> sections;
  std::vector<Finding> findings;
  add_ike_what_if(changes({"drop-group:MODP_1024"}, Protocol::ike), chosen, gateway(), "ike://127.0.0.1:500", sections,
                  findings);
  auto broken = broken_ids(sections);
  std::sort(broken.begin(), broken.end());
  EXPECT_EQ(broken, (std::vector<std::string>{"azure-vpn-gateway-default", "cisco-asa-9-ikev2-asdm",
                                              "cisco-ios-15-ikev2-smart-defaults", "windows-ikev2-client-default",
                                              "zos-iked-v2r4-default"}));
  EXPECT_EQ(findings.size(), 5u);
  EXPECT_EQ(sections[0].fields[0].value, "ike");
}

TEST(WhatIfCompare, UnusedChangeNamesTheFirstWithoutASection) {
  report::Section tls{.kind = "what-if", .title = "what if: no-tls1.0"};
  tls.fields.push_back(leaf("protocol", "tls"));
  EXPECT_EQ(unused_change({"no-tls1.0", "drop-group:x25519"}, {tls}), "");
  EXPECT_EQ(unused_change({"no-tls1.0", "drop-kex:x"}, {tls}), "drop-kex:x");
  EXPECT_EQ(unused_change({"drop-encr:ENCR_3DES"}, {}), "drop-encr:ENCR_3DES");
}

TEST(WhatIfCompare, MissingProfilesCountAsChanged) {
  const Outcome a{.profile_id = "a", .name = "A", .verdict = "connects", .summary = "connects: x"};
  const Outcome b{.profile_id = "b", .name = "B", .verdict = "connects", .summary = "connects: y"};
  Outcome b_fails = b;
  b_fails.verdict = "fails";
  b_fails.summary = "fails: z";
  const auto c = compare({a, b}, {a, b_fails});
  EXPECT_EQ(c.total, 2u);
  EXPECT_EQ(c.unaffected, 1u);
  EXPECT_EQ(c.broken(), 1u);
  const auto gone = compare({a, b}, {a});
  EXPECT_EQ(gone.changed.size(), 1u);
  EXPECT_EQ(gone.changed[0].after.verdict, "unknown");
  EXPECT_FALSE(gone.changed[0].breaks());
}

}  // namespace
}  // namespace sd::whatif
