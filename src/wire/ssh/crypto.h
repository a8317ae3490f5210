// Packet protection after NEWKEYS (RFC 4253 §6): chacha20-poly1305@openssh.com (OpenSSH PROTOCOL.chacha20poly1305)
// and aes128-ctr with hmac-sha2-256 (RFC 4344, RFC 6668), one object per direction with its sequence number.
// Every primitive is OpenSSL's (EVP ChaCha20, EVP_MAC Poly1305 and HMAC, EVP AES-128-CTR).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"

namespace sd::ssh {

/// The protections implemented here; `none` is the clear framing before the first NEWKEYS.
enum class Protection { none, chacha20_poly1305, aes128_ctr_hmac_sha256 };

/// The protection a cipher and MAC negotiated in KEXINIT stand for; nullopt when not implemented here.
/// chacha20-poly1305 ignores the MAC name (it carries its own tag).
std::optional<Protection> protection_for(std::string_view cipher, std::string_view mac);

/// How much key material a protection takes from the key derivation (RFC 4253 §7.2 letters A–F).
struct KeySizes {
  std::size_t iv = 0;   ///< A / B
  std::size_t key = 0;  ///< C / D
  std::size_t mac = 0;  ///< E / F
};
/// The sizes for one protection.
KeySizes key_sizes(Protection protection);

/// One direction's derived keys.
struct DirectionKeys {
  ByteVec iv;
  ByteVec key;
  ByteVec mac;
};

/// A packet taken off the stream and opened.
struct OpenedPacket {
  ByteVec payload;
  std::uint32_t sequence = 0;  ///< the sequence number it carried
  std::uint8_t padding_length = 0;
  std::size_t size = 0;  ///< bytes it took from the stream, tag or MAC included
};

/// Largest packet_length accepted from a peer (RFC 4253 §6.1 asks for at least 35000; OpenSSH allows 256 KiB).
inline constexpr std::uint32_t kMaxPacketLength = 256 * 1024;

/// One direction of the binary packet protocol: protection, keys and sequence number.
class PacketProtection {
 public:
  /// The clear framing (block size 8, no MAC) with sequence number 0.
  PacketProtection() = default;
  /// A protection with its keys; keys must have key_sizes(protection) bytes. The sequence number carries on.
  PacketProtection(Protection protection, DirectionKeys keys, std::uint32_t sequence);

  /// Frames one payload with random padding, protects it and advances the sequence number.
  ByteVec seal(Bytes payload);
  /// Bytes the packet at the start of `stream` takes, tag or MAC included: need_more before the first block has
  /// arrived; malformed ("oversized", "too_short", "bad_alignment") when the decrypted length breaks the rules.
  /// Does not change any state.
  Result<std::size_t> frame_size(Bytes stream) const;
  /// Authenticates and decrypts the packet at the start of `stream` and advances the sequence number:
  /// need_more until it has all arrived; a wrong tag or MAC is malformed ("mac_mismatch"), as are bad padding rules.
  Result<OpenedPacket> open(Bytes stream);

  /// The sequence number the next packet will carry.
  std::uint32_t sequence() const { return sequence_; }
  /// Sets the sequence number to 0 (strict KEX after NEWKEYS).
  void reset_sequence() { sequence_ = 0; }
  /// Which protection is on.
  Protection protection() const { return protection_; }
  /// The cipher block size that padding aligns to.
  std::size_t block_size() const;
  /// Bytes of tag or MAC after each packet.
  std::size_t tag_size() const;

 private:
  Result<std::uint32_t> read_length(Bytes stream) const;
  ByteVec frame(Bytes payload) const;
  ByteVec seal_chacha(ByteVec plain) const;
  ByteVec seal_ctr(ByteVec plain);
  Result<ByteVec> open_chacha(Bytes packet) const;
  Result<ByteVec> open_ctr(Bytes packet);

  Protection protection_ = Protection::none;
  DirectionKeys keys_;
  std::array<std::uint8_t, 16> counter_{};  ///< aes128-ctr: the counter block the next packet starts at
  std::uint32_t sequence_ = 0;
};

}  // namespace sd::ssh

typedef struct evp_pkey_st EVP_PKEY;

namespace sd::ssh {

/// A user's signing key for publickey authentication (RFC 4252 §7): ssh-ed25519, ssh-rsa (signing as rsa-sha2-512
/// or rsa-sha2-256, RFC 8332) or ecdsa-sha2-nistp256 (RFC 5656). Defined in user_key.cpp. Never printed or logged.
class UserKey {
 public:
  /// Reads an unencrypted OpenSSH private key file's text ("openssh-key-v1", cipher "none") holding one key of the
  /// types above; malformed for anything else (an encrypted key says "encrypted_key", another type
  /// "unsupported_key").
  static Result<UserKey> parse_openssh(std::string_view text);
  /// The key type in the public blob: "ssh-ed25519", "ssh-rsa" or "ecdsa-sha2-nistp256".
  const std::string& key_type() const { return key_type_; }
  /// The public key algorithms it can sign with, preferred first ("rsa-sha2-512", "rsa-sha2-256" for RSA).
  std::vector<std::string> algorithms() const;
  /// The preferred public key algorithm (the first of algorithms()).
  std::string algorithm() const { return algorithms().front(); }
  /// The public key blob as it goes in USERAUTH_REQUEST.
  const ByteVec& public_blob() const { return public_blob_; }
  /// The signature blob (string algorithm, string signature) over data, under `algorithm` (one of algorithms();
  /// empty means the preferred one).
  ByteVec sign(Bytes data, std::string_view algorithm = {}) const;

 private:
  UserKey(std::string key_type, ByteVec blob, std::shared_ptr<EVP_PKEY> key)
      : key_type_(std::move(key_type)), public_blob_(std::move(blob)), key_(std::move(key)) {}
  std::string key_type_;
  ByteVec public_blob_;
  std::shared_ptr<EVP_PKEY> key_;
};

}  // namespace sd::ssh
