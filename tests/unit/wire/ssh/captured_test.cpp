// Vectors captured from the real OpenSSH 9.2 sshd and ssh, and Paramiko, on this machine (tests/vectors/ssh/capture.py).
#include <gtest/gtest.h>

#include <algorithm>

#include "vectors.h"
#include "wire/ssh/describe.h"
#include "wire/ssh/transcript.h"

namespace sd::ssh {
namespace {

using testing::captured_messages;
using testing::CapturedMessage;
using testing::vector_bytes;

std::vector<std::string> names(const Kexinit& k, KexList which) { return k.list(which).value; }

Kexinit only_kexinit(const Transcript& t) {
  EXPECT_EQ(t.messages.size(), 1u);
  return std::get<Kexinit>(t.messages.at(0).body);
}

TEST(CapturedSshd, IdentificationAndKexinit) {
  const ByteVec bytes = vector_bytes("sshd-kexinit.hex");
  const Transcript t = read_transcript(bytes);
  ASSERT_FALSE(t.error.has_value());
  ASSERT_TRUE(t.identification.has_value());
  EXPECT_EQ(t.identification->proto_version, "2.0");
  EXPECT_EQ(t.identification->software_version, "OpenSSH_9.2p1");
  EXPECT_EQ(t.identification->comments, "Debian-2+deb12u10");
  EXPECT_TRUE(t.identification->crlf);
  EXPECT_TRUE(t.identification->deviations.empty());
  EXPECT_EQ(t.consumed, bytes.size());
  const Kexinit k = only_kexinit(t);
  EXPECT_TRUE(k.strict_kex_server());
  EXPECT_FALSE(k.strict_kex_client());
  EXPECT_FALSE(k.ext_info_server());
  EXPECT_TRUE(contains(k.list(KexList::kex), "curve25519-sha256"));
  EXPECT_TRUE(contains(k.list(KexList::kex), "diffie-hellman-group-exchange-sha256"));
  // The sshd of the capture holds an ed25519, an ECDSA P-256 and an RSA key; OpenSSH 9.2 signs RSA only with SHA-2.
  EXPECT_EQ(names(k, KexList::host_key),
            (std::vector<std::string>{"ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512", "rsa-sha2-256"}));
  EXPECT_EQ(names(k, KexList::cipher_c2s),
            (std::vector<std::string>{"chacha20-poly1305@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr",
                                      "aes128-gcm@openssh.com", "aes256-gcm@openssh.com"}));
  EXPECT_EQ(names(k, KexList::compression_s2c), (std::vector<std::string>{"none", "zlib@openssh.com"}));
  EXPECT_TRUE(k.list(KexList::language_c2s).value.empty());
  EXPECT_FALSE(k.first_kex_packet_follows.value);
  EXPECT_EQ(k.reserved.value, 0u);
}

TEST(CapturedSshd, HostKeyAlgorithmsAreThoseItsKeysAllow) {
  const Kexinit k = only_kexinit(read_transcript(vector_bytes("sshd-kexinit.hex")));
  std::vector<std::string> key_types;
  for (const auto& alg : names(k, KexList::host_key)) {
    const AlgorithmInfo* a = find_algorithm(alg, "hostkey");
    ASSERT_NE(a, nullptr) << alg;
    if (std::find(key_types.begin(), key_types.end(), a->family) == key_types.end()) key_types.push_back(a->family);
  }
  EXPECT_EQ(key_types, (std::vector<std::string>{"ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa"}));
}

TEST(CapturedSsh, ClientKexinitCarriesStrictKexAndExtInfo) {
  const ByteVec bytes = vector_bytes("ssh-kexinit.hex");
  const Transcript t = read_transcript(bytes);
  ASSERT_FALSE(t.error.has_value());
  EXPECT_EQ(t.identification->line, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10");
  const Kexinit k = only_kexinit(t);
  EXPECT_TRUE(contains(k.list(KexList::kex), "curve25519-sha256"));
  EXPECT_TRUE(k.strict_kex_client());
  EXPECT_TRUE(k.ext_info_client());
  EXPECT_FALSE(k.strict_kex_server());
  const auto kex = names(k, KexList::kex);
  EXPECT_EQ(kex.back(), "kex-strict-c-v00@openssh.com");
  EXPECT_EQ(kex[kex.size() - 2], "ext-info-c");
  EXPECT_EQ(kex.size(), 13u);
  EXPECT_EQ(names(k, KexList::host_key).front(), "ssh-ed25519-cert-v01@openssh.com");
  EXPECT_EQ(names(k, KexList::host_key).size(), 16u);
}

TEST(CapturedSsh, MarkersAreDescribedAtTheirBytes) {
  const ByteVec bytes = vector_bytes("ssh-kexinit.hex");
  const Transcript t = read_transcript(bytes);
  const Field f = describe(t.messages.at(0));
  std::vector<const Field*> markers;
  for (const auto& c : f.children) {
    if (c.name == "marker") markers.push_back(&c);
  }
  ASSERT_EQ(markers.size(), 2u);
  EXPECT_EQ(markers[0]->value, "ext-info-c");
  EXPECT_EQ(markers[1]->value, "kex-strict-c-v00@openssh.com");
  const std::string at(bytes.begin() + static_cast<std::ptrdiff_t>(markers[1]->offset),
                       bytes.begin() + static_cast<std::ptrdiff_t>(markers[1]->offset + markers[1]->length));
  EXPECT_EQ(at, "kex-strict-c-v00@openssh.com");
}

TEST(CapturedPair, NegotiationPicksTheClientsFirstSharedChoice) {
  const Kexinit client = only_kexinit(read_transcript(vector_bytes("ssh-kexinit.hex")));
  const Kexinit server = only_kexinit(read_transcript(vector_bytes("sshd-kexinit.hex")));
  const Negotiated n = negotiate(client, server);
  EXPECT_EQ(n.kex, "sntrup761x25519-sha512");
  EXPECT_EQ(n.host_key, "ssh-ed25519");
  EXPECT_EQ(n.cipher_c2s, "chacha20-poly1305@openssh.com");
  EXPECT_EQ(n.mac_c2s, "<implicit>");
  EXPECT_EQ(n.compression_c2s, "none");
  EXPECT_TRUE(n.strict_kex);
}

Context context_for(const CapturedMessage& c) { return Context{kex_family(c.kex)}; }

std::vector<Message> session_messages(int session, const std::string& direction) {
  std::vector<Message> out;
  for (const auto& c : captured_messages()) {
    if (c.session != session || c.direction != direction) continue;
    auto m = parse_message(c.payload, 0, context_for(c));
    if (m) out.push_back(std::move(m).value());
  }
  return out;
}

template <class T>
std::vector<T> bodies(const std::vector<Message>& messages) {
  std::vector<T> out;
  for (const auto& m : messages) {
    if (const T* b = std::get_if<T>(&m.body)) out.push_back(*b);
  }
  return out;
}

TEST(CapturedParamiko, EveryMessageParsesExceptParamikosIgnore) {
  const auto all = captured_messages();
  ASSERT_GE(all.size(), 60u);
  for (const auto& c : all) {
    const auto m = parse_message(c.payload, 0, context_for(c));
    if (c.number == msg::ignore) {
      // Paramiko 2.12 writes IGNORE data as raw bytes with no string length: the codec must say so.
      ASSERT_FALSE(m.ok());
      EXPECT_EQ(m.error().status, ParseStatus::malformed);
      EXPECT_EQ(m.error().path, "ignore.data");
      EXPECT_EQ(m.error().offset, 1u);
      continue;
    }
    ASSERT_TRUE(m.ok()) << c.number << " " << m.error().path << ": " << m.error().message;
    EXPECT_EQ(m->number.value, c.number);
    EXPECT_TRUE(m->registered || c.number >= 128) << c.number;
  }
}

TEST(CapturedParamiko, EcdhReplyCarriesTheEd25519HostKeyAndSignature) {
  const auto server = session_messages(1, "server");
  const auto replies = bodies<KexReply>(server);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].host_key.type.value, "ssh-ed25519");
  EXPECT_EQ(replies[0].host_key.bits, 256u);
  EXPECT_EQ(replies[0].host_key.key.value.size(), 32u);
  EXPECT_EQ(replies[0].value.value.size(), 32u);  // X25519 Q_S
  EXPECT_FALSE(replies[0].bits.has_value());
  EXPECT_EQ(replies[0].signature.algorithm.value, "ssh-ed25519");
  EXPECT_EQ(replies[0].signature.signature.value.size(), 64u);
  EXPECT_EQ(server.at(1).name, "KEX_ECDH_REPLY");
}

TEST(CapturedParamiko, NistEcdhInitIsAnUncompressedPoint) {
  const auto client = session_messages(2, "client");
  const auto inits = bodies<KexPublic>(client);
  ASSERT_EQ(inits.size(), 1u);
  EXPECT_EQ(inits[0].value.value.size(), 65u);
  EXPECT_EQ(inits[0].value.value.at(0), 0x04);
}

TEST(CapturedParamiko, Group14ValuesAreAbout2048Bits) {
  const auto client = session_messages(3, "client");
  const auto server = session_messages(3, "server");
  ASSERT_EQ(bodies<KexPublic>(client).size(), 1u);
  EXPECT_EQ(client.at(1).name, "KEXDH_INIT");
  EXPECT_GE(*bodies<KexPublic>(client)[0].bits, 2000u);
  EXPECT_LE(*bodies<KexPublic>(client)[0].bits, 2048u);
  ASSERT_EQ(bodies<KexReply>(server).size(), 1u);
  EXPECT_EQ(server.at(1).name, "KEXDH_REPLY");
  EXPECT_LE(*bodies<KexReply>(server)[0].bits, 2048u);
}

TEST(CapturedParamiko, GroupExchangeRequestAndGroup) {
  const auto client = session_messages(4, "client");
  const auto server = session_messages(4, "server");
  const auto requests = bodies<GexRequest>(client);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].min->value, 1024u);
  EXPECT_EQ(requests[0].preferred.value, 2048u);
  EXPECT_EQ(requests[0].max->value, 8192u);
  const auto groups = bodies<GexGroup>(server);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].prime_bits, 2048u);
  ASSERT_EQ(groups[0].generator.value.size(), 1u);  // /etc/ssh/moduli uses generator 2 or 5
  EXPECT_TRUE(groups[0].generator.value[0] == 2 || groups[0].generator.value[0] == 5);
  EXPECT_EQ(server.at(1).name, "KEX_DH_GEX_GROUP");
  EXPECT_EQ(client.at(2).name, "KEX_DH_GEX_INIT");
  EXPECT_EQ(server.at(2).name, "KEX_DH_GEX_REPLY");
  EXPECT_EQ(bodies<KexReply>(server).at(0).host_key.type.value, "ssh-ed25519");
}

