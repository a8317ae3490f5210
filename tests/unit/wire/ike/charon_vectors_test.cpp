// Datagrams captured from real strongSwan charon 5.9.8 on this machine (tests/vectors/ike/capture.py).
// charon talks to a non-500 port as it does on 4500, so each datagram starts with the non-ESP marker.
#include <gtest/gtest.h>

#include <algorithm>

#include "vector_file.h"
#include "wire/ike/describe.h"
#include "wire/ike/registry.h"

namespace sd::ike {
namespace {

Message load(const std::string& name) {
  const ByteVec bytes = test::load_vector(name);
  EXPECT_FALSE(bytes.empty()) << name;
  auto m = parse_nat_t_datagram(bytes);
  EXPECT_TRUE(m.ok()) << name << ": " << (m.ok() ? "" : m.error().path + " " + m.error().message);
  return m.ok() ? m.value() : Message{};
}

std::vector<std::string> transform_names(const Proposal& p) {
  std::vector<std::string> out;
  for (const auto& t : p.transforms)
    out.push_back(transform_id_label(t.type, t.id) + (t.key_length ? "/" + std::to_string(*t.key_length) : ""));
  return out;
}

TEST(CharonVectors, SaInitRequestOffersBothProposals) {
  const Message m = load("sa-init-ok-request");
  EXPECT_TRUE(m.non_esp_marker);
  EXPECT_EQ(m.header.exchange_type, 34);
  EXPECT_TRUE(m.header.initiator());
  EXPECT_FALSE(m.header.response());
  EXPECT_EQ(m.header.message_id, 0u);
  EXPECT_EQ(m.header.responder_spi, 0u);
  EXPECT_EQ(m.header.length, 508u);
  EXPECT_EQ(summary(m), "IKE_SA_INIT request 0 [ SA KE Ni N(NAT_DETECTION_SOURCE_IP) N(NAT_DETECTION_DESTINATION_IP) "
                        "N(IKEV2_FRAGMENTATION_SUPPORTED) N(SIGNATURE_HASH_ALGORITHMS) N(REDIRECT_SUPPORTED) ]");
  const auto sa = m.all<SaPayload>();
  ASSERT_EQ(sa.size(), 1u);
  ASSERT_EQ(sa[0]->proposals.size(), 2u);
  EXPECT_EQ(transform_names(sa[0]->proposals[0]),
            (std::vector<std::string>{"ENCR_AES_CBC/256", "AUTH_HMAC_SHA2_256_128", "PRF_HMAC_SHA2_256", "MODP_2048"}));
  EXPECT_EQ(transform_names(sa[0]->proposals[1]),
            (std::vector<std::string>{"ENCR_AES_GCM_16/128", "PRF_HMAC_SHA2_256", "ECP_256", "CURVE25519"}));
  EXPECT_EQ(sa[0]->proposals[1].number, 2);
  const auto ke = m.all<KePayload>();
  ASSERT_EQ(ke.size(), 1u);
  EXPECT_EQ(ke[0]->group, 14);
  EXPECT_EQ(ke[0]->data.size(), 256u);
  EXPECT_TRUE(ke[0]->size_ok());
  EXPECT_EQ(m.all<NoncePayload>()[0]->data.size(), 32u);
  ASSERT_NE(m.notify(kNatDetectionSourceIp), nullptr);
  EXPECT_EQ(m.notify(kNatDetectionSourceIp)->data.size(), 20u);
  ASSERT_NE(m.notify(kSignatureHashAlgorithms), nullptr);
  EXPECT_EQ(m.notify(kSignatureHashAlgorithms)->hash_algorithms, (std::vector<std::uint16_t>{2, 3, 4, 5}));
}

TEST(CharonVectors, SaInitResponseChoosesOneProposalAndNamesStrongSwan) {
  const Message request = load("sa-init-ok-request");
  const Message m = load("sa-init-ok-response");
  EXPECT_TRUE(m.header.response());
  EXPECT_FALSE(m.header.initiator());
  EXPECT_EQ(m.header.initiator_spi, request.header.initiator_spi);
  EXPECT_NE(m.header.responder_spi, 0u);
  EXPECT_EQ(summary(m), "IKE_SA_INIT response 0 [ SA KE Nr N(NAT_DETECTION_SOURCE_IP) N(NAT_DETECTION_DESTINATION_IP) "
                        "N(IKEV2_FRAGMENTATION_SUPPORTED) N(SIGNATURE_HASH_ALGORITHMS) N(CHILDLESS_IKEV2_SUPPORTED) "
                        "N(MULTIPLE_AUTH_SUPPORTED) V ]");
  const auto sa = m.all<SaPayload>();
  ASSERT_EQ(sa.size(), 1u);
  ASSERT_EQ(sa[0]->proposals.size(), 1u);
  EXPECT_EQ(transform_names(sa[0]->proposals[0]),
            (std::vector<std::string>{"ENCR_AES_CBC/256", "AUTH_HMAC_SHA2_256_128", "PRF_HMAC_SHA2_256", "MODP_2048"}));
  const auto vids = m.all<VendorPayload>();
  ASSERT_EQ(vids.size(), 1u);
  const auto* known = match_vendor_id(vids[0]->data);
  ASSERT_NE(known, nullptr);
  EXPECT_EQ(known->vendor, "strongSwan");
  EXPECT_EQ(observations(m), (std::vector<std::string>{"Vendor ID: strongSwan."}));
}

TEST(CharonVectors, NoProposalChosen) {
  const Message m = load("sa-init-no-proposal-response");
  EXPECT_EQ(m.header.length, 36u);
  ASSERT_EQ(m.payloads.size(), 1u);
  ASSERT_NE(m.notify(kNoProposalChosen), nullptr);
  EXPECT_EQ(summary(m), "IKE_SA_INIT response 0 [ N(NO_PROPOSAL_CHOSEN) ]");
  const Field f = describe(m);
  const Field* n = f.child("N");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->value, "NO_PROPOSAL_CHOSEN");
  EXPECT_EQ(n->offset, 32u);
  EXPECT_EQ(n->child("kind")->value, "error");
}

TEST(CharonVectors, InvalidKePayloadNamesTheWantedGroup) {
  const Message request = load("sa-init-wrong-ke-request");
  EXPECT_EQ(request.all<KePayload>()[0]->group, 15);
  EXPECT_EQ(request.all<KePayload>()[0]->data.size(), 384u);
  const Message m = load("sa-init-wrong-ke-response");
  const auto* n = m.notify(kInvalidKePayload);
  ASSERT_NE(n, nullptr);
  ASSERT_TRUE(n->requested_group.has_value());
  EXPECT_EQ(*n->requested_group, 14);
  EXPECT_EQ(m.header.responder_spi, 0u);
  const Field f = describe(m);
  EXPECT_EQ(f.child("N")->child("requested_group")->value, "MODP_2048");
  EXPECT_EQ(f.child("N")->child("requested_group")->offset, 40u);
  EXPECT_EQ(f.child("V")->value, "strongSwan");
}

TEST(CharonVectors, CookieChallengeAndTheRetryThatEchoesIt) {
  const Message challenge = load("sa-init-cookie-response");
  EXPECT_EQ(summary(challenge), "IKE_SA_INIT response 0 [ N(COOKIE) ]");
  EXPECT_EQ(challenge.header.responder_spi, 0u);
  const auto* cookie = challenge.notify(kCookie);
  ASSERT_NE(cookie, nullptr);
  EXPECT_EQ(cookie->data.size(), 24u);
  const Message retry = load("sa-init-cookie-retry-request");
  EXPECT_EQ(retry.header.initiator_spi, challenge.header.initiator_spi);
  ASSERT_FALSE(retry.payloads.empty());
  EXPECT_EQ(retry.payloads[0].type, kNotify);
  ASSERT_NE(retry.notify(kCookie), nullptr);
  EXPECT_EQ(retry.notify(kCookie)->data, cookie->data);
  EXPECT_EQ(summary(retry).substr(0, 40), "IKE_SA_INIT request 0 [ N(COOKIE) SA KE ");
  EXPECT_EQ(observations(challenge),
            (std::vector<std::string>{"The responder asks for a cookie before it commits state (COOKIE)."}));
}

TEST(CharonVectors, IkeV1MainModeIsRecognised) {
  const Message m = load("ikev1-main-mode-request");
  EXPECT_TRUE(m.ikev1());
  EXPECT_EQ(m.header.exchange_type, 2);
  EXPECT_TRUE(m.payloads.empty());
  EXPECT_FALSE(m.ikev1_error.has_value());
  EXPECT_EQ(summary(m), "IKEv1 (ISAKMP) IDENTITY_PROTECTION message");
  // charon's Main Mode offer: SA, then vendor IDs (XAUTH, DPD, NAT-T drafts, fragmentation …).
  ASSERT_FALSE(m.ikev1_payloads.empty());
  EXPECT_EQ(m.ikev1_payloads[0].type, 1);
  std::size_t vids = 0;
  for (const auto& p : m.ikev1_payloads) vids += p.type == kIkev1VendorId;
  EXPECT_GE(vids, 3u);
  const auto notes = observations(m);
  ASSERT_FALSE(notes.empty());
  EXPECT_NE(notes[0].find("speaks IKEv1"), std::string::npos);
  EXPECT_NE(std::find(notes.begin(), notes.end(), "Vendor ID: XAUTH."), notes.end());
  const Message reply = load("ikev1-main-mode-response");
  EXPECT_TRUE(reply.ikev1());
  const Field f = describe(reply);
  EXPECT_EQ(f.child("header")->child("exchange_type")->value, "INFORMATIONAL");
  ASSERT_EQ(reply.ikev1_payloads.size(), 1u);
  EXPECT_EQ(reply.ikev1_payloads[0].notify_type, 14);
  EXPECT_EQ(f.child("NOTIFICATION")->value, "NO_PROPOSAL_CHOSEN");
}

TEST(CharonVectors, HeadersAreFoundWithAndWithoutTheMarker) {
  const ByteVec bytes = test::load_vector("sa-init-ok-request");
  EXPECT_EQ(ike_header_offset(bytes), 4u);
  EXPECT_EQ(ike_header_offset(Bytes(bytes).subspan(4)), 0u);
  EXPECT_EQ(ike_header_offset(test::load_vector("ikev1-main-mode-request")), 4u);
  EXPECT_EQ(ike_header_offset(Bytes(bytes).first(20)), std::nullopt);
  const std::string_view text = "220 FTP server ready, welcome to the machine\r\n";
  EXPECT_EQ(ike_header_offset(Bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size())), std::nullopt);
}

TEST(CharonVectors, PlainDatagramParserRejectsTheMarker) {
  const ByteVec bytes = test::load_vector("sa-init-ok-request");
  const auto m = parse_datagram(bytes);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, "unsupported_major_version");
  const auto stripped = parse_datagram(Bytes(bytes).subspan(4));
  ASSERT_TRUE(stripped.ok());
  EXPECT_EQ(stripped->payloads.size(), 8u);
  EXPECT_EQ(stripped->payloads[0].offset, 28u);
}

}  // namespace
}  // namespace sd::ike
