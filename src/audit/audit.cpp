// Dispatch from a file to its format's parser and checks.
#include "audit/audit.h"

#include <fmt/format.h>

#include <ctime>
#include <filesystem>

#include "audit/certs/certs.h"
#include "audit/nim/nim.h"
#include "audit/nim/niminfo.h"
#include "audit/openssh/offer.h"
#include "audit/openssh/openssh.h"
#include "audit/pair.h"
#include "audit/pureftpd/pureftpd.h"
#include "audit/strongswan/ike.h"
#include "audit/strongswan/strongswan.h"
#include "audit/vsftpd/vsftpd.h"

namespace sd::audit {
namespace {

std::string detect(const std::string& path, std::string_view text) {
  if (const auto role = openssh::role_from_name(path)) return *role == openssh::Role::server ? "sshd" : "ssh";
  if (certs::looks_like(path, text)) return "cert";
  if (nim::looks_like_niminfo(path, text)) return "niminfo";
  if (vsftpd::looks_like(path, text)) return "vsftpd";
  if (pureftpd::looks_like(path, text)) return "pureftpd";
  if (opensslcnf::looks_like(path, text)) return "openssl";
  if (attls::looks_like(text)) return "attls";
  if (proftpd::looks_like(path, text)) return "proftpd";
  if (zosftp::looks_like(path, text)) return "ftpdata";
  if (auto s = strongswan::detect(path, text); !s.empty()) return s;
  return "";
}

// efsenable -a creates the EFS administration keystore under /var/efs.
std::map<std::string, std::string> host_facts(const Options& o, std::vector<std::string>& notes) {
  auto facts = o.facts;
  if (!facts.contains("efs") && !o.root.empty()) {
    std::error_code ec;
    const auto efs = std::filesystem::path(o.root) / "var/efs";
    if (std::filesystem::is_directory(efs, ec)) {
      facts["efs"] = "on";
      notes.push_back(fmt::format("EFS taken as enabled: {} exists (created by efsenable)", efs.string()));
    }
  }
  return facts;
}

std::string fact_or(const std::map<std::string, std::string>& facts, const std::string& key, const std::string& fallback) {
  const auto it = facts.find(key);
  return it == facts.end() ? fallback : it->second;
}

std::optional<ConfigError> audit_one(const std::string& path, const std::string& text, const std::string& kind,
                                     const std::map<std::string, std::string>& facts, const Options& o,
                                     Collected& tls, Outcome& out) {
  if (kind == "openssl") {
    auto p = opensslcnf::parse(path, text, o.root);
    if (p.error) return p.error;
    tls.system = std::move(p.config);
    return std::nullopt;
  }
  if (kind == "proftpd") {
    auto p = proftpd::parse(path, text, o.root);
    if (p.error) return p.error;
    tls.proftpd.push_back(std::move(p.config));
    return std::nullopt;
  }
  if (kind == "pureftpd") {
    auto p = pureftpd::parse_any(path, text, fact_or(facts, "pure-ftpd", "1.0.50"), o.root);
    if (p.error) return p.error;
    for (auto& f : pureftpd::audit(p.config)) out.findings.push_back(std::move(f));
    tls.pureftpd.push_back(std::move(p.config));
    return std::nullopt;
  }
  if (kind == "niminfo") {
    auto p = nim::parse_niminfo(path, text);
    if (p.error) return p.error;
    const auto root = o.root.empty() ? nim::root_of(path) : o.root;
    for (auto& f : nim::audit_client(p.info, root, o.now ? o.now : std::time(nullptr))) out.findings.push_back(std::move(f));
    tls.niminfo_read = true;
    return std::nullopt;
  }
  if (kind == "attls") {
    auto p = attls::parse(path, text);
    if (p.error) return p.error;
    tls.attls.push_back(std::move(p.policy));
    return std::nullopt;
  }
  if (kind == "ftpdata") {
    auto p = zosftp::parse(path, text, facts.contains("zos") ? facts.at("zos") : "V2R2");
    if (p.error) return p.error;
    for (auto& f : zosftp::audit(p.config)) out.findings.push_back(std::move(f));
    tls.ftpdata.push_back(std::move(p.config));
    return std::nullopt;
  }
  if (kind == "cert") {
    auto loaded = certs::parse(path, text, o.read);
    if (loaded.error) return loaded.error;
    for (auto& c : loaded.certs) out.certs.push_back(std::move(c));
    for (auto& k : loaded.keys) out.keys.push_back(std::move(k));
    return std::nullopt;
  }
  if (kind == "vsftpd") {
    const auto v = facts.contains("vsftpd") ? facts.at("vsftpd") : "3.0.3";
    auto p = vsftpd::parse(path, text, v);
    if (p.error) return p.error;
    for (auto& f : vsftpd::audit(p.config)) out.findings.push_back(std::move(f));
    tls.vsftpd.push_back(std::move(p.config));
    return std::nullopt;
  }
  const auto role = kind == "sshd" ? openssh::Role::server : openssh::Role::client;
  auto p = openssh::parse(role, path, text, o.root);
  if (p.error) return p.error;
  for (auto& n : p.config.notes) out.notes.push_back(std::move(n));
  for (auto& f : openssh::audit(p.config, facts)) out.findings.push_back(std::move(f));
  openssh::predict_known_clients(p.config, facts, o.root, out.findings, out.sections, out.notes, o.what_if);
  return std::nullopt;
}

}  // namespace

std::vector<std::string> kind_names() {
  return {"vsftpd", "sshd", "ssh", "cert", "swanctl", "ipsec.conf", "ftpdata", "openssl", "attls", "proftpd", "pureftpd",
          "niminfo"};
}

std::string kinds() { return fmt::format("{}", fmt::join(kind_names(), ", ")); }

namespace {

// swanctl.conf / ipsec.conf: each file is one peer; the rekey and certificate checks run over all of them at the end.
std::optional<ConfigError> read_strongswan(const std::string& path, const std::string& text, const std::string& kind,
                                           const Options& o, std::vector<strongswan::Config>& configs,
                                           Outcome& out) {
  auto p = kind == "swanctl" ? strongswan::parse_swanctl(path, text, o.root) : strongswan::parse_ipsec(path, text, o.root);
  if (p.error) return p.error;
  for (auto& n : p.config.notes) out.notes.push_back(std::move(n));
  configs.push_back(std::move(p.config));
  return std::nullopt;
}

strongswan::AuditOptions strongswan_options(const Options& o, const std::map<std::string, std::string>& facts) {
  strongswan::AuditOptions a{o.now ? o.now : std::time(nullptr), 30};
  if (const auto it = facts.find("cert-days"); it != facts.end())
    if (const auto n = strongswan::parse_duration(it->second)) a.days = static_cast<int>(*n);
  return a;
}

// The root's /etc/niminfo, when no niminfo file was named: the client checks it drives.
void niminfo_at_root(const Options& o, Outcome& out) {
  if (o.root.empty()) return;
  const auto path = (std::filesystem::path(o.root) / "etc/niminfo").string();
  const auto text = read_config_file(path);
  if (text.error) return;
  const auto p = nim::parse_niminfo(path, text.text);
  for (auto& f : nim::audit_client(p.info, o.root, o.now ? o.now : std::time(nullptr))) out.findings.push_back(std::move(f));
}

}  // namespace

Outcome run(const std::vector<std::string>& files, const Options& options) {
  Outcome out;
  const auto facts = host_facts(options, out.notes);
  std::vector<strongswan::Config> ipsec_configs;
  Collected tls;
  for (const auto& path : files) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec) && pureftpd::is_conf_folder(path)) {
      auto p = pureftpd::parse_folder(path, fact_or(facts, "pure-ftpd", "1.0.50"));
      if (p.error) {
        out.error = p.error;
        return out;
      }
      for (auto& f : pureftpd::audit(p.config)) out.findings.push_back(std::move(f));
      tls.pureftpd.push_back(std::move(p.config));
      continue;
    }
    if (std::filesystem::is_directory(path, ec) && !options.kind.empty() && options.kind != "cert") {
      out.error = ConfigError{path, 0, "a directory, not a file (--type " + options.kind + " reads one file)"};
      return out;
    }
    if (std::filesystem::is_directory(path, ec)) {
      auto loaded = certs::load_folder(path, options.read);
      if (loaded.error) {
        out.error = loaded.error;
        return out;
      }
      for (auto& c : loaded.certs) out.certs.push_back(std::move(c));
      for (auto& k : loaded.keys) out.keys.push_back(std::move(k));
      continue;
    }
    const auto text = read_config_file(path);
    if (text.error) {
      out.error = text.error;
      return out;
    }
    const auto kind = options.kind.empty() ? detect(path, text.text) : options.kind;
    if (kind.empty()) {
      out.error = ConfigError{path, 0, "format not recognised; name it with --type (" + kinds() + ")"};
      return out;
    }
    if (kind == "swanctl" || kind == "ipsec.conf") {
      if (auto e = read_strongswan(path, text.text, kind, options, ipsec_configs, out)) {
        out.error = std::move(e);
        return out;
      }
      continue;
    }
    if (auto e = audit_one(path, text.text, kind, facts, options, tls, out)) {
      out.error = std::move(e);
      return out;
    }
  }
  known_partners(tls, out, options.what_if);
  attls_checks(tls, facts, out);
  for (auto& f : strongswan::audit(ipsec_configs, strongswan_options(options, facts)))
    out.findings.push_back(std::move(f));
  strongswan::predict_profiles(ipsec_configs, out.findings, out.sections, options.what_if);
  for (auto& f : nim::audit(options.root)) out.findings.push_back(std::move(f));
  if (!tls.niminfo_read) niminfo_at_root(options, out);
  for (auto& f : nim::audit_pair(options.root, options.master_root)) out.findings.push_back(std::move(f));
  for (auto& f : certs::audit(out.certs, options.now ? options.now : std::time(nullptr))) out.findings.push_back(std::move(f));
  for (auto& f : certs::audit_set(out.certs, out.keys, options.role)) out.findings.push_back(std::move(f));
  return out;
}

}  // namespace sd::audit
