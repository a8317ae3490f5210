// Typed vectors: one message per payload type, built with the writer from bodies laid out by hand per RFC 7296.
#include <gtest/gtest.h>

#include "wire/ike/describe.h"
#include "wire/ike/registry.h"
#include "wire/ike/write.h"

namespace sd::ike {
namespace {

ByteVec hex(std::string_view text) { return from_hex(text).value(); }

ByteVec join(ByteVec a, const ByteVec& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

Header auth_header(bool response) {
  Header h;
  h.initiator_spi = 0x0102030405060708ull;
  h.responder_spi = 0x1112131415161718ull;
  h.exchange_type = 35;
  h.flags = response ? kFlagResponse : kFlagInitiator;
  h.message_id = 1;
  return h;
}

Message round_trip(const std::vector<OutPayload>& payloads, bool response = false) {
  const ByteVec bytes = write_message(auth_header(response), payloads);
  auto m = parse_datagram(bytes);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().path + ": " + m.error().message);
  return m.ok() ? m.value() : Message{};
}

TEST(IkePayloads, IdentitiesByType) {
  const Message m = round_trip({{kIDi, join(hex("02000000"), ByteVec{'v', 'p', 'n', '.', 'e', 'x'})},
                                {kIDr, hex("01000000c0000201")},
                                {kIDi, hex("05000000 20010db8000000000000000000000001")},
                                {kIDr, hex("09000000 3011")}});
  const auto ids = m.all<IdPayload>();
  ASSERT_EQ(ids.size(), 4u);
  EXPECT_EQ(identity_text(ids[0]->type, ids[0]->data), "vpn.ex");
  EXPECT_EQ(identity_text(ids[1]->type, ids[1]->data), "192.0.2.1");
  EXPECT_EQ(identity_text(ids[2]->type, ids[2]->data), "2001:db8:0:0:0:0:0:1");
  EXPECT_EQ(identity_text(ids[3]->type, ids[3]->data), "3011");
  const Field f = describe(m);
  EXPECT_EQ(f.child("IDi")->child("id_type")->value, "ID_FQDN");
  EXPECT_EQ(f.child("IDr")->child("id_type")->value, "ID_IPV4_ADDR");
  EXPECT_EQ(f.child("IDr")->value, "192.0.2.1");
}

TEST(IkePayloads, CertCertreqAuth) {
  const ByteVec two_hashes(40, 0xab);
  const Message m = round_trip({{kCERT, hex("04 308201")}, {kCERTREQ, join(hex("04"), two_hashes)}, {kAUTH, hex("0e000000 aabb")}});
  const auto certs = m.all<CertPayload>();
  ASSERT_EQ(certs.size(), 2u);
  EXPECT_EQ(certs[0]->encoding, 4);
  EXPECT_EQ(to_hex(certs[0]->data), "308201");
  const Field f = describe(m);
  EXPECT_EQ(f.child("CERT")->value, "X509_CERTIFICATE_SIGNATURE");
  const Field* req = f.child("CERTREQ");
  ASSERT_NE(req, nullptr);
  std::size_t hashes = 0;
  for (const auto& c : req->children) hashes += c.name == "ca_key_hash";
  EXPECT_EQ(hashes, 2u);
  EXPECT_EQ(f.child("AUTH")->value, "DIGITAL_SIGNATURE");
  EXPECT_EQ(m.all<AuthPayload>()[0]->data.size(), 2u);
}

TEST(IkePayloads, TrafficSelectors) {
  // TSi: one IPv4 range, TCP, ports 0-65535; TSr: one IPv6 range, any protocol.
  const Message m = round_trip({{kTSi, hex("01000000 07060010 0000ffff c0000200 c00002ff")},
                                {kTSr, hex("01000000 08000028 0000ffff 20010db8000000000000000000000000"
                                           "20010db8ffffffffffffffffffffffff")}});
  const auto ts = m.all<TsPayload>();
  ASSERT_EQ(ts.size(), 2u);
  ASSERT_EQ(ts[0]->selectors.size(), 1u);
  EXPECT_EQ(ts[0]->selectors[0].ip_protocol, 6);
  EXPECT_EQ(ts[0]->selectors[0].end_port, 65535);
  EXPECT_EQ(to_hex(ts[0]->selectors[0].end_address), "c00002ff");
  EXPECT_EQ(describe(m).child("TSi")->children.front().value, "TS_IPV4_ADDR_RANGE 192.0.2.0-192.0.2.255");
  EXPECT_EQ(ts[1]->selectors[0].start_address.size(), 16u);
}

TEST(IkePayloads, DeleteVendorConfigEap) {
  const Message m = round_trip({{kDelete, hex("03040002 aabbccdd 11223344")},
                                {kVendor, hex("1e2b516905991c7d7c96fcbfb587e46100000009")},
                                {kCP, hex("01000000")},
                                {kEAP, hex("01010005 01")}});
  const auto d = m.all<DeletePayload>();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0]->protocol, 3);
  ASSERT_EQ(d[0]->spis.size(), 2u);
  EXPECT_EQ(to_hex(d[0]->spis[1]), "11223344");
  const Field f = describe(m);
  EXPECT_EQ(f.child("V")->value, "Windows (MS NT5 ISAKMPOAKLEY)");
  EXPECT_EQ(f.child("V")->child("vendor")->value, "Microsoft");
  EXPECT_EQ(m.all<RawPayload>().size(), 2u);
  EXPECT_EQ(summary(m), "IKE_AUTH request 1 [ D V CP EAP ]");
}

