// Hellos for the scan, built with sd::tls::ClientHelloSpec; odd shapes are made from the same spec.
#include "probe/tls/hello.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <memory>

#include "wire/tls/builder.h"
#include "wire/tls/messages.h"
#include "wire/tls/registry.h"

namespace sd::probe::tls {
namespace reg = sd::tls::registry;
namespace {

constexpr std::size_t kRecordChunk = 16384;
constexpr std::uint16_t kPaddingExtension = 21;
constexpr std::size_t kManySuites = 140;   // past the 128-entry limit of some old servers
constexpr std::size_t kLargeHello = 600;   // past the 512-byte limit of some old servers
constexpr std::size_t kHugeHello = 17000;  // past one record

// Curves offered first, the rest of the registry's curves after (code points from RFC 8422 / RFC 8446).
constexpr std::array<std::uint16_t, 5> kCommonCurves = {0x001d, 0x0017, 0x0018, 0x0019, 0x001e};

// Signature schemes offered first (RFC 8446 4.2.3 code points), so a server that takes the client's order signs
// with SHA-256 or better; SHA-224, SHA-1 and DSA come after, from the registry.
constexpr std::array<std::uint16_t, 14> kStrongSchemes = {0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080a,
                                                          0x080b, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601};

std::uint16_t min_version_code(std::string_view name) {
  if (name == "SSLv3") return kSsl3;
  if (name == "TLSv1.0") return kTls10;
  if (name == "TLSv1.2") return kTls12;
  if (name == "TLSv1.3") return kTls13;
  return 0xffff;
}

bool needs_shared_secret(const reg::CipherSuite& s) {
  return s.kx.find("PSK") != std::string_view::npos || s.kx == "SRP" || s.kx == "SCSV" || s.kx == "NULL";
}

ByteVec random_bytes(std::size_t n) {
  ByteVec out(n);
  RAND_bytes(out.data(), static_cast<int>(n));
  return out;
}

// The OpenSSL key generator arguments for a group we can share a key for.
struct KeyKind {
  std::uint16_t group;
  const char* type;
  const char* curve;  // nullptr for X25519/X448
};
constexpr std::array<KeyKind, 5> kKeyKinds = {{{0x001d, "X25519", nullptr},
                                               {0x001e, "X448", nullptr},
                                               {0x0017, "EC", "P-256"},
                                               {0x0018, "EC", "P-384"},
                                               {0x0019, "EC", "P-521"}}};

ByteVec key_share(std::uint16_t group) {
  for (const auto& k : kKeyKinds) {
    if (k.group != group) continue;
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        k.curve ? EVP_PKEY_Q_keygen(nullptr, nullptr, k.type, k.curve) : EVP_PKEY_Q_keygen(nullptr, nullptr, k.type),
        EVP_PKEY_free);
    if (!key) return {};
    unsigned char* encoded = nullptr;
    const std::size_t n = EVP_PKEY_get1_encoded_public_key(key.get(), &encoded);
    ByteVec out(encoded, encoded + n);
    OPENSSL_free(encoded);
    return out;
  }
  return {};
}

sd::tls::ClientHelloSpec spec_for(const Offer& offer) {
  sd::tls::ClientHelloSpec s;
  const bool tls13 = offer.version == kTls13;
  s.record_version = offer.version == kSsl3 ? kSsl3 : kTls10;
  s.legacy_version = tls13 ? kTls12 : offer.version;
  s.random = random_bytes(32);
  if (offer.shape != Shape::no_session_id) s.session_id = random_bytes(32);
  s.cipher_suites = offer.suites;
  if (offer.version == kSsl3 || offer.shape == Shape::no_extensions) {
    s.extensions_block = false;
    s.cipher_suites.push_back(sd::tls::code::kRenegotiationScsv);
    return s;
  }
  s.server_name = offer.sni;
  s.supported_groups = offer.groups;
  s.ec_point_formats = !tls13;
  s.signature_algorithms = offer.signature_schemes.empty() ? scan_signature_schemes() : offer.signature_schemes;
  s.renegotiation_info = !tls13;
  s.extended_master_secret = true;
  s.session_ticket = !tls13;
  if (!tls13) return s;
  s.supported_versions = {kTls13};
  s.psk_dhe_ke = true;
  const auto shared = std::find_if(offer.groups.begin(), offer.groups.end(), can_share);
  if (shared != offer.groups.end()) s.key_shares.emplace_back(*shared, key_share(*shared));
  return s;
}

// Unassigned suite code points (0x0a00.., never registered) that pad the list past 128 entries.
void pad_suites(std::vector<std::uint16_t>& suites) {
  for (std::uint16_t code = 0x0a01; suites.size() < kManySuites; ++code) suites.push_back(code);
}

// The hello message with a padding extension (RFC 7685) appended so the message reaches `target` bytes.
ByteVec with_padding(const sd::tls::ClientHelloSpec& spec, std::size_t target) {
  const ByteVec plain = sd::tls::build_client_hello(spec);
  // Our own bytes: header(4) version(2) random(32) session_id(1+n) suites(2+2k) compression(2), then extensions.
  const std::size_t extensions_at = 4 + 2 + 32 + 1 + spec.session_id.size() + 2 + 2 * spec.cipher_suites.size() + 2;
  const Bytes all(plain);
  const std::size_t fill = target > plain.size() + 4 ? target - plain.size() - 4 : 0;
  Writer w;
  w.u8(sd::tls::code::kClientHello);
  w.prefixed(3, [&](Writer& body) {
    body.bytes(all.subspan(4, extensions_at - 4));
    body.prefixed(2, [&](Writer& e) {
      e.bytes(all.subspan(extensions_at + 2));
      e.u16(kPaddingExtension);
      e.prefixed(2, [&](Writer& p) { p.bytes(ByteVec(fill, 0)); });
    });
  });
  return w.take();
}

ByteVec into_records(Bytes message, std::uint16_t record_version) {
  Writer w;
  for (std::size_t at = 0; at < message.size(); at += kRecordChunk) {
    const Bytes part = message.subspan(at, std::min(kRecordChunk, message.size() - at));
    w.u8(sd::tls::code::kHandshake);
    w.u16(record_version);
    w.prefixed(2, [&](Writer& r) { r.bytes(part); });
  }
  return w.take();
}

// SSL 2.0-format CLIENT-HELLO (RFC 6101 appendix E.2) carrying TLS suites as 3-byte specs.
ByteVec sslv2_hello(const Offer& offer) {
  const std::uint16_t version = std::min<std::uint16_t>(offer.version, kTls10);
  const ByteVec challenge = random_bytes(16);
  Writer body;
  body.u8(1);
  body.u16(version);
  body.u16(static_cast<std::uint16_t>(3 * offer.suites.size()));
  body.u16(0);
  body.u16(static_cast<std::uint16_t>(challenge.size()));
  for (const auto suite : offer.suites) {
    body.u8(0);
    body.u16(suite);
  }
  body.bytes(challenge);
  Writer w;
  w.u16(static_cast<std::uint16_t>(0x8000u | body.size()));
  w.bytes(body.data());
  return w.take();
}

}  // namespace

