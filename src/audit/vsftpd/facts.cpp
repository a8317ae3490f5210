// vsftpd.conf as the OpenSSL settings and FTPS facts of the server it configures (vsftpd 3.0.x ssl.c: ssl_ciphers
// replaces the cipher list, ssl_sslv3/ssl_tlsv1 switch versions off, ssl_request_cert asks for a certificate).
#include <fmt/format.h>

#include "audit/vsftpd/vsftpd.h"

namespace sd::audit::vsftpd {

tlsserver::Settings tls_settings(const Config& c, tlsserver::Settings system) {
  auto s = std::move(system);
  s.bad_cipher_reply = "500 OOPS: SSL: could not set cipher list";
  if (const auto ciphers = c.get("ssl_ciphers"); ciphers && !ciphers->value.empty() && ciphers->value != "(none)")
    s.cipher_strings.push_back(ciphers->value);
  if (!c.yes("ssl_sslv3")) s.disabled_versions.insert(0x0300);
  if (!c.yes("ssl_tlsv1")) s.disabled_versions.insert(0x0301);
  s.request_client_cert = c.get("ssl_request_cert") && c.yes("ssl_request_cert");
  s.require_client_cert = s.request_client_cert && c.yes("require_cert");
  return s;
}

probe::tls::ServerFacts server_facts(const Config& c, const tlsserver::Settings& system, const std::string& source) {
  auto f = tlsserver::facts(tls_settings(c, system), source);
  f.ftps.auth_tls = c.yes("ssl_enable");
  f.ftps.implicit = c.yes("implicit_ssl");
  f.ftps.requires_session_reuse = c.get("require_ssl_reuse") ? c.yes("require_ssl_reuse") : false;
  f.ftps.prot_c_accepted = !c.yes("force_local_data_ssl");
  f.ftps.prot_p_accepted = true;
  if (*f.ftps.requires_session_reuse)
    f.ftps.replies.push_back("522 SSL connection failed: session reuse required");
  return f;
}

}  // namespace sd::audit::vsftpd
