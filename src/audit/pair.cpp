// Pair audit: read each side's files, derive the server's facts and the client's profile, predict.
#include "audit/pair.h"

#include <fmt/format.h>

#include <filesystem>

#include "audit/common/kb_finding.h"
#include "audit/strongswan/ike.h"
#include "audit/openssh/offer.h"
#include "audit/opensslcnf/opensslcnf.h"
#include "audit/proftpd/proftpd.h"
#include "audit/vsftpd/vsftpd.h"
#include "audit/zosftp/zosftp.h"
#include "tlsprofiles/predict.h"
#include "whatif/tls.h"

namespace sd::audit {
namespace {

std::string fact(const Options& o, const std::string& key, const std::string& fallback) {
  const auto it = o.facts.find(key);
  return it == o.facts.end() ? fallback : it->second;
}

attls::Connection ftp_connection(const zosftp::Config& f, const std::map<std::string, std::string>& facts) {
  attls::Connection c;
  const auto port_fact = facts.find("ftp-port");
  const unsigned port = port_fact == facts.end() ? 21u : static_cast<unsigned>(std::strtoul(port_fact->second.c_str(), nullptr, 10));
  c.inbound = f.role == zosftp::Role::server;
  (c.inbound ? c.local_port : c.remote_port) = port;
  if (const auto j = facts.find("jobname"); j != facts.end()) c.jobname = j->second;
  return c;
}

struct Client {
  std::vector<tlsprofiles::ClientProfile> profiles;
  std::vector<Finding> hazards;   ///< each file's own findings, whose file:line evidence and diffs enrich predictions
};

// The rule of the first policy that covers the FTP connection, if any.
std::optional<attls::Match> rule_for(const zosftp::Config& f, const std::vector<attls::Policy>& policies,
                                     const std::map<std::string, std::string>& facts) {
  for (const auto& p : policies)
    if (auto m = attls::resolve(p, ftp_connection(f, facts))) return m;
  return std::nullopt;
}

// Client files: z/OS FTP.DATA (with the AT-TLS policy that carries its TLS), or a client profile id
// ("openssl-3.0", "curl-7.88-ftps" …) standing for a Linux, AIX or Windows client with its shipped defaults.
std::optional<ConfigError> read_client(const std::vector<std::string>& files, const Options& o, Client& out) {
  std::vector<zosftp::Config> ftpdata;
  std::vector<attls::Policy> policies;
  for (const auto& path : files) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
      if (auto profile = tlsprofiles::find_profile(path)) {
        out.profiles.push_back(std::move(*profile));
        continue;
      }
    const auto text = read_config_file(path);
    if (text.error) return text.error;
    if (attls::looks_like(text.text)) {
      auto p = attls::parse(path, text.text);
      if (p.error) return p.error;
      policies.push_back(std::move(p.policy));
      continue;
    }
    if (!zosftp::looks_like(path, text.text))
      return ConfigError{path, 0, "not a client configuration this audit reads (z/OS FTP.DATA, AT-TLS policy, or a "
                                  "client profile id)"};
    auto p = zosftp::parse(path, text.text, fact(o, "zos", "V2R2"), "client");
    if (p.error) return p.error;
    for (auto& f : zosftp::audit(p.config)) out.hazards.push_back(std::move(f));
    ftpdata.push_back(std::move(p.config));
  }
  for (const auto& f : ftpdata) {
    const auto rule = f.attls() ? rule_for(f, policies, o.facts) : std::nullopt;
    out.profiles.push_back(rule ? zosftp::client_profile(f, *rule) : zosftp::client_profile(f));
  }
  return std::nullopt;
}

struct Server {
  std::optional<opensslcnf::SystemDefault> system;
  std::optional<vsftpd::Config> vsftpd;
  std::optional<proftpd::Config> proftpd;
  std::optional<pureftpd::Config> pureftpd;
  std::optional<zosftp::Config> ftpdata;   ///< the z/OS FTP server's FTP.DATA
  std::vector<attls::Policy> attls;        ///< AT-TLS policies that may carry its TLS
  std::map<std::string, std::string> host_facts;  ///< --fact values (ftp-port, jobname) for the AT-TLS rule
  std::string source;

