// The scan's rounds: each round is a batch of one-hello jobs on one engine; later rounds depend on earlier answers.
#include "probe/tls/scan.h"

#include <asio/ip/address.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <utility>

#include "probe/engine/options.h"
#include "probe/tls/certs.h"
#include "probe/tls/openssl_check.h"
#include "probe/tls/rounds.h"
#include "wire/tls/registry.h"

namespace sd::probe::tls {
namespace reg = sd::tls::registry;
using namespace detail;
namespace {

constexpr std::size_t kSuitesPerHello = 100;
// Connections the suite enumeration leaves for the rounds after it (preference, groups, hello shapes, the OpenSSL
// checks, SNI, signature schemes), so a permissive server's long suite lists cannot starve them.
constexpr std::size_t kReservedAfterSuites = 32;

// Suites with forward secrecy and AEAD first, so a hello cut to a chunk keeps the ones servers choose today.
int suite_rank(std::uint16_t code) {
  const auto* s = reg::find_cipher_suite(code);
  if (s == nullptr) return 9;
  const int kx = s->kx == "ECDHE" ? 0 : s->kx == "DHE" ? 1 : s->kx == "RSA" ? 2 : 3;
  const int mode = (s->mode == "GCM" || s->mode == "CHACHA") ? 0 : s->mode == "CBC" ? 1 : 2;
  return kx * 3 + mode;
}

std::vector<std::vector<std::uint16_t>> suite_chunks(std::uint16_t version) {
  auto suites = suites_for(version);
  std::stable_sort(suites.begin(), suites.end(), [](auto a, auto b) { return suite_rank(a) < suite_rank(b); });
  std::vector<std::vector<std::uint16_t>> chunks;
  for (std::size_t at = 0; at < suites.size(); at += kSuitesPerHello)
    chunks.emplace_back(suites.begin() + static_cast<std::ptrdiff_t>(at),
                        suites.begin() + static_cast<std::ptrdiff_t>(std::min(suites.size(), at + kSuitesPerHello)));
  return chunks;
}

/// Iterative removal for one version: offer a chunk, drop the suite chosen, repeat until refused.
struct Removal {
  std::uint16_t version = 0;
  std::vector<std::vector<std::uint16_t>> chunks;
  std::size_t chunk = 0;
  std::vector<std::uint16_t> accepted;
  bool cut = false;  ///< stopped before the server refused: what is left was never tried

