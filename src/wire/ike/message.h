// IKEv2 messages (RFC 7296) as parsed from a UDP datagram: header, then the chain of payloads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"

namespace sd::ike {

/// Most payloads one message may carry before the chain is treated as hostile.
inline constexpr std::size_t kMaxPayloads = 64;
/// Most proposals in one SA payload, and transforms / attributes in one proposal / transform.
inline constexpr std::size_t kMaxProposals = 64;
inline constexpr std::size_t kMaxTransforms = 128;
inline constexpr std::size_t kMaxAttributes = 16;
/// Size of the IKE header.
inline constexpr std::size_t kHeaderSize = 28;

/// Payload type numbers used by the code (the names live in the registry).
enum PayloadType : std::uint8_t {
  kNoNext = 0, kSA = 33, kKE = 34, kIDi = 35, kIDr = 36, kCERT = 37, kCERTREQ = 38, kAUTH = 39, kNonce = 40,
  kNotify = 41, kDelete = 42, kVendor = 43, kTSi = 44, kTSr = 45, kSK = 46, kCP = 47, kEAP = 48, kSKF = 53,
};

/// Notify types the code reacts to.
enum NotifyCode : std::uint16_t {
  kNoProposalChosen = 14, kInvalidKePayload = 17, kAuthenticationFailed = 24, kTsUnacceptable = 38,
  kNatDetectionSourceIp = 16388, kNatDetectionDestinationIp = 16389, kCookie = 16390,
  kRedirectSupported = 16406, kFragmentationSupported = 16430, kSignatureHashAlgorithms = 16431,
};

/// Header flag bits (RFC 7296 3.1).
inline constexpr std::uint8_t kFlagInitiator = 0x08;
inline constexpr std::uint8_t kFlagVersion = 0x10;
inline constexpr std::uint8_t kFlagResponse = 0x20;

/// The fixed 28-byte IKE header.
struct Header {
  std::uint64_t initiator_spi = 0;
  std::uint64_t responder_spi = 0;
  std::uint8_t next_payload = 0;
  std::uint8_t major_version = 2;
  std::uint8_t minor_version = 0;
  std::uint8_t exchange_type = 0;
  std::uint8_t flags = 0;
  std::uint32_t message_id = 0;
  std::uint32_t length = 0;

