// The plaintext dialogues that come before a ClientHello: FTP AUTH TLS/SSL, SMTP/IMAP/POP3 STARTTLS and the LDAP
// StartTLS extended operation. Each is a few bounded line (or BER) reads on the job's session.
#pragma once

#include <asio/awaitable.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"
#include "probe/engine/session.h"

namespace sd::probe::tls {

/// Which dialogue runs before the hello.
enum class Upgrade { none, ftp, smtp, imap, pop3, ldap };

/// The stable name of an upgrade ("none", "ftp-auth", "smtp-starttls" …).
std::string_view to_string(Upgrade upgrade);

/// What an upgrade dialogue said and which command worked.
struct UpgradeLog {
  std::vector<std::string> replies;   ///< each server reply, printable, in order
  std::string command;                ///< the command that switched to TLS ("AUTH TLS", "STLS" …); empty if none
  std::optional<bool> auth_tls;       ///< FTP only: AUTH TLS answered 234
  std::optional<bool> auth_ssl;       ///< FTP only: AUTH SSL answered 234/334 (tried only when AUTH TLS was refused)
};

/// Largest plaintext reply accepted during an upgrade.
inline constexpr std::size_t kUpgradeReplyCap = 16 * 1024;

/// Runs the dialogue; success means the next bytes sent are the ClientHello. A refused upgrade ends with
/// protocol-error and the server's reply in the detail; timeouts and closes keep the engine's outcome.
asio::awaitable<Step> run_upgrade(Session& session, Upgrade upgrade, Millis timeout, UpgradeLog& log);

/// The 3-digit code at the start of an FTP/SMTP reply, or 0 when there is none.
int reply_code(Bytes reply);

/// The LDAPv3 StartTLS ExtendedRequest (RFC 4511 4.14.1) as one BER LDAPMessage with this message id (1..127).
ByteVec ldap_starttls_request(std::uint8_t message_id);

/// The parts of an LDAP ExtendedResponse the upgrade needs.
struct LdapExtendedResponse {
  std::uint32_t message_id = 0;
  std::uint32_t result_code = 0;      ///< 0 success, 2 protocolError, 52 unavailable …
  std::string diagnostic;             ///< diagnosticMessage, printable
  std::string response_name;          ///< responseName OID when present
};

/// Parses one LDAPMessage carrying an ExtendedResponse ([APPLICATION 24]); malformed on any other shape.
Result<LdapExtendedResponse> parse_ldap_extended_response(Bytes message);

/// Frames one BER LDAPMessage (SEQUENCE, short or long definite length), rejecting anything else.
Framer ldap_message_framer();

}  // namespace sd::probe::tls
