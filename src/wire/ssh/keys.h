// Public key and signature blobs (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709, OpenSSH PROTOCOL.certkeys).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "core/bytes.h"
#include "core/result.h"
#include "wire/ssh/types.h"

namespace sd::ssh {

/// A public key blob: its type and the facts that decide whether a peer accepts it.
struct HostKey {
  Text type;                    ///< e.g. "ssh-rsa", "ecdsa-sha2-nistp256", "ssh-ed25519-cert-v01@openssh.com"
  bool certificate = false;     ///< an OpenSSH certificate (…-cert-v01@openssh.com)
  std::optional<unsigned> bits; ///< RSA modulus / DSA p size; curve size for ECDSA; 256 for Ed25519, 456 for Ed448
  Text curve;                   ///< ECDSA curve identifier, e.g. "nistp256"
  Blob key;                     ///< the key material: RSA modulus, EC point, Ed25519/Ed448 public key
  ByteVec raw;                  ///< the whole blob, for fingerprints
  std::size_t offset = 0;
  std::size_t length = 0;
};

/// A signature blob: the algorithm that made it and the signature bytes.
struct Signature {
  Text algorithm;  ///< e.g. "rsa-sha2-512", "ssh-ed25519"
  Blob signature;
  std::size_t offset = 0;
  std::size_t length = 0;
};

/// Parses a public key blob. Unknown key types parse with only their type set.
Result<HostKey> parse_host_key(Bytes blob, std::size_t base = 0, std::string path = "host_key");
/// Parses a signature blob.
Result<Signature> parse_signature(Bytes blob, std::size_t base = 0, std::string path = "signature");
/// Bits in an mpint's magnitude (leading zero bytes ignored); 0 for zero.
unsigned mpint_bits(Bytes magnitude);

}  // namespace sd::ssh
