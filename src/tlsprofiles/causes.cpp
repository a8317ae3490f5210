// Why a client fails against a server: each cause names the KB rule, the server's evidence, what the client
// shows, and the fixes on each side (from the KB rule, plus the profile's own client setting).
#include <algorithm>

#include <fmt/format.h>

#include "kb/rule.h"
#include "tlsprofiles/codes.h"
#include "tlsprofiles/negotiate.h"
#include "wire/tls/registry.h"

namespace sd::tlsprofiles {
namespace {

using probe::tls::Answer;
using probe::tls::Refusal;
using probe::tls::ServerFacts;

const kb::Rule* kb_rule(const std::string& id) {
  static const kb::Kb kb = kb::load_embedded().kb;
  const auto it = std::find_if(kb.rules.begin(), kb.rules.end(), [&](const kb::Rule& r) { return r.id == id; });
  return it == kb.rules.end() ? nullptr : &*it;
}

std::string client_shows(const ClientProfile& p, const std::string& kb_id, Stage stage) {
  for (const auto& s : p.symptoms)
    if (s.kb_id == kb_id) return s.text;
  if (stage == Stage::data_channel) return {};
  for (const auto& s : p.symptoms)
    if (s.kb_id == "*") return s.text;
  return {};
}

Cause make_cause(const ClientProfile& p, Stage stage, std::string kb_id, std::string reason, std::string evidence) {
  Cause c{stage, std::move(kb_id), std::move(reason), std::move(evidence), {}, {}, "either"};
  c.client_shows = client_shows(p, c.kb_id, stage);
  if (const kb::Rule* rule = kb_rule(c.kb_id)) {
    c.fixes = rule->fixes;
    if (!rule->change_side.empty()) c.change_side = rule->change_side;
  }
  if (!p.fix_client.empty() && stage == Stage::handshake)
    c.fixes.push_back({"client", fmt::format("Change {}'s TLS settings.", p.name), p.fix_client, ""});
  return c;
}

std::string versions_text(const std::vector<std::uint16_t>& versions) {
  std::vector<std::string> names;
  for (const auto v : versions) names.push_back(code_label(CodeKind::version, v));
  return fmt::format("{}", fmt::join(names, ", "));
}

std::string answer_text(const Answer& a) {
  std::string out;
  if (a.alert_code) {
    const auto* alert = sd::tls::registry::find_alert(*a.alert_code);
    out = fmt::format("alert {} ({})", *a.alert_code, alert ? alert->name : "unknown");
  }
  const auto add = [&](const std::string& s) {
    if (!s.empty()) out += (out.empty() ? "" : ", ") + s;
  };
  add(a.text);
  add(a.detail);
  return out.empty() ? "refused" : out;
}

std::vector<std::uint16_t> accepted_versions(const ServerFacts& f) {
  std::vector<std::uint16_t> out;
  for (const auto& [v, a] : f.versions)
    if (a.refusal == Refusal::none) out.push_back(v);
  return out;
}

bool says_no_shared_cipher(const Answer& a) {
  const std::string all = a.text + " " + a.detail;
  return (a.alert_code && *a.alert_code == 40) || all.find("no shared cipher") != std::string::npos ||
         all.find("no cipher") != std::string::npos;
}

std::string suites_text(const std::vector<std::uint16_t>& suites) {
  std::vector<std::string> names;
  for (const auto s : suites) names.push_back(code_label(CodeKind::cipher_suite, s));
  return names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, ", "));
}

bool ftps_server(const ServerFacts& f) {
  const auto& x = f.ftps;
  return x.auth_tls || x.auth_ssl || x.implicit || x.requires_session_reuse || x.prot_p_accepted ||
         f.source.find("ftp") != std::string::npos;
}

}  // namespace

Cause refusal_cause(const ClientProfile& p, const ServerFacts& f, std::uint16_t version) {
  const Answer& a = f.versions.at(version);
  const std::string evidence = fmt::format("{} hello: {}", code_label(CodeKind::version, version), answer_text(a));
  const auto accepted = accepted_versions(f);
  const std::string offered = versions_text(client_versions(p));
  if (says_no_shared_cipher(a))
    return make_cause(p, Stage::handshake, "tls.no-shared-cipher",
                      fmt::format("{} offers {} only; the server refuses that hello for want of a cipher suite it allows "
                                  "at that version (it accepts {})", p.name, offered,
                                  accepted.empty() ? "no version tested" : versions_text(accepted)),
                      evidence);
  const auto mine = client_versions(p);  // highest first; `accepted` is lowest first
  std::string id = "tls.version-mismatch";
  if (!accepted.empty() && mine.front() < accepted.front()) id = "tls.client-version-too-old";
  if (!accepted.empty() && accepted.back() < mine.back()) id = "tls.server-version-too-old";
  return make_cause(p, Stage::handshake, id,
                    fmt::format("{} offers {}; the server accepts {}", p.name, offered,
                                accepted.empty() ? "none of them" : versions_text(accepted)),
                    evidence);
}

Cause no_shared_suite_cause(const ClientProfile& p, std::uint16_t version, const std::vector<std::uint16_t>& server_suites) {
  return make_cause(p, Stage::handshake, "tls.no-shared-cipher",
                    fmt::format("at {} none of the {} suites {} offers is accepted by the server",
                                code_label(CodeKind::version, version), p.cipher_suites.value.size(), p.name),
                    fmt::format("server accepts at {}: {}", code_label(CodeKind::version, version), suites_text(server_suites)));
}

