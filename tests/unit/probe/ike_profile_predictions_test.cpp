// Each IKE peer profile predicted against gateway facts shaped like the live probe tests' charon proposal sets
// (tests/peers/test_probe_ike.cpp) and one legacy gateway: the exact "establishes with …" / "fails: …" text.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "ikeprofiles/profiles.h"
#include "wire/ike/write.h"

namespace sd::probe::ike {
namespace {

std::vector<sd::ike::TransformSpec> specs(const std::vector<std::string>& names) {
  std::vector<sd::ike::TransformSpec> out;
  for (const auto& n : names) out.push_back(sd::ike::transform_named(n).value());
  return out;
}

GatewayFacts facts(const std::vector<std::string>& encr, const std::vector<std::string>& prf,
                   const std::vector<std::string>& integ, const std::vector<std::uint16_t>& groups) {
  GatewayFacts f;
  f.encryption = specs(encr);
  f.prf = specs(prf);
  f.integrity = specs(integ);
  f.groups = groups;
  return f;
}

// charon proposals = aes256-aes128-sha256-sha1-modp2048-ecp256, as the live probe lists it.
GatewayFacts cbc_charon() {
  return facts({"ENCR_AES_CBC/256", "ENCR_AES_CBC/128"}, {"PRF_HMAC_SHA2_256", "PRF_HMAC_SHA1"},
               {"AUTH_HMAC_SHA2_256_128", "AUTH_HMAC_SHA1_96"}, {14, 19});
}

// charon proposals = aes128gcm16-prfsha384-x25519.
GatewayFacts aead_charon() { return facts({"ENCR_AES_GCM_16/128"}, {"PRF_HMAC_SHA2_384"}, {}, {31}); }

// A legacy gateway: aes256-sha1-modp1024.
GatewayFacts legacy_gateway() {
  return facts({"ENCR_AES_CBC/256"}, {"PRF_HMAC_SHA1"}, {"AUTH_HMAC_SHA1_96"}, {2});
}

std::string predicted(const std::string& id, const GatewayFacts& f) {
  for (const auto& p : peer_profiles())
    if (p.id == id) return predict(p, f).text;
  return "(no profile " + id + ")";
}

const std::string kFails = "fails: NO_PROPOSAL_CHOSEN because ";

const PeerProfile& profile(const std::string& id) {
  for (const auto& p : peer_profiles())
    if (p.id == id) return p;
  throw std::runtime_error("no profile " + id);
}

// The z/OS DHGroup default is not in any stored IBM page: the profile assumes Group2 and names groups 1, 5 and 14 as
// alternatives. Against a group-14 charon the outcome turns on that default, and the prediction says so.
TEST(IkeProfilePredictions, ZosV2r4FailsOnTheGroupAloneAgainstTheCbcCharonUnlessTheDefaultIsGroup14) {
  const Prediction fails = predict(profile("zos-iked-v2r4-default"), cbc_charon());
  EXPECT_FALSE(fails.establishes);
  EXPECT_FALSE(fails.certain);
  EXPECT_EQ(fails.text, kFails + "proposal 1 has no accepted KE (offers MODP_1024) - if the KeyExchangeOffer DHGroup "
                                 "default is MODP_1024 as assumed; it establishes if it is MODP_2048, and no document "
                                 "found says which");
  const Finding finding = prediction_finding(profile("zos-iked-v2r4-default"), fails, "gw");
  EXPECT_EQ(finding.id, "ike.no-proposal-chosen");
  EXPECT_EQ(finding.severity, Severity::medium);
  EXPECT_DOUBLE_EQ(finding.confidence, 0.5);
  EXPECT_NE(finding.title.find("only if an unconfirmed default is as assumed"), std::string::npos) << finding.title;

  GatewayFacts with_group2 = cbc_charon();
  with_group2.groups.push_back(2);
  const Prediction establishes = predict(profile("zos-iked-v2r4-default"), with_group2);
  EXPECT_TRUE(establishes.establishes);
  EXPECT_FALSE(establishes.certain);
  EXPECT_EQ(establishes.text, "establishes with proposal 1: ENCR_AES_CBC/128 PRF_HMAC_SHA1 AUTH_HMAC_SHA1_96 MODP_1024 "
                              "- if the KeyExchangeOffer DHGroup default is MODP_1024 as assumed; it fails if it is "
                              "MODP_768 or MODP_1536, and no document found says which");
}

TEST(IkeProfilePredictions, AnOutcomeNoAlternativeChangesStaysCertain) {
  const Prediction p = predict(profile("zos-iked-v2r4-default"), aead_charon());
  EXPECT_TRUE(p.certain);
  const Finding finding = prediction_finding(profile("zos-iked-v2r4-default"), p, "gw");
  EXPECT_EQ(finding.severity, Severity::high);
  GatewayFacts every_modp = cbc_charon();
  every_modp.groups = {1, 2, 5, 14};
  const Prediction q = predict(profile("zos-iked-v2r4-default"), every_modp);
  EXPECT_TRUE(q.establishes);
  EXPECT_TRUE(q.certain);
  EXPECT_EQ(q.text, "establishes with proposal 1: ENCR_AES_CBC/128 PRF_HMAC_SHA1 AUTH_HMAC_SHA1_96 MODP_1024");
}

TEST(IkeProfilePredictions, AnUnconfirmedEntryMustNameATransformTheProposalsUse) {
  const std::string head = "id: x\nname: X\nsource: \"Documented test\"\nproposals:\n  - [ENCR_AES_CBC/128, PRF_HMAC_SHA1, "
                           "AUTH_HMAC_SHA1_96, MODP_1024]\n";
  std::string error;
  EXPECT_TRUE(parse_profile(head + "unconfirmed:\n  - what: w\n    assumed: MODP_1024\n    alternatives: [MODP_2048]\n",
                            error)) << error;
  EXPECT_FALSE(parse_profile(head + "unconfirmed:\n  - what: w\n    assumed: MODP_2048\n    alternatives: [MODP_768]\n",
                             error));
  EXPECT_EQ(error, "x: an unconfirmed entry needs what, an assumed transform the proposals use, and alternatives");
  EXPECT_FALSE(parse_profile(head + "unconfirmed:\n  - what: w\n    assumed: MODP_1024\n    alternatives: [MODP_9]\n",
                             error));
  EXPECT_EQ(error, "x: unknown transform MODP_9");
}

TEST(IkeProfilePredictions, ZosFailsOnEveryTypeAgainstTheAeadCharon) {
  EXPECT_EQ(predicted("zos-iked-v2r4-default", aead_charon()),
            kFails + "proposal 1 has no accepted ENCR (offers ENCR_AES_CBC/128); PRF (offers PRF_HMAC_SHA1); "
                     "INTEG (offers AUTH_HMAC_SHA1_96); KE (offers MODP_1024)");
  EXPECT_EQ(predicted("zos-iked-v2r1-default", legacy_gateway()),
            kFails + "proposal 1 has no accepted ENCR (offers ENCR_DES)");
  EXPECT_EQ(predicted("zos-iked-v2r4-default", legacy_gateway()),
            kFails + "proposal 1 has no accepted ENCR (offers ENCR_AES_CBC/128)");
}

TEST(IkeProfilePredictions, CiscoIos15SmartDefaultsNeedGroup5Or2) {
  EXPECT_EQ(predicted("cisco-ios-15-ikev2-smart-defaults", cbc_charon()),
            kFails + "proposal 1 has no accepted KE (offers MODP_1536, MODP_1024)");
  EXPECT_EQ(predicted("cisco-ios-15-ikev2-smart-defaults", legacy_gateway()),
            "establishes with proposal 1: ENCR_AES_CBC/256 PRF_HMAC_SHA1 AUTH_HMAC_SHA1_96 MODP_1024");
}

TEST(IkeProfilePredictions, CiscoIosXe17SmartDefaultsNeedSha384OrBetter) {
  EXPECT_EQ(predicted("cisco-iosxe-17-ikev2-smart-defaults", cbc_charon()),
            kFails + "proposal 1 has no accepted PRF (offers PRF_HMAC_SHA2_512, PRF_HMAC_SHA2_384); INTEG (offers "
                     "AUTH_HMAC_SHA2_512_256, AUTH_HMAC_SHA2_384_192)");
  const GatewayFacts modern = facts({"ENCR_AES_CBC/256"}, {"PRF_HMAC_SHA2_384"}, {"AUTH_HMAC_SHA2_384_192"}, {14, 19});
  EXPECT_EQ(predicted("cisco-iosxe-17-ikev2-smart-defaults", modern),
            "establishes with proposal 1: ENCR_AES_CBC/256 PRF_HMAC_SHA2_384 AUTH_HMAC_SHA2_384_192 MODP_2048");
}

TEST(IkeProfilePredictions, CiscoAsaWizardPoliciesEstablishOnlyWithAGroup5Or2Gateway) {
  const std::string fails = predicted("cisco-asa-9-ikev2-asdm", cbc_charon());
  EXPECT_TRUE(fails.starts_with(kFails + "proposal 1 has no accepted KE (offers MODP_1536, MODP_1024); ")) << fails;
  EXPECT_NE(fails.find("proposal 5 has no accepted ENCR (offers ENCR_DES); KE (offers MODP_1536, MODP_1024)"),
            std::string::npos) << fails;
  EXPECT_EQ(predicted("cisco-asa-9-ikev2-asdm", legacy_gateway()),
            "establishes with proposal 1: ENCR_AES_CBC/256 PRF_HMAC_SHA1 AUTH_HMAC_SHA1_96 MODP_1024");
}

TEST(IkeProfilePredictions, WindowsAzureAndAwsAgainstTheCharonsAndTheLegacyGateway) {
  EXPECT_EQ(predicted("windows-ikev2-client-default", legacy_gateway()),
            "establishes with proposal 2: ENCR_AES_CBC/256 PRF_HMAC_SHA1 AUTH_HMAC_SHA1_96 MODP_1024");
  EXPECT_EQ(predicted("azure-vpn-gateway-default", legacy_gateway()),
            "establishes with proposal 1: ENCR_AES_CBC/256 PRF_HMAC_SHA1 AUTH_HMAC_SHA1_96 MODP_1024");
  EXPECT_TRUE(predicted("azure-vpn-gateway-default", cbc_charon()).starts_with(kFails));
  EXPECT_EQ(predicted("aws-site-to-site-vpn-default", cbc_charon()),
            "establishes with proposal 1: ENCR_AES_CBC/256 PRF_HMAC_SHA2_256 AUTH_HMAC_SHA2_256_128 MODP_2048");
  const std::string aws = predicted("aws-site-to-site-vpn-default", aead_charon());
  EXPECT_TRUE(aws.starts_with(kFails)) << aws;
  EXPECT_NE(aws.find("proposal 2 has no accepted KE (offers MODP_1024, MODP_2048"), std::string::npos) << aws;
}

TEST(IkeProfilePredictions, StrongSwanDefaultEstablishesWithBothCharons) {
  EXPECT_EQ(predicted("strongswan-5.9-default", aead_charon()),
            "establishes with proposal 2: ENCR_AES_GCM_16/128 PRF_HMAC_SHA2_384 CURVE25519");
  EXPECT_EQ(predicted("strongswan-5.9-default", cbc_charon()),
            "establishes with proposal 1: ENCR_AES_CBC/256 PRF_HMAC_SHA2_256 AUTH_HMAC_SHA2_256_128 MODP_2048");
}

}  // namespace
}  // namespace sd::probe::ike
