// The ClientHello a profile sends, as a builder spec.
#include <algorithm>

#include "tlsprofiles/profiles.h"

namespace sd::tlsprofiles {
namespace {

/// A valid public value for a key share: the group's base point (a real key is not needed to see what the
/// server answers). nullopt for groups without one here; the server may then answer HelloRetryRequest.
std::optional<ByteVec> placeholder_share(std::uint16_t group) {
  switch (group) {
    case 0x001d: {  // x25519: u = 9 (RFC 7748 section 4.1), little-endian
      ByteVec u(32, 0);
      u[0] = 9;
      return u;
    }
    case 0x001e: {  // x448: u = 5 (RFC 7748 section 4.2)
      ByteVec u(56, 0);
      u[0] = 5;
      return u;
    }
    case 0x0017:  // secp256r1: the generator G, uncompressed (SEC 2 section 2.4.2)
      return from_hex(
          "04"
          "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
          "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");
    case 0x0018:  // secp384r1: the generator G, uncompressed (SEC 2 section 2.5.1); FileZilla's first key share
      return from_hex(
          "04"
          "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7"
          "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f");
    default:
      return std::nullopt;
  }
}

/// Every listed extension in the client's order, with its raw body where the profile gives one.
std::vector<tls::ExtensionSlot> slots_of(const ClientProfile& profile) {
  std::vector<tls::ExtensionSlot> out;
  for (const auto type : profile.extensions.value) {
    tls::ExtensionSlot slot{type, std::nullopt};
    for (const auto& raw : profile.extension_bodies.value)
      if (raw.type == type) slot.body = raw.body;
    out.push_back(std::move(slot));
  }
  return out;
}

bool has(const std::vector<std::uint16_t>& v, std::uint16_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }

}  // namespace

tls::ClientHelloSpec hello_for(const ClientProfile& profile, const std::string& server_name) {
  tls::ClientHelloSpec s;
  const Versions& v = profile.versions.value;
  s.record_version = v.record_version;
  s.legacy_version = v.legacy_version;
  s.random = ByteVec(32, 0x5a);
  s.cipher_suites = profile.cipher_suites.value;
  s.extensions_block = profile.extensions_block.value;
  const auto& ext = profile.extensions.value;
  if (has(ext, 0)) s.server_name = server_name;
  s.supported_groups = profile.groups.value;
  s.signature_algorithms = profile.signature_schemes.value;
  s.supported_versions = v.supported;
  s.ec_point_formats = has(ext, 11);
  s.encrypt_then_mac = has(ext, 22);
  s.extended_master_secret = has(ext, 23);
  s.session_ticket = has(ext, 35);
  s.psk_dhe_ke = has(ext, 45);
  s.renegotiation_info = has(ext, 0xff01);
  for (const auto g : profile.key_share_groups.value)
    if (auto share = placeholder_share(g)) s.key_shares.emplace_back(g, std::move(*share));
  s.extension_order = slots_of(profile);
  if (!v.supported.empty()) s.session_id = ByteVec(32, 0xa5);  // TLS 1.3 clients send a legacy session id
  return s;
}

}  // namespace sd::tlsprofiles
