// What a TLS server built on OpenSSL accepts, computed from its effective settings (server config plus the
// system openssl.cnf) by handshaking against it in memory with this host's OpenSSL, one version at a time.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "probe/tls/facts.h"

namespace sd::audit::opensslcnf {
struct SystemDefault;
}

namespace sd::audit::tlsserver {

/// The OpenSSL settings a server ends up with; empty strings leave OpenSSL's built-in default.
struct Settings {
  std::string min_protocol;       ///< "TLSv1.2" (openssl.cnf MinProtocol or the server's own option)
  std::string max_protocol;
  std::vector<std::string> cipher_strings;  ///< applied in order: openssl.cnf CipherString, then the server's own
                                            ///< (vsftpd ssl_ciphers, proftpd TLSCipherSuite); @SECLEVEL=n sticks
  std::string ciphersuites;       ///< TLS 1.3 suites
  std::set<std::uint16_t> disabled_versions;  ///< versions the server switches off (SSL_OP_NO_TLSv1 …)
  std::string bad_cipher_reply;   ///< what the server says when a cipher string matches nothing (vsftpd: 500 OOPS …)
  bool request_client_cert = false;
  bool require_client_cert = false;
};

/// Settings that start from a host's openssl.cnf system_default (nullptr: OpenSSL's built-in defaults).
Settings from_system(const opensslcnf::SystemDefault* system);

/// Versions and suites the server accepts (an answer for SSLv3 … TLS 1.3 each) and its client-certificate
/// request, as a handshake with this host's OpenSSL shows; `source` names the files in the facts.
probe::tls::ServerFacts facts(const Settings& s, const std::string& source);

/// The first cipher string that matches no cipher in this OpenSSL (the server cannot start TLS), if any.
std::optional<std::string> unusable_cipher_string(const Settings& s);

/// "TLSv1.2" for 0x0303 (SSLv3 … TLSv1.3); "0x…" otherwise.
std::string version_name(std::uint16_t v);

}  // namespace sd::audit::tlsserver
