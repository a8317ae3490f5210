// The SSH transport's crypto against vectors made by an independent implementation (tests/vectors/ssh/
// make_vectors.py: hashlib, hmac, python3-cryptography), plus round trips and tampering.

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <fstream>
#include <map>
#include <sstream>

#include "wire/ssh/crypto.h"
#include "wire/ssh/kex_exchange.h"
#include "wire/ssh/kex_hash.h"
#include "wire/ssh/tsv.h"
#include "wire/ssh/writer.h"

namespace sd::ssh {
namespace {

// vector -> field -> bytes (decimal fields are kept as their text's bytes).
using Vectors = std::map<std::string, std::map<std::string, std::string>>;

const Vectors& vectors() {
  static const Vectors all = [] {
    std::ifstream in(std::string(SD_SOURCE_DIR) + "/tests/vectors/ssh/transport.tsv");
    std::stringstream text;
    text << in.rdbuf();
    const TsvTable t = TsvTable::parse(text.str());
    Vectors v;
    for (std::size_t i = 0; i < t.size(); ++i) v[t.cell(i, "vector")][t.cell(i, "field")] = t.cell(i, "value");
    return v;
  }();
  return all;
}

ByteVec hex(const std::string& vector, const std::string& field) {
  const auto bytes = from_hex(vectors().at(vector).at(field));
  EXPECT_TRUE(bytes.has_value()) << vector << "." << field;
  return bytes.value_or(ByteVec{});
}

std::uint32_t number(const std::string& vector, const std::string& field) {
  return static_cast<std::uint32_t>(std::stoul(vectors().at(vector).at(field)));
}

std::string text(const ByteVec& b) { return std::string(b.begin(), b.end()); }

TEST(SshCrypto, ExchangeHashMatchesAnIndependentComputation) {
  const ExchangeInputs in{.client_id = text(hex("curve25519", "client_id")),
                          .server_id = text(hex("curve25519", "server_id")),
                          .client_kexinit = hex("curve25519", "client_kexinit"),
                          .server_kexinit = hex("curve25519", "server_kexinit"),
                          .host_key = hex("curve25519", "host_key"),
                          .client_value = hex("curve25519", "client_value"),
                          .server_value = hex("curve25519", "server_value"),
                          .shared_secret = hex("curve25519", "shared_secret")};
  EXPECT_EQ(to_hex(exchange_hash(in, false)), to_hex(hex("curve25519", "H")));
}

TEST(SshCrypto, KeyDerivationAtoFMatchesAnIndependentComputation) {
  const ByteVec k = hex("curve25519", "shared_secret");
  const ByteVec h = hex("curve25519", "H");
  for (const char letter : std::string("ABCDEF")) {
    const std::string field = std::string("key_") + letter;
    EXPECT_EQ(to_hex(derive_key(k, h, letter, h, 64)), to_hex(hex("curve25519", field))) << letter;
    EXPECT_EQ(to_hex(derive_key(k, h, letter, h, 16)), to_hex(hex("curve25519", field)).substr(0, 32)) << letter;
  }
}

TEST(SshCrypto, SharedSecretHasTheTopBitRuleOfMpints) {
  // K's first byte here is 0xc9: the mpint needs a leading zero byte, which changes H.
  const ByteVec k = hex("curve25519", "shared_secret");
  ASSERT_EQ(k.at(0), 0xc9);
  EXPECT_EQ(to_hex(encode_mpint(k)).substr(0, 10), "0000002100");
}

TEST(SshCrypto, Ed25519AndEcdsaSignaturesVerifyAndATamperedHashDoesNot) {
  for (const std::string v : {"sig-ed25519", "sig-ecdsa"}) {
    const auto ok = verify_host_signature(hex(v, "host_key"), hex(v, "signature"), hex(v, "H"));
    ASSERT_TRUE(ok) << v << ": " << ok.error().message;
    EXPECT_EQ(*ok, v == "sig-ed25519" ? "ssh-ed25519" : "ecdsa-sha2-nistp256");
    ByteVec h = hex(v, "H");
    h[5] ^= 1;
    const auto bad = verify_host_signature(hex(v, "host_key"), hex(v, "signature"), h);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "bad_signature");
  }
}

TEST(SshCrypto, ASignatureOfAnotherKeyTypeIsRefused) {
  const auto r =
      verify_host_signature(hex("sig-ecdsa", "host_key"), hex("sig-ed25519", "signature"), hex("sig-ed25519", "H"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "unsupported");
}

TEST(SshCrypto, ChachaPacketFromAnIndependentSealerOpens) {
  const std::string v = "chacha20-poly1305";
  PacketProtection in(Protection::chacha20_poly1305, {.key = hex(v, "key")}, number(v, "sequence"));
  const ByteVec sealed = hex(v, "sealed");
  ASSERT_EQ(in.frame_size(sealed).value(), sealed.size());
  const auto opened = in.open(sealed);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(to_hex(opened->payload), to_hex(hex(v, "payload")));
  EXPECT_EQ(opened->sequence, 7u);
  EXPECT_EQ(in.sequence(), 8u);
}

TEST(SshCrypto, ChachaSealsWhatItOpensAndCountsSequenceNumbers) {
  const ByteVec key = hex("chacha20-poly1305", "key");
  PacketProtection out(Protection::chacha20_poly1305, {.key = key}, 0);
  PacketProtection in(Protection::chacha20_poly1305, {.key = key}, 0);
  const ByteVec first = out.seal(write_service_request("ssh-userauth"));
  const ByteVec second = out.seal(write_ignore({}));
  EXPECT_EQ((first.size() - 16 - 4) % 8, 0u);
  ByteVec stream = first;
  stream.insert(stream.end(), second.begin(), second.end());
  const auto a = in.open(stream);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->size, first.size());
  EXPECT_EQ(to_hex(a->payload), to_hex(write_service_request("ssh-userauth")));
  const auto b = in.open(Bytes(stream).subspan(a->size));
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->sequence, 1u);
  EXPECT_EQ(to_hex(b->payload), to_hex(write_ignore({})));
}

