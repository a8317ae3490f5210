// Certificates (PEM with any number of certificates, or DER) in files and folders: validity dates, key size,
// SHA-1 signatures, and across the fleet, certificates that expire together.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "audit/common/config_text.h"
#include "core/finding.h"

namespace sd::audit::certs {

/// What the audit needs from one certificate.
struct Cert {
  std::string file;
  std::size_t index = 0;      ///< 0-based position in the file
  std::string subject;
  std::string issuer;
  std::string serial;         ///< hex
  std::string sha256;         ///< fingerprint of the DER, hex
  std::string signature;      ///< e.g. "sha256WithRSAEncryption"
  std::string key_type;       ///< "RSA", "EC", "ED25519" …
  int key_bits = 0;
  std::time_t not_before = 0;
  std::time_t not_after = 0;
  bool is_ca = false;          ///< basicConstraints CA:TRUE
  bool self_signed = false;    ///< subject == issuer and the signature verifies with its own key
  bool server_ok = true;       ///< key usage / extended key usage allow a TLS server (X509_check_purpose)
  bool client_ok = true;       ///< … allow a TLS client
  std::string der;             ///< the certificate as read, for building chains
  std::string public_key;      ///< SubjectPublicKeyInfo DER, for matching private keys
};

/// A private key read from a PEM or PKCS#12 file: only its public half is kept, the secret never leaves the parser.
struct Key {
  std::string file;
  std::string type;            ///< "RSA", "EC" …
  std::string public_key;      ///< SubjectPublicKeyInfo DER
};

/// How certificates are read: the PKCS#12 password (never printed) and the role certificates are checked for.
struct ReadOptions {
  std::string p12_password;
  bool have_p12_password = false;
};

/// Certificates read, or the first file that could not be read or held no certificate.
struct Loaded {
  std::vector<Cert> certs;
  std::vector<Key> keys;
  std::optional<ConfigError> error;
};

/// True when the path names a certificate file (by extension or PEM header).
bool looks_like(const std::string& path, std::string_view text);

/// Reads one PEM (certificates and private keys), DER or PKCS#12 (.p12/.pfx, with options' password) file.
Loaded parse(const std::string& file, std::string_view bytes, const ReadOptions& options = {});

/// Every certificate and key file under a folder (recursively, at most 10000 files).
Loaded load_folder(const std::string& dir, const ReadOptions& options = {});

/// Findings over the set read together: bundles out of order, leaf certificates whose chain cannot be built
/// from the files given (plus the system trust store), key usage / extended key usage that do not allow role
/// ("server" or "client"), private keys that match no certificate beside them, and one issuer's serial used twice.
std::vector<Finding> audit_set(const std::vector<Cert>& certs, const std::vector<Key>& keys, const std::string& role);

/// Findings at time now: expired, not yet valid, expiring within 30 days, RSA under 2048 bits, SHA-1 signatures,
/// and two or more certificates expiring within the same day.
std::vector<Finding> audit(const std::vector<Cert>& certs, std::time_t now);

/// "2026-11-22" for a time.
std::string day(std::time_t t);

}  // namespace sd::audit::certs
