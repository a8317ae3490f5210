// sd::ssh::UserKey (declared in crypto.h): an unencrypted OpenSSH private key file read through the wire reader
// (the "openssh-key-v1" layout of OpenSSH's PROTOCOL.key), and publickey signatures made with OpenSSL.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <array>
#include <memory>
#include <string>

#include "wire/ssh/crypto.h"
#include "wire/ssh/wire_reader.h"
#include "wire/ssh/writer.h"

namespace sd::ssh {
namespace {

using PkeyPtr = std::shared_ptr<EVP_PKEY>;
using BnPtr = std::unique_ptr<BIGNUM, decltype(&BN_free)>;

constexpr std::string_view kKeyBegin = "-----BEGIN OPENSSH PRIVATE KEY-----";
constexpr std::string_view kKeyEnd = "-----END OPENSSH PRIVATE KEY-----";
constexpr std::string_view kKeyMagic = std::string_view("openssh-key-v1\0", 15);

ParseError bad_key(std::string code, std::string message) {
  return malformed(0, "user_key", std::move(code), std::move(message));
}

std::optional<ByteVec> base64_body(std::string_view text) {
  const auto begin = text.find(kKeyBegin);
  const auto end = text.find(kKeyEnd);
  if (begin == std::string_view::npos || end == std::string_view::npos || end < begin) return std::nullopt;
  std::string b64;
  for (const char c : text.substr(begin + kKeyBegin.size(), end - begin - kKeyBegin.size()))
    if (c != '\n' && c != '\r' && c != ' ') b64 += c;
  ByteVec out(b64.size() / 4 * 3 + 3);
  const int n =
      EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(b64.data()), static_cast<int>(b64.size()));
  if (n < 0) return std::nullopt;
  std::size_t size = static_cast<std::size_t>(n);
  for (auto it = b64.rbegin(); it != b64.rend() && *it == '=' && size > 0; ++it) --size;
  out.resize(size);
  return out;
}

BnPtr bignum(const Blob& magnitude) {
  return BnPtr(BN_bin2bn(magnitude.value.data(), static_cast<int>(magnitude.value.size()), nullptr), BN_free);
}

// A private key from OpenSSL parameters built by `push`; nullptr when OpenSSL refuses them.
template <class Push>
PkeyPtr from_params(const char* family, Push&& push) {
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  if (!bld || !push(bld.get())) return nullptr;
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(bld.get()), OSSL_PARAM_free);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new_from_name(nullptr, family, nullptr),
                                                                  EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_KEYPAIR, params.get()) <= 0)
    return nullptr;
  return PkeyPtr(key, EVP_PKEY_free);
}

// ssh-ed25519 private part: string public (32), string secret||public (64).
PkeyPtr ed25519_private(WireReader& p) {
  p.blob("public");
  const Blob both = p.blob("secret");
  if (!p.ok() || both.value.size() != 64) return nullptr;
  return PkeyPtr(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, both.value.data(), 32), EVP_PKEY_free);
}

// ssh-rsa private part: mpint n, e, d, iqmp, p, q; the CRT exponents d mod (p-1), d mod (q-1) are derived.
PkeyPtr rsa_private(WireReader& p) {
  const Blob n = p.blob("n"), e = p.blob("e"), d = p.blob("d"), iqmp = p.blob("iqmp"), bp = p.blob("p"),
             bq = p.blob("q");
  if (!p.ok()) return nullptr;
  BnPtr bn_n = bignum(n), bn_e = bignum(e), bn_d = bignum(d), bn_iqmp = bignum(iqmp), bn_p = bignum(bp),
        bn_q = bignum(bq), dp(BN_new(), BN_free), dq(BN_new(), BN_free), p1(BN_dup(bn_p.get()), BN_free),
        q1(BN_dup(bn_q.get()), BN_free);
  std::unique_ptr<BN_CTX, decltype(&BN_CTX_free)> ctx(BN_CTX_new(), BN_CTX_free);
  if (!bn_n || !bn_e || !bn_d || !bn_iqmp || !bn_p || !bn_q || !dp || !dq || !p1 || !q1 || !ctx ||
      !BN_sub_word(p1.get(), 1) || !BN_sub_word(q1.get(), 1) || !BN_mod(dp.get(), bn_d.get(), p1.get(), ctx.get()) ||
      !BN_mod(dq.get(), bn_d.get(), q1.get(), ctx.get()))
    return nullptr;
  return from_params("RSA", [&](OSSL_PARAM_BLD* b) {
    return OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_N, bn_n.get()) &&
           OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_E, bn_e.get()) &&
           OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_D, bn_d.get()) &&
           OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_FACTOR1, bn_p.get()) &&
           OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_FACTOR2, bn_q.get()) &&
           OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_EXPONENT1, dp.get()) &&
           OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_EXPONENT2, dq.get()) &&
           OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, bn_iqmp.get());
  });
}

// ecdsa-sha2-nistp256 private part: string "nistp256", string Q (uncompressed point), mpint d.
PkeyPtr ecdsa_private(WireReader& p) {
  const Text curve = p.text("curve");
  const Blob point = p.blob("Q");
  const Blob d = p.blob("d");
  if (!p.ok() || curve.value != "nistp256") return nullptr;
  const BnPtr bn_d = bignum(d);
  if (!bn_d) return nullptr;
  return from_params("EC", [&](OSSL_PARAM_BLD* b) {
    return OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) &&
           OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, point.value.data(), point.value.size()) &&
           OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PRIV_KEY, bn_d.get());
  });
}

