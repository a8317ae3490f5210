// The SSH binary packet (RFC 4253 §6), read before encryption is on.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/bytes.h"
#include "core/result.h"
#include "wire/ssh/types.h"

namespace sd::ssh {

/// Sanity caps for reading packets from a peer.
struct PacketLimits {
  std::uint32_t max_packet_length = 256 * 1024;  ///< larger lengths are "oversized", never allocated
  std::size_t block_size = 8;                    ///< the cipher block; 8 while no cipher is on; 0 skips the check
  std::size_t mac_length = 0;                    ///< MAC bytes after each packet; 0 before NEWKEYS
};

/// One binary packet: uint32 packet_length, byte padding_length, payload, padding, MAC.
struct Packet {
  U32 packet_length;
  At<std::uint8_t> padding_length;
  Blob payload;
  Blob padding;
  Blob mac;
  std::size_t offset = 0;  ///< absolute offset of packet_length
  std::size_t length = 0;  ///< bytes of the whole packet, MAC included
};

/// The smallest legal packet_length: padding_length byte and four bytes of padding.
inline constexpr std::uint32_t kMinPacketLength = 5;

/// Reads one packet from the start of a stream: need_more when it has not all arrived,
/// malformed ("oversized", "bad_padding", "bad_alignment", "too_short") when its header breaks the rules.
/// An oversized length is reported as soon as the four length bytes are in.
Result<Packet> parse_packet(Bytes data, std::size_t base = 0, const PacketLimits& limits = {});

/// Options for framing a payload into a packet.
struct FrameOptions {
  std::size_t block_size = 8;       ///< the total is padded to a multiple of this (at least 8)
  std::size_t extra_blocks = 0;     ///< extra padding blocks, to hide the payload length
  std::uint8_t padding_byte = 0;    ///< the padding's content; callers needing random padding fill it afterwards
};

/// Frames a payload as an unencrypted packet (RFC 4253 §6): length, padding length, payload, padding.
ByteVec frame_packet(Bytes payload, const FrameOptions& options = {});

}  // namespace sd::ssh
