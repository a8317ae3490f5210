// Typed TLS records and handshake messages. Each keeps its raw bytes and the absolute offsets of its parts,
// so a report can point at the exact bytes; describe.h turns them into field trees.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"

namespace sd::tls {

/// Well-known code points the codec itself branches on (names come from the registry).
namespace code {
inline constexpr std::uint8_t kChangeCipherSpec = 20, kAlert = 21, kHandshake = 22, kApplicationData = 23;
inline constexpr std::uint8_t kClientHello = 1, kServerHello = 2, kNewSessionTicket = 4, kEncryptedExtensions = 8,
                              kCertificate = 11, kServerKeyExchange = 12, kCertificateRequest = 13,
                              kServerHelloDone = 14, kCertificateVerify = 15, kClientKeyExchange = 16, kFinished = 20;
inline constexpr std::uint16_t kServerName = 0, kMaxFragmentLength = 1, kStatusRequest = 5, kSupportedGroups = 10,
                               kEcPointFormats = 11, kSignatureAlgorithms = 13, kAlpn = 16, kPadding = 21,
                               kEncryptThenMac = 22, kExtendedMasterSecret = 23, kSessionTicket = 35,
                               kSupportedVersions = 43, kCookie = 44, kPskModes = 45, kCertificateAuthorities = 47,
                               kSignatureAlgorithmsCert = 50, kKeyShare = 51, kRenegotiationInfo = 0xff01;
inline constexpr std::uint16_t kTls10 = 0x0301, kTls11 = 0x0302, kTls12 = 0x0303, kTls13 = 0x0304;
inline constexpr std::uint16_t kRenegotiationScsv = 0x00ff, kFallbackScsv = 0x5600;
}  // namespace code

/// Which message an extension sits in; some extensions (key_share, supported_versions) differ by place.
enum class Place { client_hello, server_hello, hello_retry_request, encrypted_extensions, certificate_request, certificate };

/// What is known about the connection so far, so that ambiguous messages parse the right way.
struct Context {
  std::optional<std::uint16_t> version;       ///< negotiated version, once a ServerHello was seen
  std::optional<std::uint16_t> cipher_suite;  ///< chosen suite, once a ServerHello was seen
};

/// One extension: type and body, raw; extensions.h describes bodies through a table.
struct Extension {
  std::uint16_t type = 0;
  std::size_t offset = 0;       ///< absolute offset of the type field
  std::size_t data_offset = 0;  ///< absolute offset of the body
  ByteVec data;
};

/// A record header and its fragment.
struct Record {
  std::uint8_t content_type = 0;
  std::uint16_t version = 0;
  std::uint16_t length = 0;         ///< the header's length field
  std::size_t offset = 0;           ///< absolute offset of the header
  std::size_t fragment_offset = 0;  ///< absolute offset of the fragment
  ByteVec fragment;
};

/// The SSL 2.0-format ClientHello that old clients send to reach SSLv3/TLS servers.
struct Sslv2ClientHello {
  std::size_t offset = 0;
  std::uint16_t version = 0;               ///< highest version offered (0x0002 = SSLv2, 0x0301 = TLS 1.0 …)
  std::size_t cipher_specs_offset = 0;
  std::vector<std::uint32_t> cipher_specs;  ///< 3-byte specs; 0x00XXXX is the TLS suite XXXX
  ByteVec session_id;
  ByteVec challenge;
  ByteVec raw;
};

struct ClientHello {
  std::uint16_t legacy_version = 0;
  std::size_t random_offset = 0;
  ByteVec random;
  ByteVec session_id;
  std::size_t cipher_suites_offset = 0;  ///< offset of the first suite (after the length)
  std::vector<std::uint16_t> cipher_suites;
  std::size_t compression_offset = 0;
  std::vector<std::uint8_t> compression_methods;
  bool has_extensions_block = false;    ///< false for a pre-extension (SSLv3/TLS 1.0-style) hello
  std::size_t extensions_offset = 0;
  std::vector<Extension> extensions;
};

struct ServerHello {
  std::uint16_t legacy_version = 0;
  std::size_t random_offset = 0;
  ByteVec random;
  ByteVec session_id;
  std::size_t cipher_suite_offset = 0;
  std::uint16_t cipher_suite = 0;
  std::uint8_t compression_method = 0;
  bool has_extensions_block = false;
  std::size_t extensions_offset = 0;
  std::vector<Extension> extensions;
  bool hello_retry_request = false;  ///< the random is the RFC 8446 HelloRetryRequest marker
};

/// One certificate in a Certificate message (DER bytes; 1.3 entries also carry extensions).
struct CertificateEntry {
  std::size_t offset = 0;  ///< absolute offset of the DER bytes
  ByteVec der;
  std::vector<Extension> extensions;
};

struct Certificate {
  bool tls13 = false;
  ByteVec request_context;
  std::vector<CertificateEntry> entries;
};

/// The server's ephemeral key and its signature (ECDHE or DHE form).
struct ServerKeyExchange {
  enum class Kind { ecdhe, dhe } kind = Kind::ecdhe;
  std::uint16_t group = 0;  ///< ECDHE named group
  ByteVec public_key;       ///< ECDHE point or DHE Ys
  ByteVec dh_p;             ///< DHE prime (its size is the DH group size)
  ByteVec dh_g;
  std::size_t params_offset = 0;
  std::optional<std::uint16_t> signature_scheme;  ///< absent before TLS 1.2
  std::size_t signature_offset = 0;
  ByteVec signature;
};

/// A DER-encoded distinguished name from a CA list.
struct DistinguishedName {
  std::size_t offset = 0;
  ByteVec der;
};

struct CertificateRequest {
  bool tls13 = false;
  std::vector<std::uint8_t> certificate_types;                     ///< 1.2
  std::optional<std::vector<std::uint16_t>> signature_schemes;     ///< 1.2 (absent before 1.2)
  std::size_t signature_schemes_offset = 0;                        ///< offset of the first scheme
  std::vector<DistinguishedName> ca_names;                         ///< 1.2
  std::size_t ca_names_offset = 0;                                 ///< offset of the CA list's length
  ByteVec request_context;                                         ///< 1.3
  std::vector<Extension> extensions;                               ///< 1.3
};

/// A message kept as opaque bytes (Finished, ServerHelloDone, encrypted or unknown types).
struct Opaque {
  ByteVec body;
};

/// One handshake message: header and typed body.
struct Handshake {
  std::uint8_t type = 0;
  std::size_t offset = 0;       ///< absolute offset of the 4-byte header
  std::size_t body_offset = 0;
  std::uint32_t length = 0;
  std::variant<Opaque, ClientHello, ServerHello, Certificate, ServerKeyExchange, CertificateRequest> body;
};

struct Alert {
  std::size_t offset = 0;
  std::uint8_t level = 0;
  std::uint8_t description = 0;
};

}  // namespace sd::tls
