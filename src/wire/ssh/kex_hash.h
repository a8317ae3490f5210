// The exchange hash H (RFC 4253 §8, RFC 5656 §4, RFC 8731 §3), key derivation (RFC 4253 §7.2) and the check
// of the server's signature over H (RFC 8709 ssh-ed25519, RFC 5656 ecdsa-sha2-nistp256, RFC 8332 rsa-sha2-*).
#pragma once

#include <string>

#include "core/bytes.h"
#include "core/result.h"

namespace sd::ssh {

/// What goes into H, in hash order. Identification lines are without CR LF; KEXINITs are whole payloads.
struct ExchangeInputs {
  std::string client_id;   ///< V_C
  std::string server_id;   ///< V_S
  ByteVec client_kexinit;  ///< I_C
  ByteVec server_kexinit;  ///< I_S
  ByteVec host_key;        ///< K_S, the server's public host key blob
  ByteVec client_value;    ///< Q_C, or e's magnitude
  ByteVec server_value;    ///< Q_S, or f's magnitude
  ByteVec shared_secret;   ///< K's magnitude
};

/// H = SHA-256 over the inputs; values_as_mpints encodes e and f as mpints (Diffie-Hellman), else Q_C and Q_S as
/// strings (ECDH, curve25519). K is always an mpint.
ByteVec exchange_hash(const ExchangeInputs& in, bool values_as_mpints);

/// RFC 4253 §7.2 with SHA-256: HASH(K || H || letter || session_id), extended by HASH(K || H || K1 || …) to `size`
/// bytes. shared_secret is K's magnitude (encoded here as an mpint).
ByteVec derive_key(Bytes shared_secret, Bytes exchange_hash, char letter, Bytes session_id, std::size_t size);

/// Checks the server's signature blob over H with its host key blob. Returns the signature algorithm that
/// verified ("ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-256", "rsa-sha2-512"); malformed when the blobs do
/// not parse, the algorithm does not fit the key or is not supported ("unsupported"), or the signature is wrong
/// ("bad_signature").
Result<std::string> verify_host_signature(Bytes host_key, Bytes signature, Bytes exchange_hash);

}  // namespace sd::ssh