TEST(IkePayloads, EncryptedPayloadEndsTheChain) {
  OutPayload sk{kSK, ByteVec(48, 0x5a)};
  sk.inner_next = kIDi;
  const Message m = round_trip({sk});
  ASSERT_EQ(m.payloads.size(), 1u);
  const auto* e = std::get_if<EncryptedPayload>(&m.payloads[0].body);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->inner_next, kIDi);
  EXPECT_EQ(e->data.size(), 48u);
  EXPECT_EQ(describe(m).child("SK")->child("inner_next_payload")->value, "IDi");
}

TEST(IkePayloads, FragmentNumbers) {
  OutPayload skf{kSKF, join(hex("00020003"), ByteVec(20, 1))};
  const Message m = round_trip({skf}, true);
  const auto* f = std::get_if<FragmentPayload>(&m.payloads[0].body);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->number, 2);
  EXPECT_EQ(f->total, 3);
  EXPECT_EQ(f->data.size(), 20u);
  EXPECT_EQ(describe(m).child("SKF")->value, "2/3");
  const ByteVec bad = write_message(auth_header(true), std::vector<OutPayload>{{kSKF, hex("00040003")}});
  const auto e = parse_datagram(bad);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, "bad_fragment_number");
  EXPECT_EQ(e.error().offset, 32u);
}

TEST(IkePayloads, KeSizeCheckedAgainstTheGroup) {
  const Message m = round_trip({{kKE, ke_body(19, ByteVec(65, 4))}, {kKE, ke_body(31, ByteVec(32, 9))}});
  const auto ke = m.all<KePayload>();
  ASSERT_EQ(ke.size(), 2u);
  EXPECT_FALSE(ke[0]->size_ok());
  EXPECT_EQ(*ke[0]->expected_bytes, 64u);
  EXPECT_TRUE(ke[1]->size_ok());
  const auto notes = observations(m);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0], "The KE payload for ECP_256 carries 65 bytes where the group needs 64.");
}

TEST(IkePayloads, MlKemSizeDependsOnDirection) {
  EXPECT_EQ(round_trip({{kKE, ke_body(36, ByteVec(1184, 0))}}).all<KePayload>()[0]->size_ok(), true);
  EXPECT_EQ(round_trip({{kKE, ke_body(36, ByteVec(1088, 0))}}, true).all<KePayload>()[0]->size_ok(), true);
  EXPECT_EQ(round_trip({{kKE, ke_body(36, ByteVec(1088, 0))}}).all<KePayload>()[0]->size_ok(), false);
}

TEST(IkePayloads, NotifyWithSpiAndUnknownTypes) {
  const Message m = round_trip({{kNotify, notify_body(16393, {}, 3, hex("c0ffee00"))},
                                {kNotify, notify_body(40969, hex("01"))},
                                {kNotify, notify_body(9000)}});
  const auto n = m.all<NotifyPayload>();
  ASSERT_EQ(n.size(), 3u);
  EXPECT_EQ(to_hex(n[0]->spi), "c0ffee00");
  EXPECT_EQ(notify_label(n[0]->type), "REKEY_SA");
  EXPECT_EQ(notify_label(n[1]->type), "PRIVATE_USE_STATUS(40969)");
  EXPECT_EQ(notify_label(n[2]->type), "PRIVATE_USE_ERROR(9000)");
  EXPECT_EQ(describe(m).child("N")->child("protocol")->value, "ESP");
  EXPECT_EQ(observations(m), (std::vector<std::string>{"The peer reports the error PRIVATE_USE_ERROR(9000)."}));
}

TEST(IkePayloads, CriticalUnknownPayloadIsKept) {
  OutPayload odd{200, hex("0102")};
  odd.critical = true;
  const Message m = round_trip({odd});
  ASSERT_EQ(m.payloads.size(), 1u);
  EXPECT_TRUE(m.payloads[0].critical);
  EXPECT_EQ(m.payloads[0].type, 200);
  EXPECT_EQ(summary(m), "IKE_AUTH request 1 [ UNKNOWN(200) ]");
}