TEST(CapturedParamiko, ExtInfoListsServerSigAlgs) {
  const auto x = bodies<ExtInfo>(session_messages(1, "server"));
  ASSERT_EQ(x.size(), 1u);
  EXPECT_EQ(x[0].count.value, 2u);
  const Extension* sig = x[0].find("server-sig-algs");
  ASSERT_NE(sig, nullptr);
  EXPECT_EQ(sig->names.front(), "ssh-ed25519");
  EXPECT_NE(std::find(sig->names.begin(), sig->names.end(), "rsa-sha2-512"), sig->names.end());
  ASSERT_NE(x[0].find("publickey-hostbound@openssh.com"), nullptr);
  EXPECT_EQ(x[0].find("publickey-hostbound@openssh.com")->value.value, (ByteVec{'0'}));
}

TEST(CapturedParamiko, UserauthNoneListsMethodsAndBannerComesFirst) {
  const auto server = session_messages(1, "server");
  const auto banners = bodies<UserauthBanner>(server);
  ASSERT_FALSE(banners.empty());
  EXPECT_EQ(banners[0].message.value, "shakedown capture banner\n");
  const auto failures = bodies<UserauthFailure>(server);
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures[0].methods.value, (std::vector<std::string>{"publickey", "password", "keyboard-interactive"}));
  EXPECT_FALSE(failures[0].partial_success.value);
  EXPECT_EQ(bodies<Empty>(server).size(), 3u);  // NEWKEYS, USERAUTH_SUCCESS, REQUEST_FAILURE
}

