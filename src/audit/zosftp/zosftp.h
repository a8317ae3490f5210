// z/OS FTP.DATA for the FTP client and server: the TLS statements with file:line or the IBM default of the
// release, the TLS offer a client configured this way makes, and the hazards it poses for known partners.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/attls/attls.h"
#include "audit/common/config_text.h"
#include "core/finding.h"
#include "probe/tls/facts.h"
#include "tlsprofiles/profiles.h"

namespace sd::audit::zosftp {

/// Which program reads the file.
enum class Role { client, server };

/// The value in force for one statement: from its last line, or the release's default.
struct Setting {
  std::string value;                 ///< upper-case
  std::optional<ConfigLine> line;    ///< absent: the default applies
};

/// A parsed FTP.DATA.
struct Config {
  std::string file;
  Role role = Role::client;
  std::string release = "V2R2";                    ///< whose defaults apply: V2R2, V2R3, V2R4, V2R5, V3R1 …
  std::map<std::string, ConfigLine> set;           ///< statement (upper-case) -> last line
  std::vector<ConfigLine> ciphersuites;            ///< every CIPHERSUITE line, in order

  /// The statement's value in force, or nullopt for a statement the table does not know.
  std::optional<Setting> get(const std::string& statement) const;
  /// True when TLS is done by AT-TLS policy rather than by FTP itself.
  bool attls() const;
  /// TLS versions enabled for TLSMECHANISM FTP (0x0300 … 0x0303), lowest first.
  std::vector<std::uint16_t> versions() const;
};

/// The parsed file, or the first error (binary data, a statement without a value).
struct Parsed {
  Config config;
  std::optional<ConfigError> error;
};

/// Parses FTP.DATA text: ';' starts a comment, columns 73-80 of an 80-column line may hold sequence numbers.
/// The role is the server when a server-only statement appears, or when role_hint is "server".
Parsed parse(const std::string& file, std::string_view text, const std::string& release = "V2R2",
             const std::string& role_hint = "");

/// The client offer: the embedded z/OS FTP profile with versions, suites and session reuse from this file.
tlsprofiles::ClientProfile client_profile(const Config& c);

/// The z/OS FTP server as a TLS server. TLSMECHANISM FTP: versions from SSLV3/TLSV1…/TLSV1.2 and suites from
/// CIPHERSUITE; ATTLS: the versions and V3 cipher suites of the AT-TLS rule for its port (none: nothing accepted).
/// No suites coded: the System SSL default list of the release. Client certificates from SECURE_LOGIN or the
/// rule's HandshakeRole/ClientAuthType; FTPS facts from SECURE_FTP, SECURE_DATACONN and SECURE_SESSION_REUSE.
probe::tls::ServerFacts server_facts(const Config& c, const std::optional<attls::Match>& rule, const std::string& source);

/// The z/OS FTP client's offer when AT-TLS does its TLS: client_profile() with the rule's versions and suites.
tlsprofiles::ClientProfile client_profile(const Config& c, const attls::Match& rule);

/// Hazards with known partners: a TLS 1.0-only client against OpenSSL 3 servers, a client that never reuses
/// sessions against vsftpd's require_ssl_reuse, TLSMECHANISM ATTLS (checked against AT-TLS policy elsewhere).
std::vector<Finding> audit(const Config& c);

/// True when the file looks like an FTP.DATA (name or statements).
bool looks_like(const std::string& path, std::string_view text);

}  // namespace sd::audit::zosftp