  bool done() const { return chunk >= chunks.size(); }
  void stop() {
    cut = true;
    chunk = chunks.size();
  }
  // Takes the answer to the current chunk; a hello that got no answer at all (the cap, a failed connect) ends the
  // enumeration as cut, never as a refusal of the suites left.
  void take(const Flight& flight) {
    if (!flight.accepted() && flight.answer.refusal == Refusal::unknown) return stop();
    auto& offered = chunks[chunk];
    const auto chosen = std::find(offered.begin(), offered.end(), flight.suite());
    if (!flight.accepted() || flight.version != version || chosen == offered.end()) {
      ++chunk;
      return;
    }
    accepted.push_back(*chosen);
    offered.erase(chosen);
    if (offered.empty()) ++chunk;
  }
};

unsigned dh_bits(const sd::tls::ServerKeyExchange& kx) {
  auto p = Bytes(kx.dh_p);
  while (!p.empty() && p.front() == 0) p = p.subspan(1);
  return static_cast<unsigned>(p.size() * 8);
}

// Facts any accepted flight can add: DH size, the signature scheme of the key exchange, a client-certificate request.
void absorb(const Flight& flight, ServerFacts& facts) {
  if (flight.key_exchange) {
    const auto& kx = *flight.key_exchange;
    if (kx.kind == sd::tls::ServerKeyExchange::Kind::dhe) {
      const unsigned bits = dh_bits(kx);
      if (!facts.min_dh_bits || bits < *facts.min_dh_bits) facts.min_dh_bits = bits;
    }
    const auto scheme = kx.signature_scheme;
    if (scheme && std::find(facts.signature_schemes.begin(), facts.signature_schemes.end(), *scheme) == facts.signature_schemes.end())
      facts.signature_schemes.push_back(*scheme);
  }
  if (flight.certificate_request && !facts.client_cert.requested) fill_client_cert(*flight.certificate_request, facts.client_cert);
}

// A HelloRetryRequest for a group we can make a share for: that group goes first and the hello is sent again.
void retry_after_hrr(Run& run, Planned& planned, Flight& flight) {
  if (!flight.server_hello || !flight.server_hello->hello_retry_request || !flight.key_share_group) return;
  const std::uint16_t group = *flight.key_share_group;
  const auto at = std::find(run.groups.begin(), run.groups.end(), group);
  if (!can_share(group) || at == run.groups.end()) return;
  std::rotate(run.groups.begin(), at, at + 1);
  planned.offer.groups = run.groups;
  flight = std::move(run_offers(run, {planned})[0]);
}

void scan_versions(Run& run, Scan& out, std::map<std::uint16_t, Removal>& removals) {
  std::vector<Planned> planned;
  for (const auto v : kScanVersions) {
    removals[v] = Removal{.version = v, .chunks = suite_chunks(v)};
    planned.push_back({"version-" + reg::version_name(v), Offer{.version = v, .suites = removals[v].chunks.front(), .groups = run.groups}});
  }
  auto flights = run_offers(run, planned);
  retry_after_hrr(run, planned.back(), flights.back());
  for (std::size_t i = 0; i < flights.size(); ++i) {
    const auto v = planned[i].offer.version;
    Flight& f = flights[i];
    if (f.accepted() && f.version != v)
      f.answer = Answer{Refusal::unknown, std::nullopt, {}, "answered with " + reg::version_name(f.version)};
    out.facts.versions[v] = f.answer;
    if (f.accepted() && f.version == v) {
      removals[v].take(f);
      absorb(f, out.facts);
    } else {
      removals.erase(v);
    }
    out.version_flights[v] = std::move(f);
  }
}

// Connections still allowed to the suite enumeration under the cap, after the reserve for later rounds.
std::size_t suite_room(const Run& run) {
  const std::size_t cap = run.options.max_connections;
  const std::size_t used = run.engine.stats().attempted;
  return cap > used + kReservedAfterSuites ? cap - used - kReservedAfterSuites : 0;
}

void scan_suites(Run& run, Scan& out, std::map<std::uint16_t, Removal>& removals) {
  for (;;) {
    std::vector<Planned> planned;
    const std::size_t room = suite_room(run);
    for (auto& [v, r] : removals) {
      if (r.done()) continue;
      if (planned.size() >= room) {
        r.stop();
        continue;
      }
      planned.push_back({fmt::format("suites-{}-{}", reg::version_name(v), r.accepted.size()),
                         Offer{.version = v, .suites = r.chunks[r.chunk], .groups = run.groups}});
    }
    if (planned.empty()) break;
    const auto flights = run_offers(run, planned);
    for (std::size_t i = 0; i < flights.size(); ++i) {
      removals[planned[i].offer.version].take(flights[i]);
      absorb(flights[i], out.facts);
    }
  }
  for (const auto& [v, r] : removals) {
    out.facts.suites[v] = r.accepted;
    if (!r.cut) continue;
    out.facts.suites_incomplete.insert(v);
    out.notes.push_back(fmt::format("{} suites: enumeration stopped after {} (--max-connections {} keeps {} for the "
                                    "later checks); others may be accepted", reg::version_name(v), r.accepted.size(),
                                    run.options.max_connections, kReservedAfterSuites));
  }
}

// Offers the accepted suites reversed: the server keeps its first choice only if it orders by its own list.
void scan_preference(Run& run, Scan& out) {
  for (auto it = out.facts.suites.rbegin(); it != out.facts.suites.rend(); ++it) {
    const auto& accepted = it->second;
    if (accepted.size() < 2) continue;
    std::vector<std::uint16_t> reversed(accepted.rbegin(), accepted.rend());
    const auto flights = run_offers(run, {{"preference-" + reg::version_name(it->first),
                                           Offer{.version = it->first, .suites = reversed, .groups = run.groups}}});
    if (!flights[0].accepted()) return;
    if (flights[0].suite() == accepted.front()) out.facts.server_preference = true;
    else if (flights[0].suite() == accepted.back()) out.facts.server_preference = false;
    return;
  }
}

// The group a flight settled on: the 1.3 key share (or HRR's choice), or the ECDHE key exchange's curve.
std::optional<std::uint16_t> chosen_group(const Flight& flight) {
  if (flight.key_share_group) return flight.key_share_group;
  if (flight.key_exchange && flight.key_exchange->kind == sd::tls::ServerKeyExchange::Kind::ecdhe)
    return flight.key_exchange->group;
  return std::nullopt;
}

// Offers the groups not yet seen, dropping the one chosen each time, until the server refuses.
void scan_groups_round(Run& run, Scan& out) {
  const bool tls13 = out.facts.versions[kTls13].refusal == Refusal::none;
  std::uint16_t version = kTls13;
  std::vector<std::uint16_t> suites = tls13 ? out.facts.suites[kTls13] : std::vector<std::uint16_t>{};
  for (auto it = out.facts.suites.rbegin(); !tls13 && it != out.facts.suites.rend(); ++it) {
    suites = with_kx(it->second, {"ECDHE"});
    version = it->first;
    if (!suites.empty()) break;
  }
  if (suites.empty()) {
    out.notes.push_back("groups not enumerated: no TLS 1.3 and no ECDHE suite accepted");
    return;
  }
  auto remaining = scan_groups();
  while (!remaining.empty()) {
    const auto flights = run_offers(run, {{fmt::format("groups-{}", out.facts.groups.size()),
                                           Offer{.version = version, .suites = suites, .groups = remaining}}});
    const auto group = chosen_group(flights[0]);
    const auto at = group ? std::find(remaining.begin(), remaining.end(), *group) : remaining.end();
    if (at == remaining.end()) break;
    out.facts.groups.push_back(*group);
    remaining.erase(at);
  }
}

// Odd hello shapes with suites known to be accepted: a refusal is intolerance of the shape, not of the suites.
void scan_shapes(Run& run, Scan& out) {
  const std::uint16_t version = best_legacy_version(out.facts);
  if (version == 0) {
    out.notes.push_back("hello-shape intolerance not tested: no version below TLS 1.3 accepted");
    return;
  }
  std::vector<Planned> planned;
  // Without extensions there is no supported_groups, so an ECDHE suite cannot be chosen: that shape gets only the
  // accepted RSA and DHE suites, or is not tried when there are none (a refusal would say nothing about the shape).
  const auto plain = with_kx(out.facts.suites[version], {"RSA", "DHE"});
  for (const auto shape : {Shape::no_session_id, Shape::no_extensions, Shape::many_suites, Shape::large, Shape::huge}) {
    if (shape == Shape::no_extensions && plain.empty()) {
      out.notes.push_back("hello without extensions not tried: every accepted suite found needs supported_groups (ECDHE)");
      continue;
    }
    planned.push_back({"shape-" + std::string(to_string(shape)),
                       Offer{.version = version, .suites = shape == Shape::no_extensions ? plain : out.facts.suites[version],
                             .groups = run.groups, .shape = shape}});
  }
  const auto old = out.facts.suites.find(kTls10);
  if (old != out.facts.suites.end() && !old->second.empty())
    planned.push_back({"shape-sslv2-hello", Offer{.version = kTls10, .suites = old->second, .shape = Shape::sslv2}});
  else
    out.notes.push_back("SSLv2-format hello not tried: TLS 1.0 is not accepted, and that hello carries at most TLS 1.0");
  const auto flights = run_offers(run, planned);
  for (std::size_t i = 0; i < flights.size(); ++i) {
    const Shape shape = planned[i].offer.shape;
    out.shapes[shape] = flights[i].answer;
    if (!flights[i].accepted() && flights[i].answer.refusal == Refusal::unknown) continue;  // not answered: not tested
    const bool refused = !flights[i].accepted();
    if (refused) out.facts.intolerance.emplace_back(to_string(shape));
    if (shape == Shape::no_extensions) out.facts.requires_extensions = refused;
  }
}

bool has_extension(const sd::tls::ServerHello& hello, std::uint16_t type) {
  return std::any_of(hello.extensions.begin(), hello.extensions.end(), [&](const auto& e) { return e.type == type; });
}

// Chain and renegotiation facts from the answer at the highest version below 1.3 that sent certificates.
void take_certificates(Scan& out) {
  for (auto it = out.version_flights.rbegin(); it != out.version_flights.rend(); ++it) {
    const Flight& f = it->second;
    if (!f.accepted() || f.certificates.empty()) continue;
    for (const auto& der : f.certificates) out.facts.chain.push_back(cert_facts(der));
    out.facts.chain_in_order = chain_in_order(f.certificates);
    out.facts.secure_renegotiation = has_extension(*f.server_hello, sd::tls::code::kRenegotiationInfo);
    return;
  }
}

bool is_address(const std::string& host) {
  std::error_code error;
  asio::ip::make_address(host, error);
  return !error;
}

bool any_accepted(const ServerFacts& facts) {
  return std::any_of(facts.versions.begin(), facts.versions.end(), [](const auto& v) { return v.second.refusal == Refusal::none; });
}

}  // namespace

std::string sni_for(const Url& url, const ProbeOptions& options) {
  if (!options.sni.empty()) return options.sni;
  return is_address(url.host) ? std::string{} : url.host;
}

Scan scan(const Url& url, Upgrade upgrade, const ProbeOptions& options) {
  Scan out;
  out.upgrade = upgrade;
  out.facts.source = "probe " + url.text;
  Engine engine(engine_config(options));
  Run run{url, upgrade, options, sni_for(url, options), engine};
  std::map<std::uint16_t, Removal> removals;
  scan_versions(run, out, removals);
  const auto highest = std::find_if(out.version_flights.rbegin(), out.version_flights.rend(),
                                    [](const auto& v) { return v.second.accepted(); });
  out.first = highest != out.version_flights.rend() ? highest->second : out.version_flights.rbegin()->second;
  out.upgrade_log = out.first.upgrade;
  if (upgrade == Upgrade::ftp) {
    out.facts.ftps.auth_tls = out.upgrade_log.auth_tls;
    out.facts.ftps.auth_ssl = out.upgrade_log.auth_ssl;
    out.facts.ftps.implicit = false;
  }
  if (any_accepted(out.facts)) {
    scan_suites(run, out, removals);
    scan_preference(run, out);
    scan_groups_round(run, out);
    take_certificates(out);
    scan_shapes(run, out);
    run_openssl_checks(engine, url, upgrade, options, run.sni, out);
    scan_sni(run, out);
    scan_signatures(run, out);
  } else {
    out.notes.push_back("no version was accepted, so suites, groups and the certificate were not scanned");
  }
  out.stats = engine.stats();
  out.rounds = run.rounds;
  std::size_t raw = 0;
  for (const auto& [name, count] : run.rounds) raw += count;
  if (out.stats.attempted > raw) out.rounds["openssl"] = static_cast<unsigned>(out.stats.attempted - raw);  // its own jobs
  return out;
}

}  // namespace sd::probe::tls
