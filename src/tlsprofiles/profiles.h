// TLS client profiles (data/profiles/tls/*.yaml, compiled in): what a known client offers in its ClientHello and
// how it behaves, each fact with the source it comes from; and the hello the probe sends to emulate it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"
#include "wire/tls/builder.h"

namespace sd::tlsprofiles {

/// A value and where it is documented or captured ("capture tests/vectors/…", "RFC …", an IBM doc URL).
template <class T>
struct Sourced {
  T value{};
  std::string source;
};

/// A known behaviour of a client beyond its hello, e.g. "fails on a CertificateRequest with an empty CA list".
struct Behaviour {
  std::string id;      ///< kebab-case, stable (e.g. "aborts-on-certificate-request")
  std::string text;    ///< plain words
  std::string source;
};

/// What a client shows its user when a given failure (KB id) happens, e.g. "EZA2897I Authentication negotiation failed".
struct Symptom {
  std::string kb_id;   ///< the KB rule id it belongs to; "*" for any handshake failure
  std::string text;
  std::string source;
};

/// The versions a client offers and how its hello carries them.
struct Versions {
  std::uint16_t record_version = 0x0301;     ///< version in the record header of the hello
  std::uint16_t legacy_version = 0x0303;     ///< ClientHello.legacy_version
  std::vector<std::uint16_t> supported;      ///< supported_versions extension, in order; empty when not sent
  std::uint16_t min = 0x0301;                ///< lowest version the client accepts from a server
  std::uint16_t max = 0x0303;                ///< highest version it offers
};

/// The exact body a client sends for one extension, where the builder's generated body differs or it has none
/// (status_request, padding, record_size_limit, status_request_v2, signature_algorithms_cert, …).
struct ExtensionBody {
  std::uint16_t type = 0;
  ByteVec body;
};

/// One client as it ships (or as configured in a captured case).
struct ClientProfile {
  std::string id;                            ///< file name without .yaml, e.g. "zos-2.2-ftp"
  std::string name;
  std::string platform;                      ///< "z/OS", "IBM i", "AIX", "Linux", "Windows", "any"
  std::string version;                       ///< release of the client or its TLS library
  std::vector<std::string> sources;          ///< where the profile as a whole comes from
  Sourced<Versions> versions;
  Sourced<std::vector<std::uint16_t>> cipher_suites;      ///< in the client's order, SCSVs included
  Sourced<std::vector<std::uint16_t>> extensions;         ///< extension types in hello order; empty: none
  Sourced<bool> extensions_block{true, {}};               ///< false: a pre-extension hello (no extension block at all)
  Sourced<std::vector<ExtensionBody>> extension_bodies;   ///< raw bodies by type; the rest are generated
  Sourced<std::vector<std::uint16_t>> groups;             ///< supported_groups, in order
  Sourced<std::vector<std::uint16_t>> key_share_groups;   ///< groups with a key share in a TLS 1.3 hello
  Sourced<std::vector<std::uint16_t>> signature_schemes;  ///< signature_algorithms, in order
  Sourced<std::optional<bool>> client_certificate;        ///< sends a certificate when asked, as described; nullopt unknown
  Sourced<std::optional<bool>> ftps_session_reuse;        ///< resumes the control session on FTPS data connections
  Sourced<std::optional<unsigned>> min_dh_bits;           ///< smallest DHE group it accepts
  std::vector<Behaviour> behaviours;
  std::vector<Symptom> symptoms;
  std::string fix_client;                    ///< how to change this client's TLS settings, when known
  std::string source_path;                   ///< the data file it came from

  /// True when the profile's hello carries this extension type.
  bool offers_extension(std::uint16_t type) const;
  /// True when the profile has a behaviour with this id.
  bool has_behaviour(std::string_view behaviour_id) const;
};

/// Reads one profile from YAML text; `path` names it in errors. Malformed when a field is missing, a name is
/// unknown, or a fact has no source.
Result<ClientProfile> parse_profile(std::string_view yaml, const std::string& path);
/// Reads one profile file.
Result<ClientProfile> load_profile_file(const std::string& path);
/// Every profile compiled into the binary, in file-name order (a profile that does not parse is left out;
/// profile_errors() says which).
std::vector<ClientProfile> load_profiles();
/// The embedded files that failed to parse, one message each ("path: reason"); empty when all loaded.
std::vector<std::string> profile_errors();
/// The embedded profile with this id, or nullopt.
std::optional<ClientProfile> find_profile(std::string_view id);

/// The ClientHello this client sends (random and key shares are fixed placeholders; `server_name` goes into SNI
/// when the client sends SNI). Extensions go in the client's order, with the profile's raw bodies where it has them,
/// so the hello equals the captured one apart from random, session id and key share values.
tls::ClientHelloSpec hello_for(const ClientProfile& profile, const std::string& server_name = "localhost");

}  // namespace sd::tlsprofiles
