// The ClientHellos the scan sends: one version, a set of suites and groups, and a hello shape (normal, or one of
// the odd shapes some servers choke on). Built with the codec's builder; key shares are real OpenSSL keys.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"

namespace sd::probe::tls {

inline constexpr std::uint16_t kSsl3 = 0x0300, kTls10 = 0x0301, kTls11 = 0x0302, kTls12 = 0x0303, kTls13 = 0x0304;

/// The versions the scan tries, oldest first.
inline constexpr std::uint16_t kScanVersions[] = {kSsl3, kTls10, kTls11, kTls12, kTls13};

/// How a hello is shaped beyond its lists.
enum class Shape {
  normal,         ///< session id, extensions, suites as given
  no_session_id,  ///< an empty legacy session id
  no_extensions,  ///< no extension block at all (an SSLv3/TLS 1.0-era hello)
  many_suites,    ///< the suites padded past 128 entries with unassigned code points
  large,          ///< a padding extension brings the hello past 512 bytes
  huge,           ///< a padding extension brings the hello past 16 KiB, so it spans two records
  sslv2,          ///< the SSL 2.0-compatible format (version up to TLS 1.0 inside)
};

/// The stable name of a shape, as used in ServerFacts::intolerance ("no-extensions", "large-hello" …).
std::string_view to_string(Shape shape);

/// One hello to send.
struct Offer {
  std::uint16_t version = kTls12;          ///< the single version offered
  std::vector<std::uint16_t> suites;       ///< in our order of preference
  std::vector<std::uint16_t> groups;       ///< supported_groups; the first one with a key generator gets the 1.3 key share
  std::string sni;                         ///< empty: no server_name extension
  std::vector<std::uint16_t> signature_schemes;  ///< signature_algorithms; empty: every scheme in the registry
  Shape shape = Shape::normal;
};

/// Every suite in the registry that can be negotiated at this version, excluding SCSVs, PSK and SRP suites (they
/// need a pre-shared secret): TLS 1.3 suites for 1.3, the others (by their minimum version) below.
std::vector<std::uint16_t> suites_for(std::uint16_t version);
/// The named groups the scan offers: elliptic curves from the registry in common-first order, then FFDHE groups.
std::vector<std::uint16_t> scan_groups();
/// Every signature scheme in the registry (GREASE excluded).
std::vector<std::uint16_t> scan_signature_schemes();
/// True when the scan can make a real key share for this group (x25519, x448, P-256, P-384, P-521).
bool can_share(std::uint16_t group);

/// The bytes to send: one or more records holding the hello (or the SSLv2-format hello).
ByteVec build_offer(const Offer& offer);

}  // namespace sd::probe::tls