TEST(SshCrypto, AFlippedBitIsAMacFailureAndAShortPacketNeedsMore) {
  const std::string v = "chacha20-poly1305";
  ByteVec sealed = hex(v, "sealed");
  PacketProtection partial(Protection::chacha20_poly1305, {.key = hex(v, "key")}, number(v, "sequence"));
  EXPECT_TRUE(partial.open(Bytes(sealed).first(3)).error().need_more());
  EXPECT_TRUE(partial.open(Bytes(sealed).first(sealed.size() - 1)).error().need_more());
  sealed[10] ^= 0x80;
  const auto r = partial.open(sealed);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, ParseStatus::malformed);
  EXPECT_EQ(r.error().code, "mac_mismatch");
  EXPECT_EQ(partial.sequence(), 7u);
}

TEST(SshCrypto, AesCtrPacketsFromAnIndependentSealerOpenInTurn) {
  const std::string v = "aes128-ctr";
  PacketProtection in(Protection::aes128_ctr_hmac_sha256,
                      {.iv = hex(v, "iv"), .key = hex(v, "key"), .mac = hex(v, "mac_key")},
                      number(v, "first_sequence"));
  const ByteVec sealed = hex(v, "sealed");
  const auto a = in.open(sealed);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(to_hex(a->payload), to_hex(hex(v, "payload_3")));
  const auto b = in.open(Bytes(sealed).subspan(a->size));
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(to_hex(b->payload), to_hex(hex(v, "payload_4")));
  EXPECT_EQ(a->size + b->size, sealed.size());
}

TEST(SshCrypto, AesCtrRoundTripAndMacFailure) {
  const std::string v = "aes128-ctr";
  const DirectionKeys keys{.iv = hex(v, "iv"), .key = hex(v, "key"), .mac = hex(v, "mac_key")};
  PacketProtection out(Protection::aes128_ctr_hmac_sha256, keys, 9);
  PacketProtection in(Protection::aes128_ctr_hmac_sha256, keys, 9);
  ByteVec sealed = out.seal(write_message(150));
  EXPECT_EQ((sealed.size() - 32) % 16, 0u);
  ByteVec tampered = sealed;
  tampered.back() ^= 1;
  EXPECT_EQ(PacketProtection(Protection::aes128_ctr_hmac_sha256, keys, 9).open(tampered).error().code, "mac_mismatch");
  const auto r = in.open(sealed);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(to_hex(r->payload), "96");
}

TEST(SshCrypto, AnOversizedLengthIsReportedFromTheFirstBlock) {
  PacketProtection clear;
  const ByteVec header = {0xff, 0xff, 0xff, 0xf0, 0x04};
  const auto r = clear.frame_size(header);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "oversized");
}

TEST(SshCrypto, EveryKexAgreesWithItself) {
  for (const auto* name : {"curve25519-sha256", "ecdh-sha2-nistp256", "diffie-hellman-group14-sha256"}) {
    const auto method = kex_method(name);
    ASSERT_TRUE(method.has_value()) << name;
    const auto a = KexKeyPair::generate(*method);
    const auto b = KexKeyPair::generate(*method);
    ASSERT_TRUE(a && b) << name;
    const auto ab = a->shared_secret(b->public_value());
    const auto ba = b->shared_secret(a->public_value());
    ASSERT_TRUE(ab && ba) << name;
    EXPECT_EQ(to_hex(encode_mpint(*ab)), to_hex(encode_mpint(*ba))) << name;
  }
}

TEST(SshCrypto, BadServerValuesAreMalformed) {
  const auto x = KexKeyPair::generate(KexMethod::curve25519_sha256);
  EXPECT_EQ(x->shared_secret(ByteVec(31, 1)).error().code, "bad_length");
  const auto p = KexKeyPair::generate(KexMethod::ecdh_nistp256);
  ByteVec off_curve(65, 1);
  off_curve[0] = 4;
  EXPECT_EQ(p->shared_secret(off_curve).error().code, "bad_point");
  const auto d = KexKeyPair::generate(KexMethod::dh_group14_sha256);
  EXPECT_EQ(d->shared_secret(ByteVec{1}).error().code, "bad_dh_value");
}

TEST(SshCrypto, Group14PrimeIsOpenSslsModp2048) {
  const auto group = dh_group("diffie-hellman-group14-sha256");
  ASSERT_TRUE(group.has_value());
  EXPECT_EQ(group->generator, 2u);
  EVP_PKEY* params = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "DH", nullptr);
  ASSERT_NE(ctx, nullptr);
  ASSERT_EQ(EVP_PKEY_paramgen_init(ctx), 1);
  ASSERT_EQ(EVP_PKEY_CTX_set_group_name(ctx, "modp_2048"), 1);
  ASSERT_EQ(EVP_PKEY_paramgen(ctx, &params), 1);
  BIGNUM* p = nullptr;
  ASSERT_EQ(EVP_PKEY_get_bn_param(params, OSSL_PKEY_PARAM_FFC_P, &p), 1);
  ByteVec openssl_p(static_cast<std::size_t>(BN_num_bytes(p)));
  BN_bn2bin(p, openssl_p.data());
  EXPECT_EQ(to_hex(group->prime), to_hex(openssl_p));
  BN_free(p);
  EVP_PKEY_free(params);
  EVP_PKEY_CTX_free(ctx);
}

}  // namespace
}  // namespace sd::ssh
