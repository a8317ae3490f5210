// What a TLS server was found to accept and demand: the contract between the TLS probe (which fills it from live
// handshakes), the audit (which fills it from configuration files) and client-profile prediction (which reads it).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <optional>
#include <string>
#include <vector>

namespace sd::probe::tls {

/// How a server answered one kind of hello it did not accept.
enum class Refusal {
  none,            ///< it was accepted
  alert,           ///< a TLS alert (see alert_code)
  alert_then_text, ///< an alert followed by plaintext, as vsftpd's "500 OOPS" and proftpd's "421"
  plaintext,       ///< plaintext in place of a record
  closed,          ///< the peer closed the connection without a word
  reset,           ///< the peer reset the connection
  timeout,         ///< no answer within the timeout
  unknown,         ///< not determined (not tried, or the connection failed before the hello)
};

/// The answer to one hello: accepted, or refused in a given way (with the bytes decoded as far as possible).
struct Answer {
  Refusal refusal = Refusal::unknown;
  std::optional<std::uint8_t> alert_code;  ///< TLS alert description, when there was one
  std::string text;                        ///< plaintext that came back (first line, printable), if any
  std::string detail;                      ///< one plain sentence
};

/// The server's certificate as the probe or the audit saw it (leaf first in `chain`).
struct CertFacts {
  std::string subject;
  std::string issuer;
  std::vector<std::string> sans;
  std::string not_before;        ///< ISO 8601 UTC
  std::string not_after;         ///< ISO 8601 UTC
  long days_left = 0;            ///< negative when expired
  std::string key_type;          ///< "RSA", "EC", "Ed25519", "DSA"
  unsigned key_bits = 0;
  std::string signature_algorithm;  ///< e.g. "sha256WithRSAEncryption"
  bool self_signed = false;
};

/// Whether and how the server asks for a client certificate.
struct ClientCertRequest {
  bool requested = false;               ///< a CertificateRequest was sent
  std::optional<bool> required;         ///< true when a handshake without a certificate fails; nullopt if untested
  std::vector<std::string> ca_names;    ///< distinguished names in the request; empty list matters (any CA)
  std::vector<std::uint8_t> cert_types; ///< TLS 1.2 certificate types
  std::vector<std::uint16_t> signature_schemes;
};

/// FTPS facts beyond the handshake (filled by ftps:// probes and by FTP server configuration audits).
struct FtpsFacts {
  std::optional<bool> auth_tls;          ///< AUTH TLS accepted
  std::optional<bool> auth_ssl;          ///< AUTH SSL accepted
  std::optional<bool> implicit;          ///< TLS from the first byte (port 990 style)
  std::optional<bool> requires_session_reuse;  ///< data connection refused unless it resumes the control session
  std::optional<bool> prot_p_accepted;
  std::optional<bool> prot_c_accepted;
  std::optional<bool> ccc_accepted;
  std::vector<std::string> replies;      ///< verbatim replies worth showing, e.g. "522 SSL connection failed: session reuse required"
};

/// Everything known about one TLS server. Fields left empty/nullopt are unknown, not "no".
struct ServerFacts {
  std::string source;                          ///< "probe tls://host:port" or "audit /etc/vsftpd.conf"
  /// Versions (0x0300 SSLv3 … 0x0304 TLS 1.3) mapped to the answer to a hello offering only that version.
  std::map<std::uint16_t, Answer> versions;
  /// Accepted cipher suites per version, in the server's preference order when known.
  std::map<std::uint16_t, std::vector<std::uint16_t>> suites;
  /// Versions whose suite list stopped early (the connection cap): a suite missing from `suites` may still be accepted.
  std::set<std::uint16_t> suites_incomplete;
  std::optional<bool> server_preference;       ///< true when the server chooses by its own order
  std::vector<std::uint16_t> groups;           ///< accepted named groups
  std::vector<std::uint16_t> signature_schemes;///< accepted signature schemes (TLS 1.2 / 1.3)
  /// True when signature_schemes is the whole TLS 1.2 enumeration (in the order the server chose them), not only
  /// the schemes seen in key exchanges.
  bool signature_schemes_enumerated = false;
  std::optional<bool> requires_sni;            ///< a hello without server_name is refused while one with the name passes
  std::optional<bool> certificate_differs_by_sni;  ///< the leaf sent without server_name differs from the one with the name
  std::optional<bool> wrong_sni_fatal;         ///< a hello naming an unknown host is refused (e.g. unrecognized_name alert)
  std::optional<bool> requires_extensions;     ///< a hello with no extensions at all is refused
  std::optional<bool> secure_renegotiation;    ///< renegotiation_info / SCSV honoured
  std::optional<unsigned> min_dh_bits;         ///< smallest finite-field DH group the server uses
  ClientCertRequest client_cert;
  std::vector<CertFacts> chain;                ///< as sent, leaf first
  std::optional<bool> chain_in_order;
  std::optional<bool> resumption_by_id;
  std::optional<bool> resumption_by_ticket;
  std::vector<std::string> intolerance;        ///< hello shapes the server chokes on, e.g. "no-extensions", "large-hello"
  FtpsFacts ftps;
};

}  // namespace sd::probe::tls