  /// What the configured FTP server accepts (vsftpd first, then proftpd, then pure-ftpd).
  probe::tls::ServerFacts facts(const tlsserver::Settings& system) const {
    if (vsftpd) return vsftpd::server_facts(*vsftpd, system, source);
    if (proftpd) return proftpd::server_facts(*proftpd, system, source);
    if (pureftpd) return pureftpd::server_facts(*pureftpd, system, source);
    return zosftp::server_facts(*ftpdata, ftpdata->attls() ? rule_for(*ftpdata, attls, host_facts) : std::nullopt, source);
  }
  /// The server file's own findings, whose lines enrich the predicted causes.
  std::vector<Finding> hazards() const {
    if (vsftpd) return vsftpd::audit(*vsftpd);
    if (pureftpd && !proftpd) return pureftpd::audit(*pureftpd);
    if (ftpdata && !proftpd && !pureftpd) return zosftp::audit(*ftpdata);
    return {};
  }
};

std::optional<ConfigError> read_server(const std::vector<std::string>& files, const Options& o, Server& out) {
  for (const auto& path : files) {
    if (pureftpd::is_conf_folder(path)) {
      out.source += (out.source.empty() ? "audit " : ", ") + path;
      auto p = pureftpd::parse_folder(path, fact(o, "pure-ftpd", "1.0.50"));
      if (p.error) return p.error;
      out.pureftpd = std::move(p.config);
      continue;
    }
    const auto text = read_config_file(path);
    if (text.error) return text.error;
    out.source += (out.source.empty() ? "audit " : ", ") + path;
    if (opensslcnf::looks_like(path, text.text)) {
      auto p = opensslcnf::parse(path, text.text, o.root);
      if (p.error) return p.error;
      out.system = std::move(p.config);
    } else if (vsftpd::looks_like(path, text.text)) {
      auto p = vsftpd::parse(path, text.text, fact(o, "vsftpd", "3.0.3"));
      if (p.error) return p.error;
      out.vsftpd = std::move(p.config);
    } else if (proftpd::looks_like(path, text.text)) {
      auto p = proftpd::parse(path, text.text, o.root);
      if (p.error) return p.error;
      out.proftpd = std::move(p.config);
    } else if (attls::looks_like(text.text)) {
      auto p = attls::parse(path, text.text);
      if (p.error) return p.error;
      out.attls.push_back(std::move(p.policy));
    } else if (zosftp::looks_like(path, text.text)) {
      auto p = zosftp::parse(path, text.text, fact(o, "zos", "V2R2"), "server");
      if (p.error) return p.error;
      out.ftpdata = std::move(p.config);
    } else if (pureftpd::looks_like(path, text.text)) {
      auto p = pureftpd::parse_any(path, text.text, fact(o, "pure-ftpd", "1.0.50"), o.root);
      if (p.error) return p.error;
      out.pureftpd = std::move(p.config);
    } else {
      return ConfigError{path, 0, "not a server configuration this audit reads (vsftpd.conf, proftpd.conf, "
                                  "pure-ftpd.conf or its conf folder, openssl.cnf)"};
    }
  }
  out.host_facts = o.facts;
  if (!out.vsftpd && !out.proftpd && !out.pureftpd && !out.ftpdata)
    return ConfigError{files.empty() ? "--server" : files.front(), 0,
                       "no server configuration (vsftpd.conf, proftpd.conf, pure-ftpd) among the server files"};
  return std::nullopt;
}

bool has_id(const std::vector<Finding>& fs, const std::string& id) {
  for (const auto& f : fs)
    if (f.id == id) return true;
  return false;
}

// A predicted cause gains the config lines behind it: evidence at file:line and the fix as a diff of that line.
void enrich(Finding& predicted, const std::vector<Finding>& from_files) {
  for (const auto& f : from_files) {
    if (f.id != predicted.id) continue;
    predicted.evidence.insert(predicted.evidence.begin(), f.evidence.begin(), f.evidence.end());
    predicted.fixes.insert(predicted.fixes.begin(), f.fixes.begin(), f.fixes.end());
  }
}

Evidence mechanism_line(const zosftp::Config& f) {
  const auto s = f.get("TLSMECHANISM");
  return s->line ? evidence_at(*s->line, f.role == zosftp::Role::client ? "client" : "server")
                 : evidence_default(f.file, "TLSMECHANISM", s->value, "");
}

Finding attls_finding(const std::string& id, const std::string& title, const std::string& cause, const std::string& fix) {
  Finding f = finding_for(id, title, cause);
  f.title = title;  // the KB rule gives the references; the audit knows the exact situation, rule and port
  f.cause = cause;
  f.severity = Severity::high;
  f.change_side = "either";
  f.fixes.push_back(Fix{"either", fix, "", ""});
  return f;
}

std::optional<Finding> check_attls(const zosftp::Config& f, const attls::Policy& p, const attls::Connection& c) {
  const auto what = fmt::format("{} connection {} port {}{}", c.inbound ? "inbound" : "outbound",
                                c.inbound ? "to local" : "to remote", c.inbound ? c.local_port : c.remote_port,
                                c.jobname.empty() ? "" : " from job " + c.jobname);
  const auto m = attls::resolve(p, c);
  if (!m) {
    auto out = attls_finding("zos.ftp-attls-no-rule", "TLSMECHANISM ATTLS but no AT-TLS rule covers the FTP connection",
                             "FTP leaves TLS to AT-TLS, but no TTLSRule in the policy matches the " + what +
                                 ", so AUTH TLS fails and the session stays in the clear or is refused.",
                             "Add a TTLSRule for the FTP port and direction (with ApplicationControlled On), or set "
                             "TLSMECHANISM FTP with a KEYRING.");
    out.evidence.push_back(mechanism_line(f));
    out.evidence.push_back(Evidence{p.file, 0, "no TTLSRule matches the " + what, "", {}, ""});
    return out;
  }
  const auto enabled = m->group ? m->group->get("TTLSEnabled") : std::nullopt;
  const auto control = m->setting("ApplicationControlled");
  if (enabled && lower(enabled->value) == "off") {
    auto out = attls_finding("zos.ftp-attls-no-rule", "The AT-TLS rule for FTP has TTLSEnabled Off",
                             "The rule that matches the " + what + " points at a group action with TTLSEnabled Off.",
                             "Set TTLSEnabled On in the group action, then refresh the Policy Agent (F PAGENT,REFRESH).");
    out.evidence.push_back(mechanism_line(f));
    out.evidence.push_back(evidence_at(*enabled, ""));
    return out;
  }
  if (!control || lower(control->value) != "on") {
    auto out = attls_finding("zos.ftp-attls-not-application-controlled",
                             "The AT-TLS rule for FTP is not ApplicationControlled",
                             "FTP with TLSMECHANISM ATTLS starts TLS itself after AUTH TLS; the rule " + m->rule->name +
                                 " that matches the " + what + " lacks ApplicationControlled On, so AT-TLS starts the "
                                 "handshake at connect time, before the FTP greeting.",
                             "Add ApplicationControlled On to the rule's TTLSEnvironmentAdvancedParms (or "
                             "TTLSConnectionAdvancedParms), then refresh the Policy Agent.");
    out.evidence.push_back(mechanism_line(f));
    out.evidence.push_back(control ? evidence_at(*control, "") : evidence_at(m->rule->opened, ""));
    return out;
  }
  return std::nullopt;
}

}  // namespace

