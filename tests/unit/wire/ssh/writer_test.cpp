// The client-side writers, checked by parsing what they wrote and against exact bytes.
#include <gtest/gtest.h>

#include "wire/ssh/messages.h"
#include "wire/ssh/packet.h"
#include "wire/ssh/writer.h"

namespace sd::ssh {
namespace {

ByteVec hex(const char* s) { return *from_hex(s); }

TEST(Writer, KexinitRoundTrips) {
  KexinitOffer offer;
  offer.cookie.fill(0x5a);
  offer.list(KexList::kex) = {"curve25519-sha256", "ext-info-c", "kex-strict-c-v00@openssh.com"};
  offer.list(KexList::host_key) = {"ssh-ed25519", "rsa-sha2-512"};
  offer.list(KexList::cipher_c2s) = offer.list(KexList::cipher_s2c) = {"aes128-ctr"};
  offer.list(KexList::mac_c2s) = offer.list(KexList::mac_s2c) = {"hmac-sha2-256"};
  offer.list(KexList::compression_c2s) = offer.list(KexList::compression_s2c) = {"none"};
  const ByteVec payload = write_kexinit(offer);
  const auto m = parse_message(payload);
  ASSERT_TRUE(m.ok());
  const auto& k = std::get<Kexinit>(m->body);
  EXPECT_EQ(k.cookie.value, ByteVec(16, 0x5a));
  EXPECT_EQ(k.list(KexList::host_key).value, (std::vector<std::string>{"ssh-ed25519", "rsa-sha2-512"}));
  EXPECT_TRUE(k.strict_kex_client());
  EXPECT_TRUE(k.ext_info_client());
  EXPECT_TRUE(k.list(KexList::language_s2c).value.empty());
  EXPECT_EQ(payload.size(), 1u + 16 + 10 * 4 + 57 + 24 + 10 * 2 + 13 * 2 + 4 * 2 + 1 + 4);
}

TEST(Writer, ExactBytesOfSmallMessages) {
  EXPECT_EQ(write_service_request("ssh-userauth"), hex("05 0000000c 7373682d7573657261757468"));
  EXPECT_EQ(write_ignore(ByteVec{0xaa}), hex("02 00000001 aa"));
  EXPECT_EQ(write_debug(true, "hi"), hex("04 01 00000002 6869 00000000"));
  EXPECT_EQ(write_unimplemented(258), hex("03 00000102"));
  EXPECT_EQ(write_message(199, ByteVec{1, 2}), hex("c7 0102"));
  EXPECT_EQ(write_gex_request(2048, 3072, 8192), hex("22 00000800 00000c00 00002000"));
  EXPECT_EQ(write_disconnect(11, "bye"), hex("01 0000000b 00000003 627965 00000000"));
  EXPECT_EQ(write_kex_ecdh_init(ByteVec{9, 9}), hex("1e 00000002 0909"));
  EXPECT_EQ(write_global_request("x", true), hex("50 00000001 78 01"));
  EXPECT_EQ(write_channel_open_session(0, 2097152, 32768), hex("5a 00000007 73657373696f6e 00000000 00200000 00008000"));
  EXPECT_EQ(write_channel_request(5, "y", false, ByteVec{1}), hex("62 00000005 00000001 79 00 01"));
  EXPECT_EQ(write_channel_close(5), hex("61 00000005"));
}

TEST(Writer, MpintDropsLeadingZerosAndKeepsTheSignPositive) {
  EXPECT_EQ(encode_mpint(ByteVec{0x00, 0x00, 0x7f}), hex("00000001 7f"));
  EXPECT_EQ(encode_mpint(ByteVec{0x80, 0x01}), hex("00000003 00 8001"));
  EXPECT_EQ(encode_mpint(ByteVec{0x00}), hex("00000000"));
  EXPECT_EQ(write_kexdh_init(ByteVec{0xff}), hex("1e 00000002 00ff"));
}

TEST(Writer, EveryClientMessageParsesBack) {
  const std::pair<ByteVec, const char*> cases[] = {
      {write_service_request("ssh-userauth"), "SERVICE_REQUEST"},
      {write_userauth_none("admin"), "USERAUTH_REQUEST"},
      {write_ignore(ByteVec(3, 0)), "IGNORE"},
      {write_debug(false, "probe", "en"), "DEBUG"},
      {write_unimplemented(3), "UNIMPLEMENTED"},
      {write_disconnect(2, "x"), "DISCONNECT"},
      {write_kex_ecdh_init(ByteVec(32, 7)), "KEXDH_INIT/KEX_ECDH_INIT"},
      {write_gex_request(1024, 2048, 8192), "KEX_DH_GEX_REQUEST"},
      {write_message(200), "UNKNOWN_200"},
      {write_global_request("keepalive@openssh.com", true), "GLOBAL_REQUEST"},
      {write_channel_open_session(1, 1024, 512), "CHANNEL_OPEN"},
      {write_channel_request(1, "efs-keystore@example.com", true), "CHANNEL_REQUEST"},
      {write_channel_close(1), "CHANNEL_CLOSE"},
  };
  for (const auto& [payload, name] : cases) {
    const auto framed = frame_packet(payload);
    const auto p = parse_packet(framed);
    ASSERT_TRUE(p.ok()) << name;
    const auto m = parse_message(p->payload.value, p->payload.offset);
    ASSERT_TRUE(m.ok()) << name << ": " << m.error().path;
    EXPECT_EQ(m->name, name);
  }
  const auto none = parse_message(write_userauth_none("admin"));
  EXPECT_EQ(std::get<UserauthRequest>(none->body).method.value, "none");
  EXPECT_EQ(std::get<UserauthRequest>(none->body).service.value, "ssh-connection");
}

}  // namespace
}  // namespace sd::ssh