std::string_view to_string(Shape shape) {
  constexpr std::array<std::string_view, 7> kNames = {"normal", "no-session-id", "no-extensions", "many-suites",
                                                      "large-hello", "huge-hello", "sslv2-hello"};
  return kNames[static_cast<std::size_t>(shape)];
}

std::vector<std::uint16_t> suites_for(std::uint16_t version) {
  std::vector<std::uint16_t> out;
  for (const auto& s : reg::cipher_suites()) {
    if (needs_shared_secret(s) || reg::is_scsv(s.code)) continue;
    const std::uint16_t min = min_version_code(s.min_version);
    const bool fits = version == kTls13 ? min == kTls13 : (min != kTls13 && min <= version);
    if (fits) out.push_back(s.code);
  }
  return out;
}

std::vector<std::uint16_t> scan_groups() {
  std::vector<std::uint16_t> out(kCommonCurves.begin(), kCommonCurves.end());
  for (const auto& g : reg::groups()) {
    const bool wanted = g.kind == "ec" || g.kind == "ffdhe";
    if (wanted && std::find(out.begin(), out.end(), g.code) == out.end()) out.push_back(static_cast<std::uint16_t>(g.code));
  }
  return out;
}

std::vector<std::uint16_t> scan_signature_schemes() {
  std::vector<std::uint16_t> out(kStrongSchemes.begin(), kStrongSchemes.end());
  for (const auto& s : reg::signature_schemes()) {
    const auto code = static_cast<std::uint16_t>(s.code);
    if (!reg::is_grease(code) && std::find(out.begin(), out.end(), code) == out.end()) out.push_back(code);
  }
  return out;
}

bool can_share(std::uint16_t group) {
  return std::any_of(kKeyKinds.begin(), kKeyKinds.end(), [&](const KeyKind& k) { return k.group == group; });
}

ByteVec build_offer(const Offer& offer) {
  if (offer.shape == Shape::sslv2) return sslv2_hello(offer);
  sd::tls::ClientHelloSpec spec = spec_for(offer);
  if (offer.shape == Shape::many_suites) pad_suites(spec.cipher_suites);
  const bool padded = offer.shape == Shape::large || offer.shape == Shape::huge;
  const ByteVec message = padded ? with_padding(spec, offer.shape == Shape::large ? kLargeHello : kHugeHello)
                                 : sd::tls::build_client_hello(spec);
  return into_records(message, spec.record_version);
}

}  // namespace sd::probe::tls
