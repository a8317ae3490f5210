#include "wire/ssh/packet.h"

#include <algorithm>

namespace sd::ssh {

namespace {

Blob take(Reader& r, std::size_t n) {
  Blob b{{}, r.offset(), n};
  const Bytes bytes = *r.bytes(n);
  b.value.assign(bytes.begin(), bytes.end());
  return b;
}

std::optional<ParseError> check_header(const Packet& p, const PacketLimits& limits) {
  const std::uint32_t len = p.packet_length.value;
  if (len > limits.max_packet_length) {
    return malformed(p.offset, "packet.packet_length", "oversized",
                     "packet_length " + std::to_string(len) + " is over the cap of " +
                         std::to_string(limits.max_packet_length));
  }
  if (len < kMinPacketLength) {
    return malformed(p.offset, "packet.packet_length", "too_short",
                     "packet_length " + std::to_string(len) + " leaves no room for four bytes of padding");
  }
  if (limits.block_size > 1 && (len + 4) % limits.block_size != 0) {
    return malformed(p.offset, "packet.packet_length", "bad_alignment",
                     "packet length " + std::to_string(len + 4) + " is not a multiple of the block size " +
                         std::to_string(limits.block_size));
  }
  return std::nullopt;
}

std::optional<ParseError> check_padding(const Packet& p) {
  const std::uint32_t pad = p.padding_length.value;
  if (pad < 4) {
    return malformed(p.padding_length.offset, "packet.padding_length", "bad_padding",
                     "padding_length " + std::to_string(pad) + " is under the minimum of 4");
  }
  if (pad > p.packet_length.value - 1) {
    return malformed(p.padding_length.offset, "packet.padding_length", "bad_padding",
                     "padding_length " + std::to_string(pad) + " is larger than the packet");
  }
  return std::nullopt;
}

}  // namespace

Result<Packet> parse_packet(Bytes data, std::size_t base, const PacketLimits& limits) {
  auto r = Reader::stream(data, base);
  Packet p;
  p.offset = r.offset();
  const auto len = r.u32();
  if (!len) return r.fail("packet.packet_length");
  p.packet_length = {*len, p.offset, 4};
  if (auto e = check_header(p, limits)) return *e;
  const std::size_t total = std::size_t{*len} + 4 + limits.mac_length;
  if (data.size() < total) {
    return need_more(p.offset, "packet", "needs " + std::to_string(total) + " bytes, " + std::to_string(data.size()) +
                                             " have arrived");
  }
  p.padding_length = {*r.u8(), r.offset() - 1, 1};
  if (auto e = check_padding(p)) return *e;
  p.payload = take(r, *len - 1 - p.padding_length.value);
  p.padding = take(r, p.padding_length.value);
  p.mac = take(r, limits.mac_length);
  p.length = total;
  return p;
}

ByteVec frame_packet(Bytes payload, const FrameOptions& options) {
  const std::size_t block = std::clamp<std::size_t>(options.block_size, 8, 64);
  std::size_t padding = block - (payload.size() + 5) % block;
  if (padding < 4) padding += block;
  padding += options.extra_blocks * block;
  while (padding > 255) padding -= block;  // padding_length is one byte
  Writer w;
  w.u32(static_cast<std::uint32_t>(payload.size() + padding + 1));
  w.u8(static_cast<std::uint8_t>(padding));
  w.bytes(payload);
  for (std::size_t i = 0; i < padding; ++i) w.u8(options.padding_byte);
  return w.take();
}

}  // namespace sd::ssh
