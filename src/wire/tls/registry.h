// TLS code points, from the registries in data/registry/tls-*.tsv (tables generated at build time).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sd::tls::registry {

/// A code point that only needs a name (versions, content types, alert levels, certificate types …).
struct NamedCode {
  std::uint32_t code = 0;
  std::string_view name;
  std::string_view source;  ///< where the entry comes from (RFC, IANA registry)
};

/// One cipher suite with the properties an admin asks about.
struct CipherSuite {
  std::uint16_t code = 0;
  std::string_view iana_name;
  std::string_view openssl_name;  ///< empty when OpenSSL has no name for it
  std::string_view kx;            ///< RSA, DHE, ECDHE, DH, ECDH, PSK, DHE_PSK, RSA_PSK, ECDHE_PSK, SRP, *_EXPORT, any, SCSV, NULL
  std::string_view auth;          ///< RSA, DSS, ECDSA, PSK, SRP, anon, any, SCSV, NULL
  std::string_view cipher;        ///< e.g. AES_256, 3DES_EDE, CHACHA20_POLY1305, NULL
  std::string_view mode;          ///< CBC, GCM, CCM, CCM_8, CHACHA, stream, NULL, SCSV
  std::string_view mac;           ///< SHA, SHA256, SHA384, MD5, AEAD, NULL
  std::string_view min_version;   ///< SSLv3, TLSv1.0, TLSv1.2, TLSv1.3
  std::string_view source;
};

/// A handshake message type with the CamelCase title used in reports.
struct HandshakeType {
  std::uint32_t code = 0;
  std::string_view name;
  std::string_view title;
  std::string_view source;
};

/// An alert description with a plain-language meaning.
struct Alert {
  std::uint32_t code = 0;
  std::string_view name;
  std::string_view meaning;
  std::string_view source;
};

/// A supported group (named curve, finite-field group or hybrid).
struct Group {
  std::uint32_t code = 0;
  std::string_view name;
  std::string_view kind;  ///< ec, ffdhe, hybrid, explicit
  std::string_view source;
};

/// A signature scheme (or TLS 1.2 hash/signature pair).
struct SignatureScheme {
  std::uint32_t code = 0;
  std::string_view name;
  std::string_view algorithm;  ///< rsa_pkcs1, rsa_pss, ecdsa, dsa, eddsa
  std::string_view hash;
  std::string_view source;
};

/// How a plaintext reply begins, when text arrives where a TLS record was expected.
struct PlaintextSignature {
  std::uint32_t code = 0;  ///< match order
  std::string_view prefix;
  std::string_view kind;   ///< ftp-reply, smtp-greeting, imap-greeting, pop3-greeting, ssh-banner, http
  std::string_view meaning;
  std::string_view source;
};

/// The registries that only carry names.
enum class Names { version, content_type, alert_level, extension, certificate_type, ec_point_format, psk_mode, sslv2_cipher_kind };

/// The cipher suite with this code, or nullptr.
const CipherSuite* find_cipher_suite(std::uint16_t code);
/// The handshake type with this code, or nullptr.
const HandshakeType* find_handshake_type(std::uint8_t code);
/// The alert description with this code, or nullptr.
const Alert* find_alert(std::uint8_t code);
/// The group with this code, or nullptr.
const Group* find_group(std::uint16_t code);
/// The signature scheme with this code, or nullptr.
const SignatureScheme* find_signature_scheme(std::uint16_t code);
/// The entry with this code in a names-only registry, or nullptr.
const NamedCode* find_named(Names table, std::uint32_t code);

/// True for the RFC 8701 GREASE values (0x0A0A, 0x1A1A … 0xFAFA).
bool is_grease(std::uint16_t code);
/// True for the signalling suites (TLS_EMPTY_RENEGOTIATION_INFO_SCSV, TLS_FALLBACK_SCSV).
bool is_scsv(std::uint16_t code);

/// The suite's IANA name, "GREASE" or "unknown_0x1234".
std::string cipher_suite_name(std::uint16_t code);
/// The version's name ("TLSv1.2"), "GREASE" or "unknown_0x1234".
std::string version_name(std::uint16_t code);
/// A names-only entry's name, "GREASE" (for 16-bit tables) or "unknown_<code>".
std::string name_of(Names table, std::uint32_t code);
/// The group's name, "GREASE" or "unknown_<code>".
std::string group_name(std::uint16_t code);
/// The signature scheme's name, "GREASE" or "unknown_0x1234".
std::string signature_scheme_name(std::uint16_t code);

/// Whole tables, for listing and for the invariant test.
std::span<const CipherSuite> cipher_suites();
std::span<const HandshakeType> handshake_types();
std::span<const Alert> alerts();
std::span<const Group> groups();
std::span<const SignatureScheme> signature_schemes();
std::span<const NamedCode> named(Names table);
std::span<const NamedCode> grease_values();
std::span<const PlaintextSignature> plaintext_signatures();

/// "0x" and four lower-case hex digits (six for codes above 0xffff).
std::string hex16(std::uint32_t code);

}  // namespace sd::tls::registry
