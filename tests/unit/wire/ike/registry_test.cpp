// Invariants over the whole IKE registry data, and a few lookups.
#include <gtest/gtest.h>

#include <set>

#include "wire/ike/registry.h"

namespace sd::ike {
namespace {

TEST(IkeRegistry, EveryCodePointHasANameAndASourceAndIsUnique) {
  ASSERT_GT(code_points().size(), 150u);
  std::set<std::pair<std::string, std::uint64_t>> codes;
  std::set<std::pair<std::string, std::string>> names;
  for (const auto& c : code_points()) {
    EXPECT_FALSE(c.registry.empty());
    EXPECT_FALSE(c.name.empty()) << c.registry << " " << c.code;
    EXPECT_FALSE(c.source.empty()) << c.registry << " " << c.code;
    EXPECT_TRUE(codes.insert({c.registry, c.code}).second) << "duplicate " << c.registry << " " << c.code;
    EXPECT_TRUE(names.insert({c.registry, c.name}).second) << "duplicate " << c.registry << " " << c.name;
  }
}

TEST(IkeRegistry, NotifyKindsFollowTheNumbering) {
  ASSERT_GT(notify_types().size(), 80u);
  std::set<std::uint16_t> seen;
  for (const auto& n : notify_types()) {
    EXPECT_EQ(n.error, n.code < 16384) << n.name;
    EXPECT_FALSE(n.source.empty()) << n.name;
    EXPECT_TRUE(seen.insert(n.code).second) << n.name;
  }
  EXPECT_EQ(notify_label(14), "NO_PROPOSAL_CHOSEN");
  EXPECT_EQ(notify_label(17), "INVALID_KE_PAYLOAD");
  EXPECT_EQ(notify_label(24), "AUTHENTICATION_FAILED");
  EXPECT_EQ(notify_label(38), "TS_UNACCEPTABLE");
  EXPECT_EQ(notify_label(16390), "COOKIE");
  EXPECT_EQ(notify_label(16430), "IKEV2_FRAGMENTATION_SUPPORTED");
  EXPECT_EQ(notify_label(100), "UNKNOWN_ERROR(100)");
}

TEST(IkeRegistry, GroupsHaveKeSizes) {
  for (const auto& g : dh_groups()) {
    EXPECT_FALSE(g.source.empty()) << g.name;
    if (g.code != 0) {
      EXPECT_GT(g.initiator_ke_bytes, 0u) << g.name;
    }
  }
  ASSERT_NE(dh_group(14), nullptr);
  EXPECT_EQ(dh_group(14)->initiator_ke_bytes, 256u);
  EXPECT_EQ(dh_group(21)->responder_ke_bytes, 132u);
  EXPECT_EQ(dh_group(31)->name, "CURVE25519");
  EXPECT_EQ(dh_group_label(99), "UNKNOWN(99)");
}

TEST(IkeRegistry, TransformIdsResolvePerType) {
  EXPECT_EQ(transform_id_label(1, 20), "ENCR_AES_GCM_16");
  EXPECT_EQ(transform_id_label(2, 5), "PRF_HMAC_SHA2_256");
  EXPECT_EQ(transform_id_label(3, 12), "AUTH_HMAC_SHA2_256_128");
  EXPECT_EQ(transform_id_label(4, 19), "ECP_256");
  EXPECT_EQ(transform_id_label(5, 0), "NO_ESN");
  EXPECT_EQ(transform_id_label(6, 36), "ML_KEM_768");
  EXPECT_EQ(code_of("exchange", "IKE_AUTH"), 35u);
  EXPECT_EQ(payload_label(53), "SKF");
}

TEST(IkeRegistry, VendorIdsMatchByLongestPrefix) {
  std::set<std::string> names;
  std::set<ByteVec> prefixes;
  for (const auto& v : vendor_ids()) {
    EXPECT_FALSE(v.prefix.empty()) << v.name;
    EXPECT_FALSE(v.source.empty()) << v.name;
    EXPECT_TRUE(names.insert(v.name).second) << "duplicate " << v.name;
    EXPECT_TRUE(prefixes.insert(v.prefix).second) << "duplicate prefix of " << v.name;
  }
  const auto netscreen = from_hex("699369228741c6d4ca094c93e242c9de19e7b7c60000000900000500").value();
  ASSERT_NE(match_vendor_id(netscreen), nullptr);
  EXPECT_EQ(match_vendor_id(netscreen)->vendor, "Juniper");
  const auto windows = from_hex("1e2b516905991c7d7c96fcbfb587e46100000009").value();
  ASSERT_NE(match_vendor_id(windows), nullptr);
  EXPECT_EQ(match_vendor_id(windows)->vendor, "Microsoft");
  const auto openswan = from_hex("4f456971726d54726e464a71").value();
  EXPECT_EQ(match_vendor_id(openswan)->vendor, "FreeS/WAN/Openswan");
  const std::string_view libreswan = "OE-Libreswan-4.12";
  EXPECT_EQ(match_vendor_id(Bytes(reinterpret_cast<const std::uint8_t*>(libreswan.data()), libreswan.size()))->vendor,
            "Libreswan");
  EXPECT_EQ(match_vendor_id(from_hex("00112233").value()), nullptr);
}

}  // namespace
}  // namespace sd::ike
