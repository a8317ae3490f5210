// pure-ftpd hazards with known partners and the server facts for client prediction.
#include <fmt/format.h>

#include "audit/common/kb_finding.h"
#include "audit/pureftpd/pureftpd.h"

namespace sd::audit::pureftpd {
namespace {

Evidence where(const Config& c, const std::string& setting) {
  const auto s = *c.get(setting);
  return s.line ? evidence_at(*s.line, "server")
                 : evidence_default(c.file, setting, s.value + " (pure-ftpd " + c.version + ")", "server");
}

// The change that sets a setting, written the way this layout holds it.
std::string change(const Config& c, const std::string& setting, const std::string& value) {
  const auto s = *c.get(setting);
  const auto old_line = s.line ? s.line->text : std::string();
  switch (c.layout) {
    case Layout::conf_folder: {
      const auto file = s.line ? s.line->file : c.file + "/" + setting;
      return line_diff(file, old_line, value);
    }
    case Layout::command_line: {
      const auto flag = (setting == "TLS" ? "--tls=" : "--tlsciphersuite=") + value;
      if (!s.line) return line_diff(c.file, "", "(add to the command line) " + flag);
      auto replaced = old_line;
      if (const auto at = replaced.find(s.line->key); at != std::string::npos) replaced.replace(at, s.line->key.size(), flag);
      else replaced += " " + flag;  // written with quotes: the later option wins
      return line_diff(c.file, old_line, replaced);
    }
    case Layout::conf_file: break;
  }
  return line_diff(s.line ? s.line->file : c.file, old_line, setting + " " + value);
}

// A finding about one setting: the KB rule's wording where there is one, this cause, evidence at the setting.
Finding about(const Config& c, const std::string& id, const std::string& title, std::string cause,
              const std::string& side, const std::string& setting) {
  Finding f = finding_for(id, title, "");
  f.cause = std::move(cause);
  f.change_side = side;
  f.evidence.push_back(where(c, setting));
  return f;
}

std::string restart(const Config& c) {
  return c.layout == Layout::conf_folder ? "then restart pure-ftpd (service pure-ftpd restart)" : "then restart pure-ftpd";
}

Finding tls_off(const Config& c) {
  const auto tls = *c.get("TLS");
  auto cause = fmt::format("TLS {} is in force{}: pure-ftpd still lists AUTH TLS in its FEAT reply but answers AUTH "
                           "TLS with \"500 This security scheme is not implemented\", so clients that insist on "
                           "FTPS (z/OS SECURE_FTP REQUIRED, curl --ssl-reqd, lftp with ftp:ssl-force) cannot log in "
                           "and the others send passwords in the clear.",
                           tls.value, tls.line ? "" : " (pure-ftpd's default)");
  Finding f = about(c, "ftps.pureftpd-tls-off", "pure-ftpd has TLS switched off", std::move(cause), "server", "TLS");
  f.severity = Severity::high;
  f.fixes.push_back(Fix{"server", "Accept TLS (1: optional, 2: required on the control connection), " + restart(c) + ".",
                        change(c, "TLS", "1"), "None; a certificate must be in place (CertFile)."});
  return f;
}

Finding version_floor(const Config& c) {
  Finding f = about(c, "tls.client-version-too-old", "pure-ftpd refuses TLS 1.0 and 1.1 clients", fmt::format("pure-ftpd {} accepts {} and newer only; the floor is built in (the binary switches the older "
                        "versions off) and no setting lowers it, so a client limited to TLS 1.0 (z/OS V2R2 FTP with "
                        "its default FTP.DATA, old Java and Windows Server 2008/2012 clients) fails with a "
                        "protocol_version alert.",
                        c.version, tlsserver::version_name(c.min_protocol())), "client", "TLS");
  f.evidence.back().text += fmt::format("; pure-ftpd {} refuses versions below {}", c.version,
                                        tlsserver::version_name(c.min_protocol()));
  f.fixes.push_back(Fix{"client", "Enable TLS 1.2 on the client (z/OS FTP.DATA: TLSV1.2 TRUE with TLSMECHANISM FTP).",
                        "+ TLSV1.2 TRUE\n", "None."});
  return f;
}

Finding data_protection(const Config& c) {
  Finding f = about(c, "ftps.data-protection-required", "pure-ftpd refuses clear data connections (TLS 3)",
                    "TLS 3 is in force: besides the control connection, every data connection must be protected, so "
                    "clients that send PROT C or no PROT at all (many scripts, z/OS with SECURE_DATACONN CLEAR, its "
                    "default) cannot list or transfer files.", "either", "TLS");
  f.fixes.push_back(Fix{"server", "Require TLS on the control connection only, " + restart(c) + ".", change(c, "TLS", "2"),
                        "File contents may cross the network unencrypted."});
  f.fixes.push_back(Fix{"client", "Protect data connections (z/OS FTP.DATA: SECURE_DATACONN PRIVATE).",
                        "+ SECURE_DATACONN PRIVATE\n", "None."});
  return f;
}

Finding client_cert(const Config& c) {
  Finding f = about(c, "tls.client-cert-required", "pure-ftpd demands a client certificate (-C: prefix)",
                    "TLSCipherSuite starts with -C:, so pure-ftpd asks every client for a certificate and ends the "
                    "handshake when none is sent or it is not signed by a CA in the server's certificate file.",
                    "either", "TLSCipherSuite");
  f.fixes.push_back(Fix{"server", "Drop the -C: prefix, " + restart(c) + ".", change(c, "TLSCipherSuite", c.cipher_list()),
                        "Clients are no longer authenticated by certificate."});
  return f;
}

Finding wrapper_refuses(const Config& c, const ConfigLine& l) {
  Finding f = finding_for("ftps.pureftpd-wrapper-refuses-file", "pure-ftpd-wrapper will not start with " + l.key, "");
  f.cause = fmt::format("Debian's pure-ftpd-wrapper turns each file in {} into a command-line option and has none for "
                        "{}: it stops with \"Invalid configuration file {}: No corresponding directive\", so the "
                        "server does not start at all.", c.file, l.key, l.file);
  f.severity = Severity::high;
  f.change_side = "server";
  f.evidence.push_back(evidence_at(l, "server"));
  f.fixes.push_back(Fix{"server",
                        "Remove the file and put the certificate where pure-ftpd looks by default "
                        "(/etc/ssl/private/pure-ftpd.pem, certificate and key in one file).",
                        fmt::format("rm {}\n", l.file), "None."});
  return f;
}

}  // namespace

std::vector<Finding> audit(const Config& c) {
  std::vector<Finding> out;
  for (const auto& l : c.wrapper_refused) out.push_back(wrapper_refuses(c, l));
  if (c.tls_mode() == 0) {
    out.push_back(tls_off(c));
    return out;
  }
  if (c.min_protocol() > 0x0301) out.push_back(version_floor(c));
  if (c.tls_mode() == 3) out.push_back(data_protection(c));
  if (c.client_cert_required()) out.push_back(client_cert(c));
  return out;
}

tlsserver::Settings tls_settings(const Config& c, tlsserver::Settings system) {
  auto s = std::move(system);
  for (const std::uint16_t v : {0x0300, 0x0301, 0x0302})
    if (v < c.min_protocol() || v == 0x0300) s.disabled_versions.insert(v);
  if (const auto ciphers = c.cipher_list(); !ciphers.empty()) s.cipher_strings.push_back(ciphers);
  s.request_client_cert = c.client_cert_required();
  s.require_client_cert = s.request_client_cert;
  return s;
}

probe::tls::ServerFacts server_facts(const Config& c, const tlsserver::Settings& system, const std::string& source) {
  auto f = tlsserver::facts(tls_settings(c, system), source);
  f.server_preference = c.server_preference();
  f.ftps.auth_tls = c.tls_mode() > 0;
  f.ftps.requires_session_reuse = false;  // ONLY_ACCEPT_REUSED_SSL_SESSIONS is off in pure-ftpd's tls.c
  f.ftps.prot_c_accepted = c.tls_mode() < 3;
  f.ftps.prot_p_accepted = true;
  return f;
}

}  // namespace sd::audit::pureftpd
