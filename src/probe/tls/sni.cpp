// The SNI round: a hello without server_name and one naming an unknown host beside the scan's own.
#include <algorithm>
#include <string_view>

#include "probe/tls/certs.h"
#include "probe/tls/rounds.h"

namespace sd::probe::tls::detail {
namespace {

// A name no server is configured for (the .invalid top-level domain is reserved by RFC 2606).
constexpr std::string_view kUnknownName = "sni-check.shakedown.invalid";

SniHello sni_hello(std::string label, std::string name, const Flight& flight) {
  SniHello h{.label = std::move(label), .name = std::move(name), .answer = flight.answer, .warnings = flight.warnings};
  if (flight.accepted() && !flight.certificates.empty()) {
    h.leaf = flight.certificates.front();
    h.leaf_subject = cert_facts(h.leaf).subject;
  }
  return h;
}

// Facts from the SNI hellos: required (refused without a name that passes with it), certificate differing by name,
// and an unknown name refused.
void take_sni(const std::string& sent, Scan& out) {
  auto& f = out.facts;
  const auto by_label = [&](std::string_view label) {
    return std::find_if(out.sni.begin(), out.sni.end(), [&](const SniHello& h) { return h.label == label; });
  };
  const auto none = by_label("without_sni");
  if (sent.empty()) f.requires_sni = false;
  else if (none->answer.refusal != Refusal::unknown) f.requires_sni = none->answer.refusal != Refusal::none;
  std::vector<ByteVec> leaves;
  for (const auto& h : out.sni)
    if (!h.leaf.empty()) leaves.push_back(h.leaf);
  if (leaves.size() >= 2)
    f.certificate_differs_by_sni = std::any_of(leaves.begin(), leaves.end(), [&](const ByteVec& l) { return l != leaves.front(); });
  const auto wrong = by_label("unknown_name");
  if (wrong->answer.refusal != Refusal::unknown) f.wrong_sni_fatal = wrong->answer.refusal != Refusal::none;
}

}  // namespace

// SNI: the scan's own hello (with --sni or the host name, if any) beside one without server_name and one naming a
// host the server cannot know, at the best version below TLS 1.3 (its certificates are in the clear). One or two
// more connections.
void scan_sni(Run& run, Scan& out) {
  const std::uint16_t legacy = best_legacy_version(out.facts);
  const std::uint16_t version = legacy != 0 ? legacy : kTls13;
  if (out.facts.suites[version].empty() || !out.version_flights[version].accepted()) {
    out.notes.push_back("SNI not tested: no version with accepted suites to offer");
    return;
  }
  const Offer offer{.version = version, .suites = out.facts.suites[version], .groups = run.groups};
  std::vector<Planned> planned{{"sni-unknown-name", offer, std::string(kUnknownName)}};
  if (!run.sni.empty()) planned.push_back({"sni-none", offer, std::string{}});
  const auto flights = run_offers(run, planned);
  const Flight& own = out.version_flights[version];
  out.sni_version = version;
  out.sni.push_back(sni_hello(run.sni.empty() ? "without_sni" : "with_sni", run.sni, own));
  if (!run.sni.empty()) out.sni.push_back(sni_hello("without_sni", "", flights[1]));
  out.sni.push_back(sni_hello("unknown_name", std::string(kUnknownName), flights[0]));
  take_sni(run.sni, out);
  if (legacy == 0) out.notes.push_back("SNI: only TLS 1.3 accepted, so certificates (encrypted) were not compared");
}

}  // namespace sd::probe::tls::detail
