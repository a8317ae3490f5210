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
};

/// Certificates read, or the first file that could not be read or held no certificate.
struct Loaded {
  std::vector<Cert> certs;
  std::optional<ConfigError> error;
};

/// True when the path names a certificate file (by extension or PEM header).
bool looks_like(const std::string& path, std::string_view text);

/// Reads one PEM or DER file's text.
Loaded parse(const std::string& file, std::string_view bytes);

/// Every certificate file under a folder (recursively, at most 10000 files).
Loaded load_folder(const std::string& dir);

/// Findings at time now: expired, not yet valid, expiring within 30 days, RSA under 2048 bits, SHA-1 signatures,
/// and two or more certificates expiring within the same day.
std::vector<Finding> audit(const std::vector<Cert>& certs, std::time_t now);

/// "2026-11-22" for a time.
std::string day(std::time_t t);

}  // namespace sd::audit::certs