  /// Sent by the original initiator of the IKE SA.
  bool initiator() const { return (flags & kFlagInitiator) != 0; }
  /// The message is a response.
  bool response() const { return (flags & kFlagResponse) != 0; }
  /// The sender could speak a higher major version.
  bool higher_version() const { return (flags & kFlagVersion) != 0; }
};

/// One transform attribute; TV form carries a 16-bit value, TLV form carries bytes.
struct Attribute {
  std::uint16_t type = 0;
  bool tv = true;
  std::uint16_t value = 0;
  ByteVec data;
  std::size_t offset = 0;
};

/// One transform of a proposal (3.3.2).
struct Transform {
  std::uint8_t type = 0;
  std::uint16_t id = 0;
  std::optional<std::uint16_t> key_length;
  std::vector<Attribute> attributes;
  std::size_t offset = 0;
  std::size_t length = 0;
};

/// One proposal of an SA payload (3.3.1).
struct Proposal {
  std::uint8_t number = 0;
  std::uint8_t protocol = 0;
  ByteVec spi;
  std::vector<Transform> transforms;
  std::size_t offset = 0;
  std::size_t length = 0;
};

/// SA payload.
struct SaPayload { std::vector<Proposal> proposals; };

/// KE payload; expected_bytes is the group's size in this direction when the group is known.
struct KePayload {
  std::uint16_t group = 0;
  ByteVec data;
  std::optional<std::size_t> expected_bytes;
  /// False when the group is known and the data does not have its size.
  bool size_ok() const { return !expected_bytes || *expected_bytes == data.size(); }
};

/// Ni / Nr payload.
struct NoncePayload { ByteVec data; };

/// Notify payload, with the data of the types the code understands decoded.
struct NotifyPayload {
  std::uint8_t protocol = 0;
  std::uint16_t type = 0;
  ByteVec spi;
  ByteVec data;
  std::optional<std::uint16_t> requested_group;   ///< INVALID_KE_PAYLOAD
  std::vector<std::uint16_t> hash_algorithms;     ///< SIGNATURE_HASH_ALGORITHMS
};

/// IDi / IDr payload.
struct IdPayload { std::uint8_t type = 0; ByteVec data; };
/// CERT or CERTREQ payload.
struct CertPayload { std::uint8_t encoding = 0; ByteVec data; };
/// AUTH payload.
struct AuthPayload { std::uint8_t method = 0; ByteVec data; };

/// One traffic selector (3.13.1).
struct TrafficSelector {
  std::uint8_t type = 0;
  std::uint8_t ip_protocol = 0;
  std::uint16_t start_port = 0;
  std::uint16_t end_port = 0;
  ByteVec start_address;
  ByteVec end_address;
  ByteVec data;  ///< the body of selector types without addresses (e.g. TS_SECLABEL)
};

/// TSi / TSr payload.
struct TsPayload { std::vector<TrafficSelector> selectors; };

/// Delete payload.
struct DeletePayload { std::uint8_t protocol = 0; std::uint8_t spi_size = 0; std::vector<ByteVec> spis; };

/// Vendor ID payload.
struct VendorPayload { ByteVec data; };

/// SK payload: the encrypted body stays opaque; inner_next names its first inner payload.
struct EncryptedPayload { std::uint8_t inner_next = 0; ByteVec data; };

/// SKF payload (RFC 7383): one fragment of an SK payload.
struct FragmentPayload {
  std::uint8_t inner_next = 0;
  std::uint16_t number = 0;
  std::uint16_t total = 0;
  ByteVec data;
};

/// Any payload the codec keeps as bytes (CP, EAP, unknown types).
struct RawPayload { ByteVec data; };

/// One IKEv1 payload of a cleartext ISAKMP message, kept as bytes (RFC 2408 3.2).
struct Ikev1Payload {
  std::uint8_t type = 0;
  std::size_t offset = 0;
  std::size_t length = 0;
  ByteVec data;                              ///< the body after the 4-byte generic header
  std::optional<std::uint16_t> notify_type;  ///< NOTIFICATION payloads (RFC 2408 3.14)
};

/// IKEv1 header flag: the payloads after the header are encrypted.
inline constexpr std::uint8_t kIkev1FlagEncrypted = 0x01;
/// IKEv1 payload types the code reads.
inline constexpr std::uint8_t kIkev1Notification = 11;
inline constexpr std::uint8_t kIkev1VendorId = 13;

/// The decoded body of one payload.
using PayloadBody = std::variant<RawPayload, SaPayload, KePayload, NoncePayload, NotifyPayload, IdPayload,
                                 CertPayload, AuthPayload, TsPayload, DeletePayload, VendorPayload,
                                 EncryptedPayload, FragmentPayload>;

/// One payload of the chain, with the place of its bytes in the datagram.
struct Payload {
  std::uint8_t type = 0;
  bool critical = false;
  std::size_t offset = 0;
  std::size_t length = 0;
  PayloadBody body;
};

/// One IKE message. For IKEv1 (major version 1) the header is read and, when the message is in clear,
/// its payloads are listed in ikev1_payloads; a broken IKEv1 chain is reported in ikev1_error, not as a failure,
/// since the news is that the peer speaks IKEv1.
struct Message {
  Header header;
  bool non_esp_marker = false;   ///< the datagram came from port 4500 with the four zero bytes
  std::vector<Payload> payloads;
  std::vector<Ikev1Payload> ikev1_payloads;
  std::optional<ParseError> ikev1_error;
  ByteVec raw;                   ///< the message bytes (without the non-ESP marker)

  /// True when the peer speaks IKEv1 (ISAKMP) rather than IKEv2.
  bool ikev1() const { return header.major_version == 1; }
  /// The first payload of this type, or nullptr.
  const Payload* find(std::uint8_t type) const;
  /// The first notify of this type, or nullptr.
  const NotifyPayload* notify(std::uint16_t type) const;
  /// Every payload body of type T, in order.
  template <class T>
  std::vector<const T*> all() const {
    std::vector<const T*> out;
    for (const auto& p : payloads)
      if (const auto* b = std::get_if<T>(&p.body)) out.push_back(b);
    return out;
  }
};

/// Where an IKE header starts in bytes that may be IKE (a dump, a UDP payload): 0, or 4 after a non-ESP marker;
/// nullopt when the bytes do not look like IKEv1/IKEv2 (version byte, exchange type, and a length that fits).
std::optional<std::size_t> ike_header_offset(Bytes data);

/// Parses one IKE message that fills a whole UDP datagram (port 500).
/// The header length must equal the datagram size; running out of bytes is malformed.
Result<Message> parse_datagram(Bytes datagram);
/// Parses a datagram received on port 4500: the four-byte non-ESP marker first (a non-zero marker is ESP).
Result<Message> parse_nat_t_datagram(Bytes datagram);
/// Parses a message from bytes that may be incomplete (a hex dump, a stream): a short input is need_more.
/// Bytes beyond the header's length are left for the caller.
Result<Message> parse_message(Bytes data);

}  // namespace sd::ike
