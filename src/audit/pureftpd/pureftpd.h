// pure-ftpd TLS settings with file:line, read from any of the three places they live: pure-ftpd.conf (with
// Include), Debian's /etc/pure-ftpd/conf folder (one value per file, turned into options by pure-ftpd-wrapper),
// or a command line (-Y/--tls, -J/--tlsciphersuite, -2/--certfile); the defaults of the version named, what a
// server configured this way accepts, and its hazards for known clients.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/common/config_text.h"
#include "audit/tlsserver/tlsserver.h"
#include "core/finding.h"

namespace sd::audit::pureftpd {

/// Where the settings were read from; it decides how a fix is written.
enum class Layout { conf_file, conf_folder, command_line };

/// The value in force for one setting: from its last line, or the version's default.
struct Setting {
  std::string value;
  std::optional<ConfigLine> line;  ///< absent: the default applies
};

/// The TLS settings of one pure-ftpd server.
struct Config {
  std::string file;                       ///< the conf file, the conf folder, or the file holding the command line
  Layout layout = Layout::conf_file;
  std::string version = "1.0.50";         ///< whose defaults and built-in protocol floor apply
  std::map<std::string, ConfigLine> set;  ///< setting as in defaults.tsv (TLS, TLSCipherSuite …) -> last line
  std::vector<ConfigLine> wrapper_refused;  ///< conf-folder files Debian's pure-ftpd-wrapper has no option for

  /// The setting's value in force, or nullopt for a setting the table does not know.
  std::optional<Setting> get(const std::string& setting) const;
  /// TLS mode 0 (off) … 3 (control and data must use TLS); an unreadable value counts as 0, as atoi would.
  int tls_mode() const;
  /// The cipher list handed to OpenSSL (TLSCipherSuite without its "-C:" / "-S:" prefixes).
  std::string cipher_list() const;
  /// True when TLSCipherSuite starts with "-C:" (a valid client certificate is mandatory).
  bool client_cert_required() const;
  /// The lowest TLS version the version's binary accepts (0x0301 … 0x0303); no setting changes it.
  std::uint16_t min_protocol() const;
  /// What the version's binary does about the server's own suite order (nullopt: not known).
  std::optional<bool> server_preference() const;
};

/// The settings read, or the first error (binary data, an Include that cannot be read).
struct Parsed {
  Config config;
  std::optional<ConfigError> error;
};

/// pure-ftpd.conf text ("Key value" lines, '#' comments, Include followed under root).
Parsed parse(const std::string& file, std::string_view text, const std::string& version = "1.0.50",
             const std::string& root = "");

/// Debian's conf folder: each file is one setting named by the file, its first line the value.
Parsed parse_folder(const std::string& folder, const std::string& version = "1.0.50");

/// A command line as written in a unit file, inetd.conf or a script: -Y 2, -Y2, --tls=2, -J HIGH, -2 cert[,key].
Parsed parse_command_line(const std::string& file, std::string_view text, const std::string& version = "1.0.50");

/// A command line when any word starts with '-', else pure-ftpd.conf.
Parsed parse_any(const std::string& file, std::string_view text, const std::string& version = "1.0.50",
                 const std::string& root = "");

/// True for a folder laid out as Debian's /etc/pure-ftpd/conf (its name, or a TLS / TLSCipherSuite file in it).
bool is_conf_folder(const std::string& path);

/// True when a file looks like a pure-ftpd.conf or a pure-ftpd command line.
bool looks_like(const std::string& path, std::string_view text);

/// Hazards with known partners: TLS off, TLS 1.0/1.1-only clients against the built-in floor, data connections
/// that must be protected, a mandatory client certificate, conf files the Debian wrapper refuses to start with.
std::vector<Finding> audit(const Config& c);

/// The OpenSSL settings pure-ftpd ends up with on top of the host's.
tlsserver::Settings tls_settings(const Config& c, tlsserver::Settings system);

/// What the server accepts, with its FTPS facts (no session reuse demanded, PROT C refused at TLS 3).
probe::tls::ServerFacts server_facts(const Config& c, const tlsserver::Settings& system, const std::string& source);

}  // namespace sd::audit::pureftpd
