#include "wire/ssh/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <string>

#include "wire/ssh/packet.h"
#include "wire/ssh/wire_reader.h"

namespace sd::ssh {
namespace {

using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

constexpr std::size_t kPolyTag = 16;
constexpr std::size_t kHmacSha256 = 32;

// Runs a stream cipher (ChaCha20 or AES-CTR) over data with a 16-byte IV; encryption and decryption are the same.
ByteVec stream_xor(const EVP_CIPHER* cipher, Bytes key, const std::array<std::uint8_t, 16>& iv, Bytes data) {
  ByteVec out(data.size());
  const CipherCtxPtr ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int written = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), cipher, nullptr, key.data(), iv.data()) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out.data(), &written, data.data(), static_cast<int>(data.size())) != 1)
    out.assign(data.size(), 0);  // never leak plaintext on a library failure; the MAC check then fails
  return out;
}

// OpenSSH's ChaCha20 uses a 64-bit block counter and a 64-bit nonce (the sequence number, big-endian);
// OpenSSL takes them as one 16-byte IV: the counter little-endian in the first eight bytes, then the nonce.
std::array<std::uint8_t, 16> chacha_iv(std::uint32_t sequence, std::uint8_t counter) {
  std::array<std::uint8_t, 16> iv{};
  iv[0] = counter;
  for (int i = 0; i < 4; ++i) iv[15 - i] = static_cast<std::uint8_t>(sequence >> (8 * i));
  return iv;
}

Bytes main_key(const DirectionKeys& k) { return Bytes(k.key).first(32); }
Bytes header_key(const DirectionKeys& k) { return Bytes(k.key).subspan(32, 32); }

ByteVec poly1305_tag(const DirectionKeys& keys, std::uint32_t sequence, Bytes data) {
  const ByteVec zeros(32, 0);
  const ByteVec poly_key = stream_xor(EVP_chacha20(), main_key(keys), chacha_iv(sequence, 0), zeros);
  ByteVec tag(kPolyTag);
  std::size_t size = 0;
  EVP_Q_mac(nullptr, "POLY1305", nullptr, nullptr, nullptr, poly_key.data(), poly_key.size(), data.data(), data.size(),
            tag.data(), tag.size(), &size);
  return tag;
}

ByteVec hmac_sha256(Bytes key, std::uint32_t sequence, Bytes packet) {
  Writer w;
  w.u32(sequence);
  w.bytes(packet);
  ByteVec mac(kHmacSha256);
  std::size_t size = 0;
  EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(), w.data().data(), w.size(), mac.data(),
            mac.size(), &size);
  return mac;
}

void advance(std::array<std::uint8_t, 16>& counter, std::size_t blocks) {
  std::size_t carry = blocks;
  for (std::size_t i = counter.size(); i-- > 0 && carry != 0;) {
    const std::size_t sum = counter[i] + (carry & 0xff);
    counter[i] = static_cast<std::uint8_t>(sum);
    carry = (carry >> 8) + (sum >> 8);
  }
}

bool same(Bytes a, Bytes b) { return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0; }

std::uint32_t be32(Bytes b) {
  auto r = Reader::bounded(b);
  return r.u32().value_or(0);
}

}  // namespace

std::optional<Protection> protection_for(std::string_view cipher, std::string_view mac) {
  if (cipher == "chacha20-poly1305@openssh.com") return Protection::chacha20_poly1305;
  if (cipher == "aes128-ctr" && mac == "hmac-sha2-256") return Protection::aes128_ctr_hmac_sha256;
  if (cipher == "none" && mac == "none") return Protection::none;
  return std::nullopt;
}

KeySizes key_sizes(Protection protection) {
  switch (protection) {
    case Protection::chacha20_poly1305:
      return {0, 64, 0};
    case Protection::aes128_ctr_hmac_sha256:
      return {16, 16, kHmacSha256};
    case Protection::none:
      break;
  }
  return {};
}

PacketProtection::PacketProtection(Protection protection, DirectionKeys keys, std::uint32_t sequence)
    : protection_(protection), keys_(std::move(keys)), sequence_(sequence) {
  if (protection_ == Protection::aes128_ctr_hmac_sha256 && keys_.iv.size() == counter_.size())
    std::copy(keys_.iv.begin(), keys_.iv.end(), counter_.begin());
}

std::size_t PacketProtection::block_size() const { return protection_ == Protection::aes128_ctr_hmac_sha256 ? 16 : 8; }

std::size_t PacketProtection::tag_size() const {
  switch (protection_) {
    case Protection::chacha20_poly1305:
      return kPolyTag;
    case Protection::aes128_ctr_hmac_sha256:
      return kHmacSha256;
    case Protection::none:
      break;
  }
  return 0;
}

// packet_length, padding_length, payload, random padding. The aligned part is the whole packet, except under
// chacha20-poly1305 where the length travels apart and only what follows it is aligned.
ByteVec PacketProtection::frame(Bytes payload) const {
  const std::size_t block = block_size();
  const std::size_t aligned = 1 + payload.size() + (protection_ == Protection::chacha20_poly1305 ? 0 : 4);
  std::size_t padding = block - aligned % block;
  if (padding < 4) padding += block;
  ByteVec pad(padding);
  RAND_bytes(pad.data(), static_cast<int>(pad.size()));
  Writer w;
  w.u32(static_cast<std::uint32_t>(1 + payload.size() + padding));
  w.u8(static_cast<std::uint8_t>(padding));
  w.bytes(payload);
  w.bytes(pad);
  return w.take();
}

