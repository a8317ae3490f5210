// The data-channel result as a report section, the findings it supports (KB ids), and the facts for prediction.
#include <fmt/format.h>


#include "kb/rule.h"
#include "probe/ftps/ftps_data.h"

namespace sd::probe::ftps {
namespace {

// A finding carrying the KB rule's title, cause, side, fixes and references (fallbacks when the id has no rule).
Finding kb_finding(const std::string& id, const std::string& fallback_title, const std::string& fallback_cause) {
  Finding f = kb::embedded_finding(id, fallback_title, fallback_cause);
  f.confidence = 0.95;
  return f;
}

Evidence said(const std::string& target, const std::string& text) {
  return {target, 0, text, "", std::nullopt, "server"};
}

std::string yes_no(const std::optional<bool>& v) { return !v ? "unknown" : *v ? "yes" : "no"; }

Field attempt_field(const DataAttempt& a) {
  Field f = leaf("attempt", a.mode);
  f.add(leaf("passive_command", a.passive_command));
  f.add(leaf("passive_reply", a.passive_reply));
  if (!a.announced_host.empty()) f.add(leaf("announced_host", a.announced_host));
  f.add(leaf("data_address", fmt::format("{}:{}", a.data_host, a.data_port)));
  f.add(leaf("connect", a.connect_outcome));
  f.add(leaf("tls", a.mode == "clear" ? "none (PROT C)" : a.tls_outcome.empty() ? "not started" : a.tls_outcome));
  if (!a.tls_detail.empty()) f.add(leaf("tls_detail", a.tls_detail));
  if (!a.tls_version.empty()) f.add(leaf("tls_version", a.tls_version + " " + a.cipher));
  if (a.session_reused) f.add(leaf("session_reused", yes_no(a.session_reused)));
  f.add(leaf("listing_bytes", std::to_string(a.listing_bytes)));
  if (!a.preliminary_reply.empty()) f.add(leaf("preliminary_reply", a.preliminary_reply));
  f.add(leaf("final_reply", a.final_reply));
  f.add(leaf("succeeded", a.succeeded ? "yes" : "no"));
  return f;
}

Field control_field(const DataChannelResult& r) {
  Field f = leaf("control_transcript", std::to_string(r.control.size()) + " lines");
  for (const auto& line : r.control) f.add(leaf(line.sent ? "sent" : "received", line.text));
  return f;
}

std::vector<Field> result_fields(const DataChannelResult& r) {
  std::vector<Field> out{leaf("mode", r.implicit ? "implicit" : "explicit"), leaf("outcome", r.outcome)};
  if (!r.stopped_at.empty()) out.push_back(leaf("stopped_at", r.stopped_at + ": " + r.detail));
  out.push_back(leaf("banner", r.banner));
  out.push_back(leaf("auth_tls", yes_no(r.auth_tls)));
  if (r.auth_ssl) out.push_back(leaf("auth_ssl", yes_no(r.auth_ssl)));
  out.push_back(leaf("control_tls", r.control_tls_version + " " + r.control_cipher));
  Field features = leaf("features", std::to_string(r.features.size()));
  for (const auto& feature : r.features) features.add(leaf("feature", feature));
  out.push_back(std::move(features));
  out.push_back(leaf("login", r.login_user + ": " + r.login_reply));
  out.push_back(leaf("pbsz", r.pbsz_reply));
  out.push_back(leaf("prot_p", yes_no(r.prot_p_accepted) + ": " + r.prot_p_reply));
  for (const auto& a : r.attempts) out.push_back(attempt_field(a));
  out.push_back(leaf("requires_session_reuse", yes_no(r.requires_session_reuse)));
  out.push_back(leaf("epsv", yes_no(r.epsv_accepted)));
  out.push_back(leaf("pasv_address_differs", yes_no(r.pasv_address_differs)));
  out.push_back(leaf("prot_c", yes_no(r.prot_c_accepted) + ": " + r.prot_c_reply));
  out.push_back(leaf("ccc", r.ccc_advertised != true ? "not advertised in FEAT, not sent"
                                                     : yes_no(r.ccc_accepted) + ": " + r.ccc_reply));
  out.push_back(leaf("connections", std::to_string(r.connections)));
  out.push_back(control_field(r));
  return out;
}

void reuse_finding(const DataChannelResult& r, report::Report& out) {
  if (r.requires_session_reuse != true) return;
  Finding f = kb_finding("ftps.vsftpd-require-ssl-reuse", "The server requires TLS session reuse on data connections",
                         "The data connection is refused unless it resumes the control connection's TLS session.");
  if (r.banner.find("vsFTPd") == std::string::npos) {
    // The KB rule is written for vsftpd; other servers (proftpd by default) enforce the same policy.
    f.title = "The server refused the data connection because the client did not reuse the control connection's "
              "TLS session";
    f.fixes.insert(f.fixes.begin(), Fix{"server", "proftpd: let data connections use a new TLS session.",
                                        "# proftpd.conf, in the mod_tls section\nTLSOptions NoSessionReuseRequired\n",
                                        "Another host that can reach the data port could take over a passive data connection."});
  }
  if (const auto* a = r.attempt("resumed"))
    f.evidence.push_back(said(r.target, "LIST resuming the control session: " + a->final_reply));
  if (const auto* a = r.attempt("fresh"))
    f.evidence.push_back(said(r.target, "LIST with a fresh TLS session: " + a->final_reply));
  out.findings.push_back(std::move(f));
}

void policy_findings(const DataChannelResult& r, report::Report& out) {
  if (r.prot_c_accepted == false) {
    Finding f = kb_finding("ftps.data-protection-required", "Clear data connections are refused", "PROT C was refused.");
    f.severity = Severity::info;  // a server policy: it breaks only clients that do not send PROT P
    f.evidence.push_back(said(r.target, "PROT C: " + r.prot_c_reply));
    if (const auto* a = r.attempt("clear"))
      f.evidence.push_back(said(r.target, "LIST over a clear data connection: " + a->final_reply));
    out.findings.push_back(std::move(f));
  }
  if (r.ccc_accepted == false) {
    Finding f = kb_finding("ftps.ccc-refused", "CCC refused", "The server advertised CCC but refused it.");
    f.evidence.push_back(said(r.target, "CCC: " + r.ccc_reply));
    out.findings.push_back(std::move(f));
  }
}

void address_finding(const DataChannelResult& r, report::Report& out) {
  if (r.pasv_address_differs != true) return;
  Finding f = kb_finding("ftps.pasv-address-unreachable", "The passive address differs from the control address",
                         "The 227 reply announces another address than the one the client connected to.");
  for (const auto& a : r.attempts)
    if (!a.announced_host.empty() && a.announced_host != a.data_host)
      f.evidence.push_back(said(r.target, fmt::format("{} announced {} while the control connection goes to {}: {}",
                                                      a.passive_command, a.announced_host, a.data_host, a.passive_reply)));
  out.findings.push_back(std::move(f));
}

void auth_finding(const DataChannelResult& r, report::Report& out) {
  if (r.auth_tls != false || r.auth_ssl == true) return;
  Finding f = kb_finding("ftps.auth-tls-refused", "The server does not offer explicit FTPS (AUTH TLS and AUTH SSL refused)",
                         "The server answered AUTH TLS and AUTH SSL with an error, so no client can protect the "
                         "control connection on this port: TLS is not enabled (vsftpd ssl_enable=NO, proftpd "
                         "without TLSEngine on), or the port expects implicit FTPS.");
  f.severity = Severity::high;
  f.change_side = "server";
  f.evidence.push_back(said(r.target, r.detail));
  out.findings.push_back(std::move(f));
}

std::vector<std::string> summary_notes(const DataChannelResult& r) {
  std::vector<std::string> notes;
  if (!r.stopped_at.empty()) notes.push_back(fmt::format("The check stopped at {}: {}", r.stopped_at, r.detail));
  if (r.requires_session_reuse == true)
    notes.push_back("Data connections must resume the control connection's TLS session; clients that open them "
                    "with a fresh session (z/OS FTP, curl --no-sessionid) fail.");
  if (r.requires_session_reuse == false) notes.push_back("Data connections work with or without TLS session reuse.");
  if (r.ccc_advertised == false) notes.push_back("CCC is not advertised in FEAT; it was not sent.");
  notes.push_back(fmt::format("{} TCP connections opened (control and data); nothing was written on the server.",
                              r.connections));
  return notes;
}

}  // namespace

void add_to_report(const DataChannelResult& result, report::Report& out) {
  report::Section section;
  section.kind = "probe";
  section.title = "FTPS data channel";
  section.source = result.target;
  section.fields = result_fields(result);
  section.notes = summary_notes(result);
  out.sections.push_back(std::move(section));
  auth_finding(result, out);
  reuse_finding(result, out);
  address_finding(result, out);
  policy_findings(result, out);
}

void fill_facts(const DataChannelResult& result, tls::FtpsFacts& facts) {
  if (result.auth_tls) facts.auth_tls = result.auth_tls;
  if (result.auth_ssl) facts.auth_ssl = result.auth_ssl;
  facts.implicit = result.implicit;
  if (result.requires_session_reuse) facts.requires_session_reuse = result.requires_session_reuse;
  if (result.prot_p_accepted) facts.prot_p_accepted = result.prot_p_accepted;
  if (result.prot_c_accepted) facts.prot_c_accepted = result.prot_c_accepted;
  if (result.ccc_accepted) facts.ccc_accepted = result.ccc_accepted;
  else if (result.ccc_advertised == false) facts.ccc_accepted = false;  // not offered: a client sending CCC fails
  for (const auto& a : result.attempts)
    if (!a.succeeded && !a.final_reply.empty()) facts.replies.push_back(a.final_reply);
  if (result.prot_c_accepted == false && !result.attempt("clear")) facts.replies.push_back(result.prot_c_reply);
  if (result.ccc_accepted == false) facts.replies.push_back(result.ccc_reply);
}

}  // namespace sd::probe::ftps
