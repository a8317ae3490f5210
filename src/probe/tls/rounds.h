// Internal to the scan: what every round of one scan shares, how a round sends its hellos, and the rounds kept in
// their own files (signature schemes, SNI). Not part of the probe's interface.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probe/engine/engine.h"
#include "probe/probe.h"
#include "probe/tls/flight.h"
#include "probe/tls/hello.h"
#include "probe/tls/scan.h"

namespace sd::probe::tls::detail {

/// What every job of one scan shares.
struct Run {
  const Url& url;
  Upgrade upgrade;
  const ProbeOptions& options;
  std::string sni;
  Engine& engine;
  std::vector<std::uint16_t> groups = scan_groups();  ///< offered groups; a TLS 1.3 server's HRR choice moves first
  std::map<std::string, unsigned> rounds;             ///< connections per round (the job name up to its first '-')

  /// Counts a finished job's connection under its round, unless the budget stopped it before it connected.
  void count(const std::string& job, const JobResult& result) {
    if (result.outcome != Outcome::budget_exhausted) ++rounds[job.substr(0, job.find('-'))];
  }
};

/// One hello to send, with the label its job carries.
struct Planned {
  std::string name;
  Offer offer;
  std::optional<std::string> sni;  ///< the server_name to send instead of the scan's ("" for none)
};

/// Runs one job per planned hello (at most the budget at once) and returns their flights in order.
std::vector<Flight> run_offers(Run& run, const std::vector<Planned>& planned);

/// The suites whose key exchange is one of `kinds` and is signed (not anonymous).
std::vector<std::uint16_t> with_kx(const std::vector<std::uint16_t>& suites, std::initializer_list<std::string_view> kinds);

/// The highest version below TLS 1.3 with an accepted suite, or 0.
std::uint16_t best_legacy_version(const ServerFacts& facts);

/// TLS 1.2 signature_algorithms by iterative removal, into facts.signature_schemes (signatures.cpp).
void scan_signatures(Run& run, Scan& out);

/// Whether the server needs SNI, changes certificate by it, and refuses an unknown name (sni.cpp).
void scan_sni(Run& run, Scan& out);

}  // namespace sd::probe::tls::detail
