// The signature schemes round: which TLS 1.2 signature_algorithms the server signs its key exchange with.
#include <fmt/format.h>

#include <algorithm>

#include "probe/tls/rounds.h"
#include "wire/tls/registry.h"

namespace sd::probe::tls::detail {
namespace reg = sd::tls::registry;

// TLS 1.2 signature_algorithms by iterative removal: offer the schemes not yet chosen with the accepted signed
// key exchanges, drop the one the server signs with, until it refuses or signs with one not offered. At most one
// handshake per accepted scheme, plus one.
void scan_signatures(Run& run, Scan& out) {
  const auto tls12 = out.facts.suites.find(kTls12);
  const auto suites = tls12 == out.facts.suites.end() ? std::vector<std::uint16_t>{} : with_kx(tls12->second, {"ECDHE", "DHE"});
  if (suites.empty()) {
    out.notes.push_back("signature schemes not enumerated: no TLS 1.2 suite with a signed key exchange (ECDHE or DHE) accepted");
    return;
  }
  auto remaining = scan_signature_schemes();
  std::vector<std::uint16_t> accepted;
  while (!remaining.empty()) {
    const Offer offer{.version = kTls12, .suites = suites, .groups = run.groups, .signature_schemes = remaining};
    const auto flights = run_offers(run, {{fmt::format("sigalgs-{}", accepted.size()), offer}});
    const auto& kx = flights[0].key_exchange;
    const auto chosen = flights[0].accepted() && kx ? kx->signature_scheme : std::nullopt;
    const auto at = chosen ? std::find(remaining.begin(), remaining.end(), *chosen) : remaining.end();
    if (flights[0].answer.refusal == Refusal::unknown && !flights[0].accepted()) {
      out.notes.push_back("signature schemes: enumeration cut short (" + flights[0].answer.detail + ")");
      return;
    }
    if (flights[0].accepted() && !chosen) {
      out.notes.push_back("signature schemes not enumerated: the server accepted without a signed key exchange");
      return;
    }
    if (at == remaining.end()) {
      if (chosen) out.notes.push_back("signature schemes: the server signed with " + reg::signature_scheme_name(*chosen) +
                                      ", which was not offered");
      break;
    }
    accepted.push_back(*at);
    remaining.erase(at);
  }
  out.facts.signature_schemes = accepted;
  out.facts.signature_schemes_enumerated = true;
}

}  // namespace sd::probe::tls::detail
