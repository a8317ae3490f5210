// Each IKE peer profile predicted against gateway facts shaped like the live probe tests' charon proposal sets
// (tests/peers/test_probe_ike.cpp) and one legacy gateway: the exact "establishes with …" / "fails: …" text.
#include <gtest/gtest.h>

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

TEST(IkeProfilePredictions, ZosV2r4FailsOnTheGroupAloneAgainstTheCbcCharon) {
  EXPECT_EQ(predicted("zos-iked-v2r4-default", cbc_charon()),
            kFails + "proposal 1 has no accepted KE (offers MODP_1024)");
  GatewayFacts with_group2 = cbc_charon();
  with_group2.groups.push_back(2);
  EXPECT_EQ(predicted("zos-iked-v2r4-default", with_group2),
            "establishes with proposal 1: ENCR_AES_CBC/128 PRF_HMAC_SHA1 AUTH_HMAC_SHA1_96 MODP_1024");
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