void attls_checks(const Collected& c, const std::map<std::string, std::string>& facts, Outcome& out) {
  for (const auto& f : c.ftpdata) {
    if (!f.attls()) continue;
    if (c.attls.empty()) {
      out.notes.push_back(f.file + ": TLSMECHANISM ATTLS - give the AT-TLS policy file to check the rule for FTP.");
      continue;
    }
    for (const auto& p : c.attls)
      if (auto finding = check_attls(f, p, ftp_connection(f, facts))) out.findings.push_back(std::move(*finding));
  }
}

namespace {

// Every embedded client profile against one server's facts: new ids as findings, the matrix as a section.
void predict_known(const probe::tls::ServerFacts& facts, const std::vector<whatif::Change>& what_if, Outcome& out) {
  static const auto kProfiles = tlsprofiles::load_profiles();
  const auto predictions = tlsprofiles::predict_all(kProfiles, facts);
  std::vector<Finding> extra;
  for (std::size_t i = 0; i < predictions.size(); ++i)
    for (auto& f : tlsprofiles::prediction_findings(kProfiles[i], predictions[i], facts.source))
      if (!has_id(out.findings, f.id) && !has_id(extra, f.id)) extra.push_back(std::move(f));
  for (auto& f : extra) out.findings.push_back(std::move(f));
  out.sections.push_back(tlsprofiles::matrix_section(kProfiles, predictions, facts.source));
  whatif::add_tls_what_if(what_if, kProfiles, facts, facts.source, out.sections, out.findings);
}

}  // namespace

