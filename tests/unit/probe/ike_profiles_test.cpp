// IKE peer profiles (data/profiles/ike): every file is compiled in and loads, names only transforms the registry
// knows, and says where its list comes from.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "ikeprofiles/profiles.h"

namespace sd::probe::ike {
namespace {

std::set<std::string> profile_files() {
  std::set<std::string> ids;
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(SD_SOURCE_DIR) / "data/profiles/ike"))
    if (e.path().extension() == ".yaml") ids.insert(e.path().stem().string());
  return ids;
}

TEST(IkeProfiles, EveryFileLoadsUnderItsOwnId) {
  std::set<std::string> loaded;
  for (const auto& p : peer_profiles()) loaded.insert(p.id);
  EXPECT_EQ(loaded, profile_files());
  EXPECT_EQ(peer_profiles().size(), profile_files().size());
}

TEST(IkeProfiles, EveryProfileSaysWhereItComesFrom) {
  for (const auto& p : peer_profiles()) {
    EXPECT_TRUE(p.source.starts_with("Captured:") || p.source.starts_with("Documented:")) << p.id << ": " << p.source;
    EXPECT_FALSE(p.name.empty()) << p.id;
    EXPECT_FALSE(p.platform.empty()) << p.id;
    EXPECT_FALSE(p.proposals.empty()) << p.id;
    for (const auto& proposal : p.proposals) EXPECT_GE(proposal.size(), 3u) << p.id;
  }
}

TEST(IkeProfiles, UnknownTransformIsRefused) {
  std::string error;
  const auto p = parse_profile(
      "id: x\nname: x\nplatform: x\nrelease: x\nsource: 'Documented: x'\nke_group: MODP_2048\n"
      "proposals:\n  - [ENCR_NOT_A_CIPHER, PRF_HMAC_SHA1, MODP_2048]\n",
      error);
  EXPECT_FALSE(p.has_value());
  EXPECT_NE(error.find("ENCR_NOT_A_CIPHER"), std::string::npos) << error;
}

TEST(IkeProfiles, AzureDefaultOffersOnlyGroup2) {
  const PeerProfile* azure = nullptr;
  for (const auto& p : peer_profiles())
    if (p.id == "azure-vpn-gateway-default") azure = &p;
  ASSERT_NE(azure, nullptr);
  ASSERT_EQ(azure->proposals.size(), 4u);
  for (const auto& proposal : azure->proposals) EXPECT_EQ(proposal.back(), "MODP_1024");
  EXPECT_EQ(azure->proposals[0], (std::vector<std::string>{"ENCR_AES_CBC/256", "AUTH_HMAC_SHA1_96", "PRF_HMAC_SHA1",
                                                          "MODP_1024"}));
}

// AWS's defaults: CBC with integrity in one proposal, GCM without integrity in another, groups 2 and 14–24 in both.
TEST(IkeProfiles, AwsDefaultSplitsCombinedModeCiphersIntoTheirOwnProposal) {
  const PeerProfile* aws = nullptr;
  for (const auto& p : peer_profiles())
    if (p.id == "aws-site-to-site-vpn-default") aws = &p;
  ASSERT_NE(aws, nullptr);
  ASSERT_EQ(aws->proposals.size(), 2u);
  const auto has_prefix = [](const std::vector<std::string>& proposal, std::string_view prefix) {
    return std::any_of(proposal.begin(), proposal.end(), [&](const std::string& t) { return t.starts_with(prefix); });
  };
  EXPECT_TRUE(has_prefix(aws->proposals[0], "AUTH_"));
  EXPECT_FALSE(has_prefix(aws->proposals[1], "AUTH_"));
  EXPECT_TRUE(has_prefix(aws->proposals[1], "ENCR_AES_GCM_16"));
  for (const auto& proposal : aws->proposals) {
    EXPECT_EQ(proposal[proposal.size() - 12], "MODP_1024");
    EXPECT_EQ(proposal.back(), "MODP_2048_256");
  }
}

}  // namespace
}  // namespace sd::probe::ike
