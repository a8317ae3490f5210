// z/OS FTP as a TLS server (and an AT-TLS client): the facts the prediction reads, from FTP.DATA and AT-TLS.
#include <fmt/format.h>

#include <algorithm>

#include "audit/zosftp/zosftp.h"
#include "tlsprofiles/codes.h"

namespace sd::audit::zosftp {
namespace {

constexpr std::uint16_t kVersions[] = {0x0300, 0x0301, 0x0302, 0x0303, 0x0304};
constexpr std::uint8_t kProtocolVersionAlert = 70;

// The System SSL default list of a release: the cipher suites of its embedded profile (V2R4 -> zos-systemssl-2.4).
std::vector<std::uint16_t> system_ssl_default(const std::string& release) {
  std::string id = "zos-systemssl-2.4";
  if (release.size() == 4 && release[0] == 'V' && release[2] == 'R')
    id = fmt::format("zos-systemssl-{}.{}", release[1], release[3]);
  const auto p = tlsprofiles::find_profile(id);
  return p ? p->cipher_suites.value : tlsprofiles::find_profile("zos-systemssl-2.4").value_or(tlsprofiles::ClientProfile{}).cipher_suites.value;
}

// Whether a suite can be negotiated at a version: TLS 1.3 has its own suites; GCM, CHACHA20 and SHA-2 MAC suites
// need TLS 1.2 (RFC 5246/5288/5289/7905).
bool usable_at(std::uint16_t suite, std::uint16_t version) {
  if ((suite >> 8) == 0x13) return version == 0x0304;
  if (version == 0x0304) return false;
  const auto name = tlsprofiles::code_label(tlsprofiles::CodeKind::cipher_suite, suite);
  const bool tls12_only = name.find("_GCM_") != std::string::npos || name.find("CHACHA20") != std::string::npos ||
                          name.ends_with("_SHA256") || name.ends_with("_SHA384");
  return version == 0x0303 || !tls12_only;
}

struct Offer {
  std::vector<std::uint16_t> versions;
  std::vector<std::uint16_t> suites;
  std::string where;   ///< for the refusal detail
};

Offer from_ftp_data(const Config& c) {
  Offer o{c.versions(), {}, c.file + " (SSLV3/TLSV1/TLSV1.1/TLSV1.2)"};
  for (const auto& l : c.ciphersuites) {
    auto name = l.value;
    if (name.rfind("SSL_", 0) == 0) name = "TLS_" + name.substr(4);
    if (auto code = tlsprofiles::code_named(tlsprofiles::CodeKind::cipher_suite, name)) o.suites.push_back(*code);
  }
  return o;
}

Offer from_rule(const attls::Match& m) {
  const auto side = attls::tls_side(m);
  return Offer{side.versions, side.suites, "AT-TLS rule " + m.rule->name};
}

void client_certificates(const Config& c, const std::optional<attls::Match>& rule, probe::tls::ServerFacts& f) {
  if (c.attls() && rule) {
    const auto side = attls::tls_side(*rule);
    f.client_cert.requested = lower(side.handshake_role) == "serverwithclientauth";
    const auto type = lower(side.client_auth_type);
    f.client_cert.required = f.client_cert.requested && (type == "required" || type == "safcheck");
    return;
  }
  const auto login = c.get("SECURE_LOGIN")->value;
  f.client_cert.requested = login != "NO_CLIENT_AUTH";
  f.client_cert.required = f.client_cert.requested;
}

}  // namespace

probe::tls::ServerFacts server_facts(const Config& c, const std::optional<attls::Match>& rule, const std::string& source) {
  probe::tls::ServerFacts f;
  f.source = source;
  auto offer = c.attls() ? (rule ? from_rule(*rule) : Offer{}) : from_ftp_data(c);
  if (offer.suites.empty()) offer.suites = system_ssl_default(c.release);
  for (const auto v : kVersions) {
    std::vector<std::uint16_t> at;
    for (const auto s : offer.suites)
      if (usable_at(s, v)) at.push_back(s);
    const bool on = std::find(offer.versions.begin(), offer.versions.end(), v) != offer.versions.end();
    if (on && !at.empty()) {
      f.versions[v] = probe::tls::Answer{probe::tls::Refusal::none, std::nullopt, "", "enabled by " + offer.where};
      f.suites[v] = std::move(at);
    } else {
      f.versions[v] = probe::tls::Answer{probe::tls::Refusal::alert, kProtocolVersionAlert, "",
                                         fmt::format("{} is not enabled by {}", tlsprofiles::code_label(tlsprofiles::CodeKind::version, v), offer.where)};
    }
  }
  f.server_preference = true;  // System SSL as a server picks by its own cipher list order
  client_certificates(c, rule, f);
  const auto data = c.get("SECURE_DATACONN")->value;
  f.ftps.auth_tls = true;
  f.ftps.prot_c_accepted = data != "PRIVATE" && data != "SAFE";
  f.ftps.prot_p_accepted = data != "NEVER";
  f.ftps.requires_session_reuse = c.get("SECURE_SESSION_REUSE")->value == "REQUIRED";
  return f;
}

tlsprofiles::ClientProfile client_profile(const Config& c, const attls::Match& rule) {
  auto p = client_profile(c);
  const auto side = attls::tls_side(rule);
  if (!side.versions.empty()) {
    p.versions.value.min = side.versions.front();
    p.versions.value.max = std::min<std::uint16_t>(side.versions.back(), 0x0303);
    p.versions.value.legacy_version = p.versions.value.max;
    p.versions.source = "AT-TLS rule " + rule.rule->name + " (TLSv1 … TLSv1.3 switches or their defaults)";
  }
  if (!side.suites.empty()) {
    p.cipher_suites.value = side.suites;
    p.cipher_suites.source = "AT-TLS rule " + rule.rule->name + ": V3CipherSuites";
  }
  return p;
}

}  // namespace sd::audit::zosftp