Cause no_shared_group_cause(const ClientProfile& p, const ServerFacts& f) {
  std::vector<std::string> names;
  for (const auto g : f.groups) names.push_back(code_label(CodeKind::group, g));
  return make_cause(p, Stage::handshake, "", fmt::format("{} and the server share no key exchange group", p.name),
                    fmt::format("server groups: {}", fmt::join(names, ", ")));
}

std::optional<Cause> dh_cause(const ClientProfile& p, const ServerFacts& f, std::uint16_t suite) {
  const auto* info = sd::tls::registry::find_cipher_suite(suite);
  if (!info || info->kx != "DHE" || !f.min_dh_bits || !p.min_dh_bits.value || *f.min_dh_bits >= *p.min_dh_bits.value)
    return std::nullopt;
  return make_cause(p, Stage::handshake, "tls.dh-too-small",
                    fmt::format("the server would pick {} with a {}-bit DH group; {} wants at least {} bits",
                                info->iana_name, *f.min_dh_bits, p.name, *p.min_dh_bits.value),
                    fmt::format("server DH group: {} bits", *f.min_dh_bits));
}

std::optional<Cause> legacy_signature_cause(const ClientProfile& p, std::uint16_t version, std::uint16_t suite) {
  const auto* info = sd::tls::registry::find_cipher_suite(suite);
  const bool signed_kx = info && (info->kx == "DHE" || info->kx == "ECDHE") && info->auth != "anon";
  if (version >= 0x0303 || !signed_kx || !p.has_behaviour("refuses-legacy-ske-signature")) return std::nullopt;
  const std::string v = code_label(CodeKind::version, version);
  return make_cause(p, Stage::handshake, "tls.legacy-ske-signature-refused",
                    fmt::format("the server would pick {} at {}, whose key exchange is signed with MD5+SHA-1; {} "
                                "refuses that signature at its default security level",
                                info->iana_name, v, p.name),
                    fmt::format("server: {} with {}", v, info->iana_name));
}

std::optional<Cause> upgrade_cause(const ClientProfile& p, const ServerFacts& f) {
  const auto& ftps = f.ftps;
  if (ftps.implicit == true || ftps.auth_tls != false || ftps.auth_ssl == true) return std::nullopt;
  return make_cause(p, Stage::handshake, "ftps.auth-tls-refused",
                    fmt::format("the server refuses AUTH TLS and AUTH SSL, so {} cannot start TLS on the control "
                                "connection", p.name),
                    "server: AUTH TLS and AUTH SSL refused");
}

std::optional<Cause> hello_shape_cause(const ClientProfile& p, const ServerFacts& f) {
  if (f.requires_extensions.value_or(false) && !p.extensions_block.value)
    return make_cause(p, Stage::handshake, "", fmt::format("{} sends a hello without extensions; the server refuses those", p.name),
                      "server refuses a hello with no extensions");
  if (f.requires_sni.value_or(false) && !p.offers_extension(0))
    return make_cause(p, Stage::handshake, "", fmt::format("{} sends no server name (SNI); the server requires one", p.name),
                      "server refuses a hello without SNI");
  return std::nullopt;
}

std::vector<Cause> after_handshake_causes(const ClientProfile& p, const ServerFacts& f, std::vector<std::string>& unknowns) {
  std::vector<Cause> out;
  const auto& req = f.client_cert;
  const std::string ca = req.ca_names.empty() ? "an empty CA list" : fmt::format("{} CA names", req.ca_names.size());
  if (req.requested && p.has_behaviour("aborts-on-certificate-request"))
    out.push_back(make_cause(p, Stage::client_certificate, ftps_server(f) ? "ftps.vsftpd-ssl-request-cert" : "",
                             fmt::format("the server asks for a client certificate and {} ends the handshake on that request", p.name),
                             fmt::format("CertificateRequest sent, with {}", ca)));
  else if (req.requested && req.ca_names.empty() && p.has_behaviour("fails-on-empty-ca-list"))
    out.push_back(make_cause(p, Stage::client_certificate, "",
                             fmt::format("{} fails on a CertificateRequest with an empty CA list", p.name),
                             "CertificateRequest sent, with an empty CA list"));
  else if (req.required.value_or(false) && p.client_certificate.value != true)
    out.push_back(make_cause(p, Stage::client_certificate, "tls.client-cert-required",
                             fmt::format("the server requires a client certificate; {} is not known to send one", p.name),
                             fmt::format("handshake without a certificate refused; request with {}", ca)));
  if (f.ftps.requires_session_reuse.value_or(false)) {
    if (p.ftps_session_reuse.value == false)
      out.push_back(make_cause(p, Stage::data_channel, "ftps.vsftpd-require-ssl-reuse",
                               fmt::format("the server requires the data connection to resume the control connection's "
                                           "TLS session; {} opens it with a fresh session", p.name),
                               f.ftps.replies.empty() ? "data connection without session reuse refused" : f.ftps.replies.front()));
    else if (!p.ftps_session_reuse.value)
      unknowns.push_back("the server requires TLS session reuse on FTPS data connections; whether this client reuses it is not known");
  }
  return out;
}

bool data_channel_undetermined(const ClientProfile& p, const ServerFacts& f, std::vector<std::string>& unknowns) {
  if (!ftps_server(f) || f.ftps.requires_session_reuse.has_value() || p.ftps_session_reuse.value != false) return false;
  unknowns.push_back(fmt::format("{} opens FTPS data connections with a fresh TLS session, and whether the server demands "
                                 "reuse is not known (no login was possible)", p.name));
  return true;
}

}  // namespace sd::tlsprofiles
