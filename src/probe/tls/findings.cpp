// Server facts that break clients or weaken the connection, as findings with the same ids as explain.
#include <fmt/format.h>

#include <algorithm>

#include "kb/rule.h"
#include "probe/tls/tls_probe.h"
#include "wire/tls/registry.h"

namespace sd::probe::tls {
namespace reg = sd::tls::registry;
namespace {

constexpr unsigned kMinRsaBits = 2048;
constexpr unsigned kMinDhBits = 2048;

const kb::Rule* rule(const std::string& id) { return kb::find_embedded_rule(id); }

// A finding with the KB rule's words and fixes, and one piece of server evidence from the probe.
Finding finding(const std::string& id, const Url& url, std::string evidence) {
  Finding f;
  f.id = id;
  f.title = id;
  if (const auto* r = rule(id)) {
    f.title = r->title;
    f.severity = r->severity;
    f.cause = r->cause;
    f.change_side = r->change_side;
    f.fixes = r->fixes;
    f.references = r->references;
  }
  f.evidence.push_back(Evidence{.file = url.text, .text = std::move(evidence), .side = "server"});
  return f;
}

std::optional<std::uint16_t> highest_accepted(const ServerFacts& facts) {
  std::optional<std::uint16_t> best;
  for (const auto& [v, a] : facts.versions)
    if (a.refusal == Refusal::none) best = v;
  return best;
}

// When no hello at all was accepted: the first answer says what kind of refusal it was.
void refusal_findings(const Url& url, const Scan& scan, std::vector<Finding>& out) {
  const Answer& a = scan.first.answer;
  const std::string said = a.text.empty() ? a.detail : fmt::format("{} \"{}\"", a.detail, a.text);
  if (a.refusal == Refusal::plaintext)
    out.push_back(finding("tls.plaintext-reply-to-client-hello", url, "the ClientHello was answered in plaintext: " + said));
  else if (a.refusal == Refusal::alert || a.refusal == Refusal::alert_then_text) {
    const bool version = a.alert_code == 70;
    out.push_back(finding(version ? "tls.version-mismatch" : "tls.no-shared-cipher", url,
                          "every hello from SSLv3 to TLS 1.3 with every known suite was refused: " + said));
  }
}

void certificate_findings(const Url& url, const CertFacts& leaf, std::vector<Finding>& out) {
  if (leaf.days_left < 0)
    out.push_back(finding("tls.cert-expired", url, fmt::format("{} expired on {}", leaf.subject, leaf.not_after)));
  if (leaf.key_type == "RSA" && leaf.key_bits < kMinRsaBits)
    out.push_back(finding("tls.key-too-small", url, fmt::format("{}: RSA key of {} bits", leaf.subject, leaf.key_bits)));
  if (leaf.signature_algorithm.find("sha1") != std::string::npos && !leaf.self_signed)
    out.push_back(finding("tls.sha1-signature-refused", url, fmt::format("{}: signed with {}", leaf.subject, leaf.signature_algorithm)));
}

}  // namespace

std::vector<Finding> scan_findings(const Url& url, const Scan& scan) {
  std::vector<Finding> out;
  const ServerFacts& facts = scan.facts;
  const auto best = highest_accepted(facts);
  if (!best) {
    if (scan.first.upgraded) refusal_findings(url, scan, out);
    return out;
  }
  if (*best < kTls12)
    out.push_back(finding("tls.server-version-too-old", url,
                          "the highest version the server accepts is " + reg::version_name(*best)));
  if (!facts.chain.empty()) certificate_findings(url, facts.chain.front(), out);
  if (facts.min_dh_bits && *facts.min_dh_bits < kMinDhBits)
    out.push_back(finding("tls.dh-too-small", url, fmt::format("DHE suites use a {}-bit group", *facts.min_dh_bits)));
  if (facts.client_cert.required.value_or(false))
    out.push_back(finding("tls.client-cert-required", url, "a handshake without a client certificate was refused"));
  return out;
}

}  // namespace sd::probe::tls
