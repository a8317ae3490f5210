// vsftpd.conf: every ssl_* / require_* / force_*_ssl option with its per-version default, and the hazards
// a server configured this way poses for known clients.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/common/config_text.h"
#include "audit/tlsserver/tlsserver.h"
#include "core/finding.h"

namespace sd::audit::vsftpd {

/// The value in force for one option: from a line (last one wins, as vsftpd reads) or the version's default.
struct Setting {
  std::string value;
  std::optional<ConfigLine> line;  ///< absent: the default applies
};

/// A parsed vsftpd.conf.
struct Config {
  std::string file;
  std::string version = "3.0.3";          ///< whose defaults apply ("2.0.5", "3.0.3", "debian" …)
  std::map<std::string, ConfigLine> set;  ///< option (lower-case) -> last line that set it

  /// Effective value of an option from the table, or nullopt for an option this version does not know.
  std::optional<Setting> get(const std::string& option) const;
  /// True when a boolean option is in force as YES (YES/TRUE/1, any case).
  bool yes(const std::string& option) const;
};

/// A parsed file, or the first error (binary data, a line without '=').
struct Parsed {
  Config config;
  std::optional<ConfigError> error;
};

/// Parses vsftpd.conf text; version picks the defaults (a version below 3 uses the 2.x column, "debian" the
/// Debian build's).
Parsed parse(const std::string& file, std::string_view text, const std::string& version = "3.0.3");

/// Hazards for known clients: z/OS FTP vs ssl_request_cert, clients without session reuse vs require_ssl_reuse.
std::vector<Finding> audit(const Config& c);

/// The OpenSSL settings vsftpd ends up with on top of the host's (ssl_ciphers, ssl_sslv3, ssl_tlsv1,
/// ssl_request_cert, require_cert).
tlsserver::Settings tls_settings(const Config& c, tlsserver::Settings system);

/// What the server accepts, with the FTPS facts (session reuse required, client certificate requested).
probe::tls::ServerFacts server_facts(const Config& c, const tlsserver::Settings& system, const std::string& source);

/// True when the file name or content looks like a vsftpd.conf.
bool looks_like(const std::string& path, std::string_view text);

}  // namespace sd::audit::vsftpd
