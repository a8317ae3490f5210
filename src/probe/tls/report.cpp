// The scan as report sections: every fact as a field, every untried check as a note.
#include <fmt/format.h>

#include "probe/engine/describe.h"
#include "probe/tls/tls_probe.h"
#include "wire/tls/registry.h"

namespace sd::probe::tls {
namespace reg = sd::tls::registry;
namespace {

std::string_view refusal_name(Refusal r) {
  switch (r) {
    case Refusal::none: return "accepted";
    case Refusal::alert: return "alert";
    case Refusal::alert_then_text: return "alert-then-plaintext";
    case Refusal::plaintext: return "plaintext";
    case Refusal::closed: return "closed";
    case Refusal::reset: return "reset";
    case Refusal::timeout: return "timeout";
    case Refusal::unknown: return "unknown";
  }
  return "unknown";
}

std::string yes_no(const std::optional<bool>& v) { return v ? (*v ? "yes" : "no") : "unknown"; }

Field answer_field(std::string name, const Answer& a) {
  Field f{.name = std::move(name), .value = std::string(refusal_name(a.refusal))};
  if (a.alert_code) f.add(leaf("alert", fmt::format("{} ({})", *a.alert_code, reg::find_alert(*a.alert_code) ? reg::find_alert(*a.alert_code)->name : "unknown")));
  if (!a.text.empty()) f.add(leaf("text", a.text));
  if (!a.detail.empty()) f.add(leaf("detail", a.detail));
  return f;
}

Field suite_field(std::uint16_t code) {
  const auto* s = reg::find_cipher_suite(code);
  Field f{.name = "suite", .value = reg::cipher_suite_name(code)};
  f.add(leaf("code", reg::hex16(code)));
  if (s != nullptr && !s->openssl_name.empty()) f.add(leaf("openssl_name", std::string(s->openssl_name)));
  return f;
}

report::Section section(const Url& url, std::string title) {
  return report::Section{.kind = "probe", .title = std::move(title), .source = url.text};
}

report::Section connection_section(const Url& url, const Scan& scan) {
  auto s = section(url, "TLS connection and upgrade");
  s.fields.push_back(leaf("upgrade", std::string(to_string(scan.upgrade))));
  if (!scan.upgrade_log.command.empty()) s.fields.push_back(leaf("upgrade_command", scan.upgrade_log.command));
  if (scan.upgrade_log.auth_tls) s.fields.push_back(leaf("auth_tls", yes_no(scan.upgrade_log.auth_tls)));
  if (scan.upgrade_log.auth_ssl) s.fields.push_back(leaf("auth_ssl", yes_no(scan.upgrade_log.auth_ssl)));
  for (const auto& reply : scan.upgrade_log.replies) s.fields.push_back(leaf("reply", reply));
  s.fields.push_back(answer_field("first_answer", scan.first.answer));
  return s;
}

report::Section versions_section(const Url& url, const Scan& scan) {
  auto s = section(url, "TLS versions (one hello per version)");
  for (const auto& [v, answer] : scan.facts.versions) s.fields.push_back(answer_field(reg::version_name(v), answer));
  return s;
}

report::Section suites_section(const Url& url, const Scan& scan) {
  auto s = section(url, "Cipher suites per version (iterative removal)");
  for (const auto& [v, suites] : scan.facts.suites) {
    Field f{.name = reg::version_name(v), .value = std::to_string(suites.size())};
    for (const auto code : suites) f.add(suite_field(code));
    s.fields.push_back(std::move(f));
  }
  s.fields.push_back(leaf("server_preference", yes_no(scan.facts.server_preference)));
  s.notes.push_back(scan.facts.server_preference.value_or(false)
                        ? "suites are listed in the server's order of preference"
                        : "suites are listed in the order the server chose them from our list");
  return s;
}

// The signature schemes: the TLS 1.2 enumeration, or only those seen signing key exchanges.
Field signatures_field(const Scan& scan) {
  const auto& f = scan.facts;
  const auto handshakes = scan.rounds.find("sigalgs");
  Field out{.name = "signature_schemes",
            .value = f.signature_schemes_enumerated
                         ? fmt::format("TLS 1.2, by iterative removal ({} handshakes)", handshakes == scan.rounds.end() ? 0u : handshakes->second)
                         : std::string("seen in key exchanges only")};
  for (const auto g : f.signature_schemes) out.add(leaf("signature_scheme", reg::signature_scheme_name(g)));
  return out;
}

report::Section groups_section(const Url& url, const Scan& scan) {
  auto s = section(url, "Key exchange groups and signature schemes");
  for (const auto g : scan.facts.groups) s.fields.push_back(leaf("group", reg::group_name(g)));
  s.fields.push_back(signatures_field(scan));
  if (scan.facts.min_dh_bits) s.fields.push_back(leaf("min_dh_bits", std::to_string(*scan.facts.min_dh_bits)));
  s.fields.push_back(leaf("secure_renegotiation", yes_no(scan.facts.secure_renegotiation)));
  for (const auto& note : scan.notes)
    if (note.rfind("groups", 0) == 0 || note.rfind("signature", 0) == 0) s.notes.push_back(note);
  return s;
}

std::string sni_verdict(const ServerFacts& f) {
  std::string out = f.requires_sni.value_or(false) ? "sni-required" : "sni-optional";
  if (f.certificate_differs_by_sni.value_or(false)) out += ", certificate differs by SNI";
  if (f.wrong_sni_fatal.value_or(false)) out += ", unknown name fatal";
  return out;
}

Field sni_hello_field(const SniHello& h) {
  Field f = answer_field(h.label, h.answer);
  f.add(leaf("server_name", h.name.empty() ? "(none)" : h.name));
  for (const auto w : h.warnings)
    f.add(leaf("warning_alert", fmt::format("{} ({})", w, reg::find_alert(w) ? reg::find_alert(w)->name : "unknown")));
  if (!h.leaf_subject.empty()) f.add(leaf("certificate", h.leaf_subject));
  return f;
}

report::Section sni_section(const Url& url, const Scan& scan) {
  const auto& f = scan.facts;
  auto s = section(url, "Server name indication (SNI)");
  s.fields.push_back(leaf("verdict", scan.sni.empty() ? "not tested" : sni_verdict(f)));
  s.fields.push_back(leaf("version", reg::version_name(scan.sni_version)));
  for (const auto& h : scan.sni) s.fields.push_back(sni_hello_field(h));
  s.fields.push_back(leaf("sni_required", yes_no(f.requires_sni)));
  s.fields.push_back(leaf("certificate_differs_by_sni", yes_no(f.certificate_differs_by_sni)));
  s.fields.push_back(leaf("unknown_name_fatal", yes_no(f.wrong_sni_fatal)));
  if (scan.sni.size() == 2) s.notes.push_back("no name to send (the target is an address): use --sni NAME to test the server's own name");
  for (const auto& note : scan.notes)
    if (note.rfind("SNI", 0) == 0) s.notes.push_back(note);
  return s;
}

Field cert_field(const CertFacts& c, std::size_t index) {
  Field f{.name = "certificate", .value = std::to_string(index)};
  f.add(leaf("subject", c.subject));
  f.add(leaf("issuer", c.issuer));
  for (const auto& san : c.sans) f.add(leaf("san", san));
  f.add(leaf("not_before", c.not_before));
  f.add(leaf("not_after", c.not_after));
  f.add(leaf("days_left", std::to_string(c.days_left)));
  f.add(leaf("key", fmt::format("{} {}", c.key_type, c.key_bits)));
  f.add(leaf("signature_algorithm", c.signature_algorithm));
  f.add(leaf("self_signed", c.self_signed ? "yes" : "no"));
  return f;
}

report::Section chain_section(const Url& url, const Scan& scan) {
  auto s = section(url, "Certificate chain as sent");
  for (std::size_t i = 0; i < scan.facts.chain.size(); ++i) s.fields.push_back(cert_field(scan.facts.chain[i], i));
  s.fields.push_back(leaf("chain_in_order", yes_no(scan.facts.chain_in_order)));
  if (scan.facts.chain.empty()) s.notes.push_back("no certificate seen below TLS 1.3 (TLS 1.3 sends it encrypted)");
  for (const auto& note : scan.notes)
    if (note.rfind("certificate chain", 0) == 0) s.notes.push_back(note);
  return s;
}

report::Section client_cert_section(const Url& url, const Scan& scan) {
  const auto& cc = scan.facts.client_cert;
  auto s = section(url, "Client certificate request");
  s.fields.push_back(leaf("requested", cc.requested ? "yes" : "no"));
  s.fields.push_back(leaf("required", yes_no(cc.required)));
  if (cc.requested) {
    s.fields.push_back(leaf("ca_list", cc.ca_names.empty() ? "empty (any CA)" : std::to_string(cc.ca_names.size()) + " name(s)"));
    for (const auto& ca : cc.ca_names) s.fields.push_back(leaf("ca", ca));
    for (const auto t : cc.cert_types) s.fields.push_back(leaf("certificate_type", reg::name_of(reg::Names::certificate_type, t)));
    for (const auto g : cc.signature_schemes) s.fields.push_back(leaf("signature_scheme", reg::signature_scheme_name(g)));
  }
  return s;
}

report::Section resumption_section(const Url& url, const Scan& scan) {
  auto s = section(url, "Session resumption (OpenSSL client)");
  s.fields.push_back(leaf("by_session_id", yes_no(scan.facts.resumption_by_id)));
  s.fields.push_back(leaf("by_ticket", yes_no(scan.facts.resumption_by_ticket)));
  for (const auto& note : scan.openssl.notes) s.notes.push_back(note);
  for (const auto& note : scan.notes)
    if (note.rfind("resumption", 0) == 0) s.notes.push_back(note);
  return s;
}

report::Section intolerance_section(const Url& url, const Scan& scan) {
  auto s = section(url, "Hello-shape intolerance");
  for (const auto& [shape, answer] : scan.shapes) s.fields.push_back(answer_field(std::string(to_string(shape)), answer));
  s.notes.push_back(scan.facts.intolerance.empty() ? "every hello shape tried was accepted"
                                                   : "refused shapes are intolerance: the same suites pass in a normal hello");
  for (const auto& note : scan.notes)
    if (note.find("hello") != std::string::npos) s.notes.push_back(note);
  return s;
}

report::Section connections_section(const Url& url, const Scan& scan) {
  auto s = section(url, "TLS probe connections");
  s.fields.push_back(describe(scan.stats));
  Field rounds{.name = "connections_by_round", .value = std::to_string(scan.stats.attempted)};
  for (const auto& [name, count] : scan.rounds) rounds.add(leaf(name, std::to_string(count)));
  s.fields.push_back(std::move(rounds));
  if (scan.facts.versions.empty() || scan.first.answer.refusal != Refusal::none)
    for (const auto& note : scan.notes) s.notes.push_back(note);
  return s;
}

}  // namespace

std::vector<report::Section> scan_sections(const Url& url, const Scan& scan) {
  std::vector<report::Section> out{connection_section(url, scan), versions_section(url, scan)};
  if (!scan.facts.suites.empty()) {
    out.push_back(suites_section(url, scan));
    out.push_back(groups_section(url, scan));
    out.push_back(chain_section(url, scan));
    out.push_back(sni_section(url, scan));
    out.push_back(client_cert_section(url, scan));
    out.push_back(resumption_section(url, scan));
    out.push_back(intolerance_section(url, scan));
  }
  out.push_back(connections_section(url, scan));
  return out;
}

}  // namespace sd::probe::tls