TEST(CapturedParamiko, PasswordIsRedactedEverywhere) {
  const auto requests = session_messages(1, "client");
  const Message* password = nullptr;
  for (const auto& m : requests) {
    const auto* u = std::get_if<UserauthRequest>(&m.body);
    if (u && u->method.value == "password") password = &m;
  }
  ASSERT_NE(password, nullptr);
  const auto& u = std::get<UserauthRequest>(password->body);
  EXPECT_EQ(u.user.value, "root");
  EXPECT_EQ(u.password->value, 16u);  // "not-the-password"
  const Field f = describe(*password);
  ASSERT_NE(f.child("password"), nullptr);
  EXPECT_EQ(f.child("password")->value, "<redacted>");
  const std::string kept(password->payload.begin(), password->payload.end());
  EXPECT_EQ(kept.find("not-the-password"), std::string::npos);
}

TEST(CapturedParamiko, PublickeyRequestWithSignatureThenSuccess) {
  const auto client = session_messages(1, "client");
  const auto requests = bodies<UserauthRequest>(client);
  ASSERT_EQ(requests.size(), 3u);
  const UserauthRequest& pk = requests[2];
  EXPECT_EQ(pk.method.value, "publickey");
  EXPECT_TRUE(pk.flag->value);
  EXPECT_EQ(pk.algorithm->value, "ssh-ed25519");
  EXPECT_EQ(pk.key->type.value, "ssh-ed25519");
  EXPECT_EQ(pk.signature->algorithm.value, "ssh-ed25519");
  const auto server = session_messages(1, "server");
  EXPECT_NE(std::find_if(server.begin(), server.end(), [](const Message& m) { return m.name == "USERAUTH_SUCCESS"; }),
            server.end());
}

