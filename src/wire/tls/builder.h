// Building a ClientHello with sd::Writer: what the probe sends, and what tests round-trip through the parser.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"

namespace sd::tls {

/// One extension in hello order: its body generated from the spec's fields for its type, or exactly `body`.
/// A type the builder has no generator for and no body is written with an empty body (e.g. post_handshake_auth).
struct ExtensionSlot {
  std::uint16_t type = 0;
  std::optional<ByteVec> body;  ///< nullopt: generated from the spec
};

/// What goes into a ClientHello. Empty lists leave their extension out.
struct ClientHelloSpec {
  std::uint16_t record_version = 0x0301;   ///< version in the record header
  std::uint16_t legacy_version = 0x0303;   ///< ClientHello.legacy_version
  ByteVec random = ByteVec(32, 0);         ///< exactly 32 bytes
  ByteVec session_id;
  std::vector<std::uint16_t> cipher_suites;
  bool extensions_block = true;            ///< false: a pre-extension hello ending after compression methods
  std::string server_name;
  std::vector<std::uint16_t> supported_groups;
  std::vector<std::uint16_t> signature_algorithms;
  std::vector<std::uint16_t> supported_versions;
  std::vector<std::string> alpn;
  std::vector<std::pair<std::uint16_t, ByteVec>> key_shares;  ///< group and public key
  bool ec_point_formats = false;           ///< send uncompressed only
  bool extended_master_secret = false;
  bool encrypt_then_mac = false;
  bool renegotiation_info = false;         ///< the empty renegotiation_info extension
  bool session_ticket = false;             ///< an empty session_ticket extension
  bool psk_dhe_ke = false;                 ///< psk_key_exchange_modes = psk_dhe_ke
  /// Non-empty: exactly these extensions in this order (the flags and empty lists above no longer decide which
  /// are sent); empty: the builder's own order, each extension sent when its field is set.
  std::vector<ExtensionSlot> extension_order;
};

/// The handshake message (4-byte header and body), without a record header.
ByteVec build_client_hello(const ClientHelloSpec& spec);
/// The ClientHello wrapped in one handshake record.
ByteVec build_client_hello_record(const ClientHelloSpec& spec);

}  // namespace sd::tls