// The key types read here, the reader of each one's private part, and the algorithms each signs with.
struct KeyKind {
  std::string_view type;
  PkeyPtr (*read_private)(WireReader&);
  std::array<std::string_view, 2> algorithms;  ///< preferred first; an empty second means one only
};

constexpr std::array<KeyKind, 3> kKeyKinds = {{
    {"ssh-ed25519", ed25519_private, {"ssh-ed25519", ""}},
    {"ssh-rsa", rsa_private, {"rsa-sha2-512", "rsa-sha2-256"}},
    {"ecdsa-sha2-nistp256", ecdsa_private, {"ecdsa-sha2-nistp256", ""}},
}};

const KeyKind* kind_of(std::string_view type) {
  for (const auto& kind : kKeyKinds)
    if (kind.type == type) return &kind;
  return nullptr;
}

// The digest a signature algorithm hashes with; nullptr for Ed25519, which hashes internally.
const EVP_MD* digest_for(std::string_view algorithm) {
  if (algorithm == "rsa-sha2-512") return EVP_sha512();
  if (algorithm == "rsa-sha2-256" || algorithm == "ecdsa-sha2-nistp256") return EVP_sha256();
  return nullptr;
}

// RFC 5656 §3.1.2: an ECDSA signature goes on the wire as mpint r, mpint s, not as OpenSSL's DER.
ByteVec ecdsa_wire(const ByteVec& der) {
  const unsigned char* in = der.data();
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(d2i_ECDSA_SIG(nullptr, &in, static_cast<long>(der.size())),
                                                            ECDSA_SIG_free);
  if (!sig) return {};
  Writer w;
  for (const BIGNUM* part : {ECDSA_SIG_get0_r(sig.get()), ECDSA_SIG_get0_s(sig.get())}) {
    ByteVec magnitude(static_cast<std::size_t>(BN_num_bytes(part)));
    BN_bn2bin(part, magnitude.data());
    w.bytes(encode_mpint(magnitude));
  }
  return w.take();
}

// The raw signature over data by key under algorithm; empty when OpenSSL fails.
ByteVec raw_signature(EVP_PKEY* key, std::string_view algorithm, Bytes data) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, digest_for(algorithm), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, data.data(), data.size()) != 1)
    return {};
  ByteVec signature(size);
  if (EVP_DigestSign(ctx.get(), signature.data(), &size, data.data(), data.size()) != 1) return {};
  signature.resize(size);
  return algorithm == "ecdsa-sha2-nistp256" ? ecdsa_wire(signature) : signature;
}

}  // namespace

Result<UserKey> UserKey::parse_openssh(std::string_view text) {
  const auto raw = base64_body(text);
  if (!raw) return bad_key("not_openssh_key", "not an OpenSSH private key file");
  auto r = Reader::bounded(*raw);
  const auto magic = r.bytes(kKeyMagic.size());
  if (!magic || std::string_view(reinterpret_cast<const char*>(magic->data()), magic->size()) != kKeyMagic)
    return bad_key("not_openssh_key", "the key does not start with openssh-key-v1");
  WireReader w(r, "user_key");
  const Text cipher = w.text("ciphername");
  w.text("kdfname");
  w.blob("kdfoptions");
  const U32 count = w.u32("nkeys");
  const Blob public_blob = w.blob("publickey");
  const auto secret = w.nested("private");
  if (!w.ok() || !secret) return w.ok() ? bad_key("truncated", "no private section") : w.error();
  if (cipher.value != "none") return bad_key("encrypted_key", "the key is encrypted (" + cipher.value + ")");
  if (count.value != 1) return bad_key("key_count", "the file holds " + std::to_string(count.value) + " keys");
  WireReader p(*secret, "user_key.private");
  const U32 check1 = p.u32("check1");
  const U32 check2 = p.u32("check2");
  const Text type = p.text("keytype");
  if (!p.ok()) return p.error();
  if (check1.value != check2.value) return bad_key("check_mismatch", "the private section's check words differ");
  const KeyKind* kind = kind_of(type.value);
  if (kind == nullptr)
    return bad_key("unsupported_key",
                   "only ssh-ed25519, ssh-rsa and ecdsa-sha2-nistp256 user keys are supported, not " + type.value);
  PkeyPtr key = kind->read_private(p);
  if (!p.ok()) return p.error();
  if (!key) return bad_key("bad_key", "OpenSSL refused the " + type.value + " key");
  return UserKey(type.value, public_blob.value, std::move(key));
}

std::vector<std::string> UserKey::algorithms() const {
  std::vector<std::string> out;
  if (const KeyKind* kind = kind_of(key_type_))
    for (const auto name : kind->algorithms)
      if (!name.empty()) out.emplace_back(name);
  return out;
}

ByteVec UserKey::sign(Bytes data, std::string_view algorithm) const {
  const std::string name = algorithm.empty() ? this->algorithm() : std::string(algorithm);
  const ByteVec signature = raw_signature(key_.get(), name, data);
  Writer w;
  w.prefixed(4, [&](Writer& b) { b.text(name); });
  w.prefixed(4, [&](Writer& b) { b.bytes(signature); });
  return w.take();
}

}  // namespace sd::ssh
