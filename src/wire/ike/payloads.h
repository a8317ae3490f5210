// Internal to the IKE codec: parsers for the body of each payload type.
#pragma once

#include <cstdint>
#include <string>

#include "core/bytes.h"
#include "core/result.h"
#include "wire/ike/message.h"

namespace sd::ike::detail {

/// The 4-byte header that opens payloads, proposals and transforms: a type/"more" byte, a flags byte,
/// and a length that counts the header itself; body covers the rest.
struct Substructure {
  std::uint8_t first = 0;
  std::uint8_t flags = 0;
  std::size_t offset = 0;
  std::uint16_t length = 0;
  Reader body = Reader::bounded({});
};

/// Reads one substructure header and takes its body; a length below min_length or past the container is malformed.
/// what names the structure in messages ("payload", "proposal"), container what holds it ("message", "SA payload").
Result<Substructure> read_substructure(Reader& r, const std::string& path, const std::string& what,
                                       std::uint16_t min_length, const std::string& container);

/// Lists the payloads of a cleartext IKEv1 message; chain is bounded to the message after the header.
std::optional<ParseError> read_ikev1_chain(Reader& chain, std::uint8_t first, std::vector<Ikev1Payload>& out);

/// Parses the body of one payload (after its 4-byte generic header); body is bounded to the payload.
/// request tells which KE size applies for groups whose sizes differ by direction.
Result<PayloadBody> parse_payload_body(std::uint8_t type, std::uint8_t inner_next, Reader& body,
                                       const std::string& path, bool request);

}  // namespace sd::ike::detail