TEST(CapturedParamiko, SshdAnnouncesItsHostKeysAfterLogin) {
  const auto requests = bodies<GlobalRequest>(session_messages(1, "server"));
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].name.value, "hostkeys-00@openssh.com");
  EXPECT_FALSE(requests[0].want_reply.value);
  ASSERT_EQ(requests[0].host_keys.size(), 3u);
  EXPECT_EQ(requests[0].host_keys[0].type.value, "ssh-ed25519");
  EXPECT_EQ(requests[0].host_keys[1].type.value, "ecdsa-sha2-nistp256");
  EXPECT_EQ(requests[0].host_keys[1].curve.value, "nistp256");
  EXPECT_EQ(requests[0].host_keys[2].type.value, "ssh-rsa");
  EXPECT_EQ(requests[0].host_keys[2].bits, 3072u);
}

TEST(CapturedParamiko, GlobalRequestRepliesAndDebug) {
  const auto client = session_messages(1, "client");
  const auto server = session_messages(1, "server");
  const auto sent = bodies<GlobalRequest>(client);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].name.value, "keepalive@openssh.com");
  EXPECT_TRUE(sent[0].want_reply.value);
  EXPECT_EQ(sent[1].name.value, "tcpip-forward");
  const auto ok = bodies<RequestSuccess>(server);
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok[0].data.value.size(), 4u);  // the port sshd bound
  const auto debug = bodies<Debug>(client);
  ASSERT_EQ(debug.size(), 1u);
  EXPECT_EQ(debug[0].message.value, "shakedown capture debug message");
  EXPECT_FALSE(debug[0].always_display.value);
}

