// The probe kinds' entry points: pick the upgrade, scan, report, and predict the client profiles.
#include <fmt/format.h>

#include "probe/ftps/ftps_data.h"
#include "probe/tls/tls_probe.h"
#include "tlsprofiles/predict.h"
#include "tlsprofiles/profiles.h"
#include "whatif/tls.h"

namespace sd::probe::tls {
namespace {

// The profiles named by --as (all of them when none is named); false with `error` for an unknown id.
bool chosen_profiles(const ProbeOptions& options, std::vector<tlsprofiles::ClientProfile>& out, std::string& error) {
  if (options.profiles.empty()) {
    out = tlsprofiles::load_profiles();
    return true;
  }
  for (const auto& id : options.profiles) {
    auto profile = tlsprofiles::find_profile(id);
    if (!profile) {
      error = "unknown client profile \"" + id + "\"";
      return false;
    }
    out.push_back(std::move(*profile));
  }
  return true;
}

bool run_with(Upgrade upgrade, const Url& url, const ProbeOptions& options, report::Report& out, std::string& error) {
  std::vector<tlsprofiles::ClientProfile> profiles;
  if (!chosen_profiles(options, profiles, error)) return false;
  return add_to_report(url, scan(url, upgrade, options), options, out, error);
}

// FTPS: the handshake scan, then the data-channel check, whose facts (session reuse, PROT P) feed the prediction.
bool run_ftp(bool implicit, const Url& url, const ProbeOptions& options, report::Report& out, std::string& error) {
  std::vector<tlsprofiles::ClientProfile> profiles;
  if (!chosen_profiles(options, profiles, error)) return false;
  Scan result = scan(url, implicit ? Upgrade::none : Upgrade::ftp, options);
  const auto data = ftps::check_data_channel(url, options, implicit);
  ftps::fill_facts(data, result.facts.ftps);
  result.facts.ftps.implicit = implicit;
  if (!add_to_report(url, result, options, out, error)) return false;
  ftps::add_to_report(data, out);
  out.notes.push_back(fmt::format("{} connection(s) made by the data-channel check", data.connections));
  return true;
}

}  // namespace

bool add_to_report(const Url& url, const Scan& scan, const ProbeOptions& options, report::Report& out, std::string& error) {
  std::vector<tlsprofiles::ClientProfile> profiles;
  if (!chosen_profiles(options, profiles, error)) return false;
  const auto changes = whatif::parse_changes(options.what_if, whatif::Protocol::tls, error);
  if (!changes) return false;
  for (auto& s : scan_sections(url, scan)) out.sections.push_back(std::move(s));
  for (auto& f : scan_findings(url, scan)) out.findings.push_back(std::move(f));
  const auto predictions = tlsprofiles::predict_all(profiles, scan.facts);
  out.sections.push_back(tlsprofiles::matrix_section(profiles, predictions, url.text));
  if (!options.profiles.empty())
    for (std::size_t i = 0; i < profiles.size(); ++i)
      for (auto& f : tlsprofiles::prediction_findings(profiles[i], predictions[i], url.text)) out.findings.push_back(std::move(f));
  whatif::add_tls_what_if(*changes, profiles, scan.facts, url.text, out.sections, out.findings);
  out.notes.push_back(fmt::format("{} connection(s) made to {} port {}", scan.stats.attempted, url.host, url.port));
  return true;
}

bool run_tls(const Url& url, const ProbeOptions& options, report::Report& out, std::string& error) {
  return run_with(Upgrade::none, url, options, out, error);
}
bool run_ftps(const Url& url, const ProbeOptions& options, report::Report& out, std::string& error) {
  return run_ftp(false, url, options, out, error);
}
bool run_ftps_implicit(const Url& url, const ProbeOptions& options, report::Report& out, std::string& error) {
  return run_ftp(true, url, options, out, error);
}
bool run_smtp(const Url& url, const ProbeOptions& options, report::Report& out, std::string& error) {
  return run_with(Upgrade::smtp, url, options, out, error);
}
bool run_imap(const Url& url, const ProbeOptions& options, report::Report& out, std::string& error) {
  return run_with(Upgrade::imap, url, options, out, error);
}
bool run_pop3(const Url& url, const ProbeOptions& options, report::Report& out, std::string& error) {
  return run_with(Upgrade::pop3, url, options, out, error);
}
bool run_ldap(const Url& url, const ProbeOptions& options, report::Report& out, std::string& error) {
  return run_with(Upgrade::ldap, url, options, out, error);
}

}  // namespace sd::probe::tls