void known_partners(const Collected& c, Outcome& out, const std::vector<std::string>& what_if) {
  if (c.vsftpd.empty() && c.proftpd.empty() && c.pureftpd.empty()) return;
  const auto system = tlsserver::from_system(c.system ? &*c.system : nullptr);
  const auto changes = whatif::changes_for(what_if, whatif::Protocol::tls);
  for (const auto& v : c.vsftpd)
    if (v.yes("ssl_enable")) predict_known(vsftpd::server_facts(v, system, "audit " + v.file), changes, out);
  for (const auto& p : c.proftpd)
    if (p.engine_on()) predict_known(proftpd::server_facts(p, system, "audit " + p.file), changes, out);
  for (const auto& p : c.pureftpd)
    if (p.tls_mode() > 0) predict_known(pureftpd::server_facts(p, system, "audit " + p.file), changes, out);
  if (!c.system)
    out.notes.push_back("Known clients were predicted against OpenSSL 3's built-in defaults (no openssl.cnf given).");
}

namespace {

// ssh_config against sshd_config: each side's effective offer, predicted with the probe's per-profile code.
PairOutcome ssh_pair(const std::vector<std::string>& client_files, const std::vector<std::string>& server_files,
                     const Options& options) {
  PairOutcome out;
  openssh::Predicted p;
  out.error = openssh::predict_pair(client_files, server_files, options.facts, options.root, p);
  out.findings = std::move(p.findings);
  out.sections = std::move(p.sections);
  out.notes = std::move(p.notes);
  return out;
}

}  // namespace

PairOutcome run_pair(const std::vector<std::string>& client_files, const std::vector<std::string>& server_files,
                     const Options& options) {
  if (openssh::is_ssh_pair(server_files)) return ssh_pair(client_files, server_files, options);
  if (strongswan::all_strongswan(client_files) && strongswan::all_strongswan(server_files))
    return strongswan::run_ike_pair(client_files, server_files, options);
  PairOutcome out;
  Client client;
  Server server;
  if ((out.error = read_client(client_files, options, client))) return out;
  if ((out.error = read_server(server_files, options, server))) return out;
  if (!server.system)
    out.notes.push_back("No openssl.cnf given for the server: OpenSSL 3's built-in defaults assumed (security level 1, "
                        "which refuses TLS 1.0 and 1.1).");
  const auto system = tlsserver::from_system(server.system ? &*server.system : nullptr);
  const auto facts = server.facts(system);
  const auto predictions = tlsprofiles::predict_all(client.profiles, facts);
  auto from_files = server.hazards();
  from_files.insert(from_files.end(), client.hazards.begin(), client.hazards.end());
  for (std::size_t i = 0; i < predictions.size(); ++i)
    for (auto& f : tlsprofiles::prediction_findings(client.profiles[i], predictions[i], server.source)) {
      enrich(f, from_files);
      out.findings.push_back(std::move(f));
    }
  out.sections.push_back(tlsprofiles::matrix_section(client.profiles, predictions, server.source));
  whatif::add_tls_what_if(whatif::changes_for(options.what_if, whatif::Protocol::tls), client.profiles, facts,
                          server.source, out.sections, out.findings);
  return out;
}

}  // namespace sd::audit
