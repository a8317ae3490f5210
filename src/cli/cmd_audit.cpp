// audit: configuration files in, findings out. Glue only: parsing and checks live in src/audit.
#include <fmt/format.h>

#include <algorithm>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "audit/audit.h"
#include "audit/pair.h"
#include "cli/command.h"
#include "whatif/change.h"
#include "whatif/compare.h"
#include "cli/fleet_cmd.h"

namespace sd::cli {
namespace {

// "efs=on" -> facts["efs"] = "on"; false when the text has no '=' or no key.
bool add_fact(const std::string& text, std::map<std::string, std::string>& facts) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  facts[audit::lower(text.substr(0, eq))] = text.substr(eq + 1);
  return true;
}

// Every certificate read, soonest expiry first: the fleet's calendar.
report::Section calendar(std::vector<audit::certs::Cert> certs) {
  std::sort(certs.begin(), certs.end(), [](const auto& a, const auto& b) { return a.not_after < b.not_after; });
  report::Section s;
  s.kind = "audit";
  s.title = "Certificate expiry calendar";
  for (const auto& c : certs)
    s.fields.push_back(leaf(audit::certs::day(c.not_after), fmt::format("{} ({} #{})", c.subject, c.file, c.index + 1)));
  return s;
}

// The PKCS#12 password from --p12-pass-env or --p12-pass-file; an error message when the source is unusable.
std::optional<std::string> p12_password(const Invocation& inv, audit::Options& options) {
  if (const auto env = inv.get("p12-pass-env"); !env.empty()) {
    const char* value = std::getenv(env.c_str());
    if (!value) return fmt::format("--p12-pass-env: environment variable {} is not set", env);
    options.read.p12_password = value;
    options.read.have_p12_password = true;
  } else if (const auto file = inv.get("p12-pass-file"); !file.empty()) {
    std::ifstream in(file);
    if (!in) return fmt::format("--p12-pass-file: cannot read {}", file);
    std::getline(in, options.read.p12_password);
    if (!options.read.p12_password.empty() && options.read.p12_password.back() == '\r')
      options.read.p12_password.pop_back();
    options.read.have_p12_password = true;
  }
  return std::nullopt;
}

// The audited host's name in the fleet database: --host, else the --root folder's name, else "localhost".
std::string host_of(const Invocation& inv) {
  if (const auto host = inv.get("host"); !host.empty()) return host;
  const std::filesystem::path root = std::filesystem::path(inv.get("root")).lexically_normal();
  const auto name = (root.has_filename() ? root : root.parent_path()).filename().string();
  return name.empty() || name == "." || name == ".." ? "localhost" : name;
}

// Audited certificates as fleet rows: their public fields only.
std::vector<fleet::CertRow> cert_rows(const std::vector<audit::certs::Cert>& certs) {
  std::vector<fleet::CertRow> out;
  for (const auto& c : certs)
    out.push_back({c.subject, c.issuer, c.serial, fleet::iso_utc(static_cast<std::int64_t>(c.not_after)), c.sha256,
                   fmt::format("{} #{}", c.file, c.index + 1)});
  return out;
}

// A --what-if change that no audited server took (no server of its protocol, or one the what-if does not cover).
std::string unused_what_if(const audit::Options& options, const std::vector<report::Section>& sections) {
  const auto unused = whatif::unused_change(options.what_if, sections);
  if (unused.empty()) return {};
  return fmt::format("--what-if {}: no audited server it applies to (TLS: vsftpd, proftpd, pure-ftpd, the --server side of a "
                     "TLS pair audit; SSH: sshd_config; IKE: swanctl.conf and ipsec.conf connections)", unused);
}

int run_pair(const Invocation& inv, const audit::Options& options, Recorder& recorder) {
  const auto clients = inv.all("client");
  const auto servers = inv.all("server");
  if (clients.empty() || servers.empty()) return input_error("audit: a pair audit needs both --client and --server files");
  auto outcome = audit::run_pair(clients, servers, options);
  if (outcome.error) return input_error("audit: " + outcome.error->text());
  if (const auto e = unused_what_if(options, outcome.sections); !e.empty()) return input_error(e);
  report::Report r;
  r.command = "audit";
  r.inputs = clients;
  r.inputs.insert(r.inputs.end(), servers.begin(), servers.end());
  r.findings = std::move(outcome.findings);
  r.sections = std::move(outcome.sections);
  r.notes = std::move(outcome.notes);
  if (r.findings.empty()) r.notes.push_back("The predicted handshake succeeds: no setting on either side breaks it.");
  return record(recorder, {fleet::run_from(r, host_of(inv))}, emit(inv, r));
}

}  // namespace

int run_audit(const Invocation& inv) {
  audit::Options options;
  options.kind = inv.get("type");
  options.root = inv.get("root");
  options.master_root = inv.get("master-root");
  for (const auto& f : inv.all("fact"))
    if (!add_fact(f, options.facts)) return input_error(fmt::format("--fact: '{}' is not KEY=VALUE", f));
  options.role = inv.get("role").empty() ? "server" : inv.get("role");
  if (const auto e = p12_password(inv, options)) return input_error(*e);
  options.what_if = inv.all("what-if");
  std::string error;
  for (const auto& change : options.what_if)
    if (!whatif::known_change(change, error)) return input_error(error);
  Recorder recorder = open_recorder(inv);
  if (!recorder.error.empty()) return input_error(recorder.error);
  if (!inv.all("client").empty() || !inv.all("server").empty()) return run_pair(inv, options, recorder);
  if (inv.positionals.empty()) return input_error("audit: no configuration file given");
  auto outcome = audit::run(inv.positionals, options);
  if (outcome.error) return input_error("audit: " + outcome.error->text());
  if (const auto e = unused_what_if(options, outcome.sections); !e.empty()) return input_error(e);
  report::Report r;
  r.command = "audit";
  r.inputs = inv.positionals;
  r.findings = std::move(outcome.findings);
  r.notes = std::move(outcome.notes);
  for (auto& s : outcome.sections) r.sections.push_back(std::move(s));
  auto certificates = cert_rows(outcome.certs);
  if (!outcome.certs.empty()) r.sections.push_back(calendar(std::move(outcome.certs)));
  if (r.findings.empty()) r.notes.push_back("No setting known to break a handshake was found.");
  auto run = fleet::run_from(r, host_of(inv));
  run.certificates = std::move(certificates);
  return record(recorder, {std::move(run)}, emit(inv, r));
}

}  // namespace sd::cli