TEST(CapturedParamiko, SessionChannelRunsACommand) {
  const auto client = session_messages(1, "client");
  const auto server = session_messages(1, "server");
  const auto opens = bodies<ChannelOpen>(client);
  ASSERT_EQ(opens.size(), 3u);
  EXPECT_EQ(opens[0].type.value, "session");
  EXPECT_EQ(opens[2].type.value, "shakedown-unknown@example.com");
  EXPECT_EQ(bodies<ChannelOpenConfirmation>(server).size(), 2u);
  const auto requests = bodies<ChannelRequest>(client);
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].type.value, "exec");
  EXPECT_EQ(requests[1].type.value, "shakedown-probe@example.com");
  EXPECT_TRUE(requests[1].want_reply.value);
  const auto from_server = bodies<ChannelRequest>(server);
  ASSERT_EQ(from_server.size(), 1u);
  EXPECT_EQ(from_server[0].type.value, "exit-status");
  EXPECT_EQ(from_server[0].extra.value, (ByteVec{0, 0, 0, 0}));
  const auto data = bodies<ChannelData>(server);
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(std::string(data[0].data.value.begin(), data[0].data.value.end()), "shakedown\n");
  EXPECT_FALSE(data[0].data_type.has_value());
  EXPECT_EQ(data[1].data_type->value, 1u);  // stderr
  const auto it = std::find_if(server.begin(), server.end(), [](const Message& m) { return m.number.value == 94; });
  EXPECT_EQ(describe(*it).child("data")->value, "<10 bytes>");
}

TEST(CapturedParamiko, UnknownChannelRequestFailsUnknownChannelTypeIsRefused) {
  const auto server = session_messages(1, "server");
  const auto failed = std::find_if(server.begin(), server.end(), [](const Message& m) { return m.name == "CHANNEL_FAILURE"; });
  ASSERT_NE(failed, server.end());
  const auto refused = bodies<ChannelOpenFailure>(server);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].reason_name, "CONNECT_FAILED");
  EXPECT_EQ(refused[0].description.value, "open failed");
}

TEST(CapturedParamiko, UnassignedNumberGetsUnimplementedLocalExtensionGetsDisconnect) {
  const auto client = session_messages(1, "client");
  const auto server = session_messages(1, "server");
  const auto unknown = std::find_if(client.begin(), client.end(), [](const Message& m) { return m.number.value == 150; });
  ASSERT_NE(unknown, client.end());
  EXPECT_EQ(unknown->name, "UNKNOWN_150");
  EXPECT_EQ(unknown->layer, "reserved");
  const auto unimplemented = bodies<Unimplemented>(server);
  ASSERT_EQ(unimplemented.size(), 1u);
  EXPECT_GT(unimplemented[0].sequence.value, 0u);
  const auto vendor = std::find_if(client.begin(), client.end(), [](const Message& m) { return m.number.value == 199; });
  ASSERT_NE(vendor, client.end());
  EXPECT_EQ(vendor->layer, "local-extension");
  const auto bye = bodies<Disconnect>(server);
  ASSERT_EQ(bye.size(), 1u);
  EXPECT_EQ(bye[0].reason.value, 2u);
  EXPECT_EQ(bye[0].reason_name, "PROTOCOL_ERROR");
  EXPECT_EQ(bye[0].description.value, "Invalid ssh2 packet type: 199");
  const Field f = describe(server.back());
  EXPECT_EQ(f.child("reason_code")->value, "PROTOCOL_ERROR (2)");
}

TEST(CapturedParamiko, LocalExtensionBeforeLoginGetsDisconnect) {
  const auto bye = bodies<Disconnect>(session_messages(5, "server"));
  ASSERT_EQ(bye.size(), 1u);
  EXPECT_EQ(bye[0].reason_name, "PROTOCOL_ERROR");
  EXPECT_EQ(bye[0].description.value, "Invalid ssh2 packet type: 199");
}

TEST(CapturedParamiko, TooManyPasswordFailuresEndInDisconnect) {
  const auto server = session_messages(6, "server");
  const auto bye = bodies<Disconnect>(server);
  ASSERT_EQ(bye.size(), 1u);
  EXPECT_EQ(bye[0].reason_name, "PROTOCOL_ERROR");
  EXPECT_NE(bye[0].description.value.find("Too many authentication failures"), std::string::npos);
}

}  // namespace
}  // namespace sd::ssh
