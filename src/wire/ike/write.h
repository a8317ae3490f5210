// Builds IKEv2 messages: payload bodies, the chained message, and an IKE_SA_INIT request for probing.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "wire/ike/message.h"

namespace sd::ike {

/// One transform to offer: type (1 ENCR, 2 PRF, 3 INTEG, 4 KE, 5 ESN), ID, and key length for variable ciphers.
struct TransformSpec {
  std::uint8_t type = 0;
  std::uint16_t id = 0;
  std::optional<std::uint16_t> key_length;
};

/// One proposal to offer; proposals are numbered from 1 in the order given.
struct ProposalSpec {
  std::uint8_t protocol = 1;  ///< 1 IKE, 2 AH, 3 ESP
  ByteVec spi;                ///< empty for the IKE SA in IKE_SA_INIT
  std::vector<TransformSpec> transforms;
};

/// The transform with this registry name, with an optional key length after a slash:
/// "ENCR_AES_CBC/256", "PRF_HMAC_SHA2_256", "AUTH_HMAC_SHA2_256_128", "ECP_256", "NO_ESN". nullopt if unknown.
std::optional<TransformSpec> transform_named(std::string_view name);
/// A proposal of the named transforms; nullopt when any name is unknown.
std::optional<ProposalSpec> proposal_named(const std::vector<std::string>& names, std::uint8_t protocol = 1);

/// One payload to chain: its type and body; the 4-byte generic header is added when the message is written.
struct OutPayload {
  std::uint8_t type = 0;
  ByteVec body;
  bool critical = false;
  std::uint8_t inner_next = 0;  ///< SK / SKF only: the first payload inside the encrypted data
};

/// The body of an SA payload offering these proposals.
ByteVec sa_body(std::span<const ProposalSpec> proposals);
/// The body of a KE payload.
ByteVec ke_body(std::uint16_t group, Bytes data);
/// The body of a Notify payload.
ByteVec notify_body(std::uint16_t type, Bytes data = {}, std::uint8_t protocol = 0, Bytes spi = {});
/// A Notify payload ready to chain.
OutPayload notify(std::uint16_t type, Bytes data = {});

/// The whole message: header (next payload and length filled in) followed by the chained payloads.
ByteVec write_message(Header header, std::span<const OutPayload> payloads);
/// The datagram for port 4500: four zero bytes, then the message.
ByteVec with_non_esp_marker(Bytes message);

/// What an IKE_SA_INIT request offers. NAT detection hashes are SHA-1 values the caller computed (RFC 7296 2.23).
struct SaInitRequest {
  std::uint64_t initiator_spi = 0;
  std::vector<ProposalSpec> proposals;
  std::uint16_t ke_group = 0;
  ByteVec ke_data;                          ///< must have the group's initiator size for a peer to accept it
  ByteVec nonce;
  std::optional<ByteVec> cookie;            ///< echoed first when a responder asked for one
  std::optional<ByteVec> nat_source_hash;
  std::optional<ByteVec> nat_destination_hash;
  bool fragmentation = true;                ///< IKEV2_FRAGMENTATION_SUPPORTED
  std::vector<std::uint16_t> signature_hashes;  ///< SIGNATURE_HASH_ALGORITHMS, when not empty
  bool redirect_supported = false;
  std::vector<ByteVec> vendor_ids;
};

/// The payloads of an IKE_SA_INIT request in the order RFC 7296 uses: [N(COOKIE)], SA, KE, Ni, N…, V….
std::vector<OutPayload> sa_init_payloads(const SaInitRequest& request);
/// The IKE_SA_INIT request datagram (message ID 0, initiator flag set).
ByteVec write_sa_init_request(const SaInitRequest& request);

}  // namespace sd::ike
