#include "wire/ssh/kex_hash.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <array>
#include <memory>

#include "wire/ssh/wire_reader.h"
#include "wire/ssh/writer.h"

namespace sd::ssh {
namespace {

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using CtxPtr = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
using BnPtr = std::unique_ptr<BIGNUM, decltype(&BN_free)>;

void put_string(Writer& w, Bytes body) {
  w.prefixed(4, [&](Writer& b) { b.bytes(body); });
}

void put_string(Writer& w, std::string_view body) {
  w.prefixed(4, [&](Writer& b) { b.text(body); });
}

ByteVec sha256(Bytes data) {
  ByteVec out(32);
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &size, EVP_sha256(), nullptr);
  return out;
}

ParseError refused(std::string code, std::string message) {
  return malformed(0, "kex.signature", std::move(code), std::move(message));
}

// The public key inside a host key blob, ready for EVP_DigestVerify; nullptr when it does not parse.
PkeyPtr load_key(const std::string& type, WireReader& r) {
  if (type == "ssh-ed25519") {
    const Blob raw = r.blob("key");
    if (!r.ok() || raw.value.size() != 32) return PkeyPtr(nullptr, EVP_PKEY_free);
    return PkeyPtr(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw.value.data(), raw.value.size()),
                   EVP_PKEY_free);
  }
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  const char* family = "EC";
  BnPtr e(nullptr, BN_free), n(nullptr, BN_free);
  Blob point;
  if (type == "ecdsa-sha2-nistp256") {
    const Text curve = r.text("curve");
    point = r.blob("q");
    if (!r.ok() || curve.value != "nistp256") return PkeyPtr(nullptr, EVP_PKEY_free);
    OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0);
    OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.value.data(), point.value.size());
  } else if (type == "ssh-rsa") {
    family = "RSA";
    const Blob eb = r.blob("e"), nb = r.blob("n");
    if (!r.ok()) return PkeyPtr(nullptr, EVP_PKEY_free);
    e.reset(BN_bin2bn(eb.value.data(), static_cast<int>(eb.value.size()), nullptr));
    n.reset(BN_bin2bn(nb.value.data(), static_cast<int>(nb.value.size()), nullptr));
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get());
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get());
  } else {
    return PkeyPtr(nullptr, EVP_PKEY_free);
  }
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(bld.get()), OSSL_PARAM_free);
  const CtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, family, nullptr), EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0)
    return PkeyPtr(nullptr, EVP_PKEY_free);
  return PkeyPtr(key, EVP_PKEY_free);
}

// The DER ECDSA-Sig-Value from the SSH form: string { mpint r, mpint s } (RFC 5656 §3.1.2).
std::optional<ByteVec> ecdsa_der(Bytes ssh_signature) {
  WireReader r(Reader::bounded(ssh_signature), "ecdsa_signature");
  const Blob rb = r.blob("r"), sb = r.blob("s");
  r.expect_end();
  if (!r.ok()) return std::nullopt;
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(ECDSA_SIG_new(), ECDSA_SIG_free);
  BIGNUM* rn = BN_bin2bn(rb.value.data(), static_cast<int>(rb.value.size()), nullptr);
  BIGNUM* sn = BN_bin2bn(sb.value.data(), static_cast<int>(sb.value.size()), nullptr);
  if (!sig || !rn || !sn || ECDSA_SIG_set0(sig.get(), rn, sn) != 1) {
    BN_free(rn);
    BN_free(sn);
    return std::nullopt;
  }
  const int size = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (size <= 0) return std::nullopt;
  ByteVec der(static_cast<std::size_t>(size));
  unsigned char* out = der.data();
  i2d_ECDSA_SIG(sig.get(), &out);
  return der;
}

// The digest a signature algorithm uses over H, or nullptr for ssh-ed25519 (which signs H itself).
// Sets `fits` false when the algorithm does not belong to the key type.
const EVP_MD* digest_for(const std::string& algorithm, const std::string& key_type, bool& fits) {
  fits = true;
  if (algorithm == "ssh-ed25519" && key_type == "ssh-ed25519") return nullptr;
  if (algorithm == "ecdsa-sha2-nistp256" && key_type == algorithm) return EVP_sha256();
  if (algorithm == "rsa-sha2-256" && key_type == "ssh-rsa") return EVP_sha256();
  if (algorithm == "rsa-sha2-512" && key_type == "ssh-rsa") return EVP_sha512();
  fits = false;
  return nullptr;
}

bool digest_verify(EVP_PKEY* key, const EVP_MD* md, Bytes signature, Bytes message) {
  const MdCtxPtr ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key) == 1 &&
         EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(), message.size()) == 1;
}

}  // namespace

ByteVec exchange_hash(const ExchangeInputs& in, bool values_as_mpints) {
  Writer w;
  put_string(w, std::string_view(in.client_id));
  put_string(w, std::string_view(in.server_id));
  put_string(w, Bytes(in.client_kexinit));
  put_string(w, Bytes(in.server_kexinit));
  put_string(w, Bytes(in.host_key));
  if (values_as_mpints) {
    w.bytes(encode_mpint(in.client_value));
    w.bytes(encode_mpint(in.server_value));
  } else {
    put_string(w, Bytes(in.client_value));
    put_string(w, Bytes(in.server_value));
  }
  w.bytes(encode_mpint(in.shared_secret));
  return sha256(w.data());
}

ByteVec derive_key(Bytes shared_secret, Bytes exchange_hash, char letter, Bytes session_id, std::size_t size) {
  const ByteVec k = encode_mpint(shared_secret);
  Writer first;
  first.bytes(k);
  first.bytes(exchange_hash);
  first.u8(static_cast<std::uint8_t>(letter));
  first.bytes(session_id);
  ByteVec key = sha256(first.data());
  while (key.size() < size) {
    Writer more;
    more.bytes(k);
    more.bytes(exchange_hash);
    more.bytes(key);
    const ByteVec next = sha256(more.data());
    key.insert(key.end(), next.begin(), next.end());
  }
  key.resize(size);
  return key;
}

Result<std::string> verify_host_signature(Bytes host_key, Bytes signature, Bytes exchange_hash) {
  WireReader key_reader(Reader::bounded(host_key), "host_key");
  const Text key_type = key_reader.text("type");
  WireReader sig_reader(Reader::bounded(signature), "signature");
  const Text algorithm = sig_reader.text("algorithm");
  const Blob sig = sig_reader.blob("signature");
  sig_reader.expect_end();
  if (!key_reader.ok()) return key_reader.error();
  if (!sig_reader.ok()) return sig_reader.error();
  bool fits = false;
  const EVP_MD* md = digest_for(algorithm.value, key_type.value, fits);
  if (!fits)
    return refused("unsupported",
                   "signature " + algorithm.value + " with a " + key_type.value + " key is not checked here");
  const PkeyPtr key = load_key(key_type.value, key_reader);
  if (!key) return refused("bad_host_key", "the " + key_type.value + " host key does not load");
  ByteVec body = sig.value;
  if (key_type.value == "ecdsa-sha2-nistp256") {
    auto der = ecdsa_der(sig.value);
    if (!der) return refused("bad_signature", "the ECDSA signature does not parse");
    body = std::move(*der);
  }
  if (!digest_verify(key.get(), md, body, exchange_hash))
    return refused("bad_signature", "the " + algorithm.value + " signature over the exchange hash does not verify");
  return algorithm.value;
}

}  // namespace sd::ssh