TEST(IkeWriter, SaInitRequestRoundTrips) {
  SaInitRequest q;
  q.initiator_spi = 0xa1a2a3a4a5a6a7a8ull;
  q.proposals = {{1, {}, {{1, 12, 256}, {2, 5, {}}, {3, 12, {}}, {4, 19, {}}}},
                 {1, {}, {{1, 20, 128}, {2, 7, {}}, {4, 31, {}}}}};
  q.ke_group = 19;
  q.ke_data = ByteVec(64, 7);
  q.nonce = ByteVec(32, 3);
  q.cookie = hex("00112233445566778899");
  q.nat_source_hash = ByteVec(20, 1);
  q.nat_destination_hash = ByteVec(20, 2);
  q.signature_hashes = {2, 3, 4};
  q.redirect_supported = true;
  q.vendor_ids = {hex("882fe56d6fd20dbc2251613b2ebe5beb")};
  const ByteVec bytes = write_sa_init_request(q);
  const auto m = parse_datagram(bytes);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->header.length, bytes.size());
  EXPECT_EQ(m->header.initiator_spi, q.initiator_spi);
  EXPECT_EQ(summary(*m), "IKE_SA_INIT request 0 [ N(COOKIE) SA KE Ni N(NAT_DETECTION_SOURCE_IP) "
                         "N(NAT_DETECTION_DESTINATION_IP) N(IKEV2_FRAGMENTATION_SUPPORTED) "
                         "N(SIGNATURE_HASH_ALGORITHMS) N(REDIRECT_SUPPORTED) V ]");
  const auto& props = m->all<SaPayload>()[0]->proposals;
  ASSERT_EQ(props.size(), 2u);
  EXPECT_EQ(props[1].number, 2);
  EXPECT_EQ(props[0].transforms[0].key_length, 256);
  EXPECT_EQ(props[1].transforms[2].id, 31);
  EXPECT_EQ(to_hex(m->notify(kCookie)->data), "00112233445566778899");
  EXPECT_EQ(m->notify(kSignatureHashAlgorithms)->hash_algorithms, (std::vector<std::uint16_t>{2, 3, 4}));
  EXPECT_TRUE(m->all<KePayload>()[0]->size_ok());
  // After the header and the 18-byte COOKIE notify, the SA and proposal headers, the first transform:
  // more(3), reserved, length 12, ENCR, reserved, AES_CBC, key length 256.
  EXPECT_EQ(to_hex(Bytes(bytes).subspan(28 + 18 + 4 + 8, 12)), "0300000c0100000c800e0100");
}

TEST(IkeWriter, TransformsByName) {
  const auto aes = transform_named("ENCR_AES_CBC/256");
  ASSERT_TRUE(aes.has_value());
  EXPECT_EQ(aes->type, 1);
  EXPECT_EQ(aes->id, 12);
  EXPECT_EQ(aes->key_length, 256);
  EXPECT_EQ(transform_named("PRF_HMAC_SHA2_384")->type, 2);
  EXPECT_EQ(transform_named("AUTH_HMAC_SHA2_512_256")->id, 14);
  EXPECT_EQ(transform_named("CURVE25519")->type, 4);
  EXPECT_EQ(transform_named("CURVE25519")->id, 31);
  EXPECT_EQ(transform_named("NO_ESN")->type, 5);
  EXPECT_FALSE(transform_named("ENCR_AES_CBC/x").has_value());
  EXPECT_FALSE(transform_named("ROT13").has_value());
  const auto p = proposal_named({"ENCR_AES_GCM_16/128", "PRF_HMAC_SHA2_256", "ECP_256"});
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->transforms.size(), 3u);
  EXPECT_FALSE(proposal_named({"ENCR_AES_GCM_16/128", "nonsense"}).has_value());
}

TEST(IkeWriter, NonEspMarker) {
  SaInitRequest q;
  q.proposals = {{1, {}, {{1, 12, 128}, {2, 2, {}}, {3, 2, {}}, {4, 14, {}}}}};
  q.ke_group = 14;
  q.ke_data = ByteVec(256, 1);
  q.nonce = ByteVec(16, 2);
  const ByteVec datagram = with_non_esp_marker(write_sa_init_request(q));
  EXPECT_EQ(to_hex(Bytes(datagram).first(4)), "00000000");
  const auto m = parse_nat_t_datagram(datagram);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->non_esp_marker);
  EXPECT_EQ(m->payloads[0].offset, 32u);
  EXPECT_EQ(describe(*m).child("non_esp_marker")->length, 4u);
}

}  // namespace
}  // namespace sd::ike
