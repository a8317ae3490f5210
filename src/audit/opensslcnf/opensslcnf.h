// openssl.cnf: the system_default section that OpenSSL applies to every TLS context of every program on the host
// (openssl_conf -> ssl_conf -> system_default), with file:line for each value and .include followed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "audit/common/config_text.h"

namespace sd::audit::opensslcnf {

/// The system-wide TLS defaults in force; an absent line leaves OpenSSL's built-in default.
struct SystemDefault {
  std::string file;
  std::optional<ConfigLine> min_protocol;   ///< MinProtocol
  std::optional<ConfigLine> max_protocol;   ///< MaxProtocol
  std::optional<ConfigLine> cipher_string;  ///< CipherString (may carry @SECLEVEL=n)
  std::optional<ConfigLine> ciphersuites;   ///< Ciphersuites (TLS 1.3)
  std::string section;                      ///< the section name that held them; empty when none is configured

  /// The security level in force: @SECLEVEL=n in CipherString, else OpenSSL 3's built-in level 1.
  int security_level() const;
};

/// The parsed file, or the first error (binary data, an unterminated section header).
struct Parsed {
  SystemDefault config;
  std::optional<ConfigError> error;
};

/// Parses openssl.cnf text; root is the host's "/" as a folder for absolute .include paths ("" for the real one).
Parsed parse(const std::string& file, std::string_view text, const std::string& root = "");

/// True when the file looks like an openssl.cnf (name, or an openssl_conf / [system_default_sect] line).
bool looks_like(const std::string& path, std::string_view text);

}  // namespace sd::audit::opensslcnf
