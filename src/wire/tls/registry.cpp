#include "wire/tls/registry.h"

#include <algorithm>

#include "wire/tls/registry_tables.h"  // generated from data/registry/tls-*.tsv

namespace sd::tls::registry {

namespace {

/// Binary search over a generated table (the generator sorts by code and refuses duplicates).
template <class Row>
const Row* find_in(std::span<const Row> rows, std::uint32_t code) {
  const auto it = std::lower_bound(rows.begin(), rows.end(), code,
                                   [](const Row& r, std::uint32_t c) { return r.code < c; });
  return (it != rows.end() && it->code == code) ? &*it : nullptr;
}

std::string unknown(std::uint32_t code) { return "unknown_" + hex16(code); }

}  // namespace

std::string hex16(std::uint32_t code) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  for (int shift = code > 0xffff ? 20 : 12; shift >= 0; shift -= 4) out.push_back(kDigits[(code >> shift) & 0xf]);
  return out;
}

std::span<const CipherSuite> cipher_suites() { return kCipherSuites; }
std::span<const HandshakeType> handshake_types() { return kHandshakeTypes; }
std::span<const Alert> alerts() { return kAlerts; }
std::span<const Group> groups() { return kGroups; }
std::span<const SignatureScheme> signature_schemes() { return kSignatureSchemes; }
std::span<const NamedCode> grease_values() { return kGrease; }
std::span<const PlaintextSignature> plaintext_signatures() { return kPlaintextSignatures; }

std::span<const NamedCode> named(Names table) {
  switch (table) {
    case Names::version: return kVersions;
    case Names::content_type: return kContentTypes;
    case Names::alert_level: return kAlertLevels;
    case Names::extension: return kExtensions;
    case Names::certificate_type: return kCertificateTypes;
    case Names::ec_point_format: return kEcPointFormats;
    case Names::psk_mode: return kPskModes;
    case Names::sslv2_cipher_kind: return kSslv2CipherKinds;
  }
  return {};
}

const CipherSuite* find_cipher_suite(std::uint16_t code) { return find_in(cipher_suites(), code); }
const HandshakeType* find_handshake_type(std::uint8_t code) { return find_in(handshake_types(), code); }
const Alert* find_alert(std::uint8_t code) { return find_in(alerts(), code); }
const Group* find_group(std::uint16_t code) { return find_in(groups(), code); }
const SignatureScheme* find_signature_scheme(std::uint16_t code) { return find_in(signature_schemes(), code); }
const NamedCode* find_named(Names table, std::uint32_t code) { return find_in(named(table), code); }

bool is_grease(std::uint16_t code) { return find_in(grease_values(), code) != nullptr; }

bool is_scsv(std::uint16_t code) {
  const auto* s = find_cipher_suite(code);
  return s && s->mode == "SCSV";
}

std::string cipher_suite_name(std::uint16_t code) {
  if (const auto* s = find_cipher_suite(code)) return std::string(s->iana_name);
  return is_grease(code) ? "GREASE" : unknown(code);
}

std::string version_name(std::uint16_t code) { return name_of(Names::version, code); }

std::string name_of(Names table, std::uint32_t code) {
  if (const auto* n = find_named(table, code)) return std::string(n->name);
  return (code <= 0xffff && is_grease(static_cast<std::uint16_t>(code))) ? "GREASE" : unknown(code);
}

std::string group_name(std::uint16_t code) {
  if (const auto* g = find_group(code)) return std::string(g->name);
  return is_grease(code) ? "GREASE" : unknown(code);
}

std::string signature_scheme_name(std::uint16_t code) {
  if (const auto* s = find_signature_scheme(code)) return std::string(s->name);
  return is_grease(code) ? "GREASE" : unknown(code);
}

}  // namespace sd::tls::registry
