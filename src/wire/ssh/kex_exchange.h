// The client side of the key agreements: curve25519-sha256 (RFC 8731), ecdh-sha2-nistp256 (RFC 5656) and
// diffie-hellman-group14-sha256 (RFC 8268), each an ephemeral key pair kept in OpenSSL and a shared secret K.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"
#include "wire/ssh/messages.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace sd::ssh {

/// The key exchange methods implemented here (all hash with SHA-256).
enum class KexMethod { curve25519_sha256, ecdh_nistp256, dh_group14_sha256 };

/// The method a KEXINIT name stands for; nullopt when it is not implemented here.
std::optional<KexMethod> kex_method(std::string_view name);
/// The message family its 30/31 messages belong to (ECDH or Diffie-Hellman), for parse_message's context.
KexFamily kex_family(KexMethod method);
/// True when the exchange values are mpints (e, f) rather than strings (Q_C, Q_S) in the exchange hash.
bool values_are_mpints(KexMethod method);

/// One ephemeral key pair for a key exchange, and the agreement with the server's value.
class KexKeyPair {
 public:
  /// A fresh key pair for the method; nullopt only when OpenSSL cannot make one.
  static std::optional<KexKeyPair> generate(KexMethod method);
  /// What the client sends: Q_C (32 bytes or an uncompressed point), or e's big-endian magnitude.
  const ByteVec& public_value() const { return public_value_; }
  /// K as a big-endian magnitude (leading zeros kept as OpenSSL gives them; encode_mpint trims them), from the
  /// server's Q_S or f. A value of the wrong size, off the curve or outside 1 < f < p-1 is malformed.
  Result<ByteVec> shared_secret(Bytes server_value) const;
  /// The method this pair belongs to.
  KexMethod method() const { return method_; }

 private:
  KexKeyPair(KexMethod method, std::shared_ptr<EVP_PKEY> key, ByteVec public_value)
      : method_(method), key_(std::move(key)), public_value_(std::move(public_value)) {}
  KexMethod method_;
  std::shared_ptr<EVP_PKEY> key_;
  ByteVec public_value_;
};

/// The fixed group of a Diffie-Hellman method, read from data/registry/ssh-dh-groups.tsv.
struct DhGroup {
  ByteVec prime;  ///< p, big-endian
  unsigned generator = 0;
  std::string source;
};
/// The group for a method name ("diffie-hellman-group14-sha256"); nullopt when the table has none.
std::optional<DhGroup> dh_group(std::string_view method);

}  // namespace sd::ssh
