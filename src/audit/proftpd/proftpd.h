// proftpd.conf mod_tls directives with file:line: Include followed (globs in the file name), <IfModule> and other
// blocks tracked, the TLS settings in force and what a server configured this way accepts.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "audit/common/config_text.h"
#include "audit/tlsserver/tlsserver.h"
#include "core/finding.h"

namespace sd::audit::proftpd {

/// The mod_tls directives in force (server-wide: the last line outside <VirtualHost>/<Anonymous> wins).
struct Config {
  std::string file;
  std::map<std::string, ConfigLine> tls;   ///< directive (lower-case) -> last line
  std::vector<std::string> notes;

  /// The directive's line, or nullopt (mod_tls's default applies).
  std::optional<ConfigLine> get(const std::string& directive) const;
  /// The directive's value as written, else mod_tls 1.3.8's default (proftpd/defaults.tsv); "" when it has none.
  std::string value(const std::string& directive) const;
  /// TLSEngine on.
  bool engine_on() const;
  /// TLSOptions lists NoSessionReuseRequired.
  bool no_session_reuse_required() const;
};

/// The parsed tree, or the first error (unterminated block, a closing tag that opens nothing, Include loop).
struct Parsed {
  Config config;
  std::optional<ConfigError> error;
};

/// Parses proftpd.conf text; root is the host's "/" for absolute Include paths ("" for the real one).
Parsed parse(const std::string& file, std::string_view text, const std::string& root = "");

/// mod_tls 1.3.8's default for a directive (proftpd/defaults.tsv), or "".
std::string default_of(const std::string& directive);

/// OpenSSL settings of the server on top of the host's (TLSProtocol, TLSCipherSuite, TLSVerifyClient).
tlsserver::Settings tls_settings(const Config& c, tlsserver::Settings system);

/// What the server accepts, with the FTPS facts (session reuse required unless NoSessionReuseRequired) and whether
/// its own suite order decides (TLSServerCipherPreference).
probe::tls::ServerFacts server_facts(const Config& c, const tlsserver::Settings& system, const std::string& source);

/// True when the file looks like a proftpd.conf (name, or TLSEngine / <IfModule mod_tls.c>).
bool looks_like(const std::string& path, std::string_view text);

}  // namespace sd::audit::proftpd