ByteVec PacketProtection::seal(Bytes payload) {
  ByteVec packet = frame(payload);
  if (protection_ == Protection::chacha20_poly1305)
    packet = seal_chacha(std::move(packet));
  else if (protection_ == Protection::aes128_ctr_hmac_sha256)
    packet = seal_ctr(std::move(packet));
  ++sequence_;
  return packet;
}

ByteVec PacketProtection::seal_chacha(ByteVec plain) const {
  const Bytes all(plain);
  ByteVec out = stream_xor(EVP_chacha20(), header_key(keys_), chacha_iv(sequence_, 0), all.first(4));
  const ByteVec body = stream_xor(EVP_chacha20(), main_key(keys_), chacha_iv(sequence_, 1), all.subspan(4));
  out.insert(out.end(), body.begin(), body.end());
  const ByteVec tag = poly1305_tag(keys_, sequence_, out);
  out.insert(out.end(), tag.begin(), tag.end());
  return out;
}

ByteVec PacketProtection::seal_ctr(ByteVec plain) {
  const ByteVec mac = hmac_sha256(keys_.mac, sequence_, plain);
  ByteVec out = stream_xor(EVP_aes_128_ctr(), keys_.key, counter_, plain);
  advance(counter_, plain.size() / 16);
  out.insert(out.end(), mac.begin(), mac.end());
  return out;
}

Result<std::uint32_t> PacketProtection::read_length(Bytes stream) const {
  const std::size_t first = protection_ == Protection::aes128_ctr_hmac_sha256 ? 16 : 4;
  if (stream.size() < first)
    return need_more(0, "packet.packet_length", "the first " + std::to_string(first) + " bytes have not arrived");
  switch (protection_) {
    case Protection::chacha20_poly1305:
      return be32(stream_xor(EVP_chacha20(), header_key(keys_), chacha_iv(sequence_, 0), stream.first(4)));
    case Protection::aes128_ctr_hmac_sha256:
      return be32(stream_xor(EVP_aes_128_ctr(), keys_.key, counter_, stream.first(16)));
    case Protection::none:
      break;
  }
  return be32(stream.first(4));
}

Result<std::size_t> PacketProtection::frame_size(Bytes stream) const {
  const auto length = read_length(stream);
  if (!length) return length.error();
  const std::uint32_t len = *length;
  const std::string said = "packet_length " + std::to_string(len);
  if (len > kMaxPacketLength)
    return malformed(0, "packet.packet_length", "oversized",
                     said + " is over the cap of " + std::to_string(kMaxPacketLength));
  if (len < kMinPacketLength)
    return malformed(0, "packet.packet_length", "too_short", said + " leaves no room for four bytes of padding");
  const std::size_t aligned = protection_ == Protection::chacha20_poly1305 ? len : std::size_t{len} + 4;
  if (aligned % block_size() != 0)
    return malformed(0, "packet.packet_length", "bad_alignment",
                     said + " does not fit the cipher block of " + std::to_string(block_size()));
  return std::size_t{len} + 4 + tag_size();
}

Result<OpenedPacket> PacketProtection::open(Bytes stream) {
  const auto size = frame_size(stream);
  if (!size) return size.error();
  if (stream.size() < *size)
    return need_more(0, "packet",
                     "needs " + std::to_string(*size) + " bytes, " + std::to_string(stream.size()) + " have arrived");
  const Bytes packet = stream.first(*size);
  Result<ByteVec> plain = ByteVec(packet.begin(), packet.end());
  if (protection_ == Protection::chacha20_poly1305)
    plain = open_chacha(packet);
  else if (protection_ == Protection::aes128_ctr_hmac_sha256)
    plain = open_ctr(packet);
  if (!plain) return plain.error();
  const PacketLimits limits{.max_packet_length = kMaxPacketLength, .block_size = 0, .mac_length = 0};
  const auto parsed = parse_packet(*plain, 0, limits);
  if (!parsed) return parsed.error();
  OpenedPacket out{.payload = parsed->payload.value,
                   .sequence = sequence_,
                   .padding_length = parsed->padding_length.value,
                   .size = *size};
  ++sequence_;
  return out;
}

Result<ByteVec> PacketProtection::open_chacha(Bytes packet) const {
  const Bytes sealed = packet.first(packet.size() - kPolyTag);
  if (!same(poly1305_tag(keys_, sequence_, sealed), packet.last(kPolyTag)))
    return malformed(sealed.size(), "packet.mac", "mac_mismatch", "the Poly1305 tag does not match");
  ByteVec plain = stream_xor(EVP_chacha20(), header_key(keys_), chacha_iv(sequence_, 0), sealed.first(4));
  const ByteVec body = stream_xor(EVP_chacha20(), main_key(keys_), chacha_iv(sequence_, 1), sealed.subspan(4));
  plain.insert(plain.end(), body.begin(), body.end());
  return plain;
}

Result<ByteVec> PacketProtection::open_ctr(Bytes packet) {
  const Bytes sealed = packet.first(packet.size() - kHmacSha256);
  ByteVec plain = stream_xor(EVP_aes_128_ctr(), keys_.key, counter_, sealed);
  if (!same(hmac_sha256(keys_.mac, sequence_, plain), packet.last(kHmacSha256)))
    return malformed(sealed.size(), "packet.mac", "mac_mismatch", "the HMAC-SHA2-256 does not match");
  advance(counter_, sealed.size() / 16);
  return plain;
}

}  // namespace sd::ssh
