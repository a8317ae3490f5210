// The pieces every round uses: sending a batch of hellos through the engine, and choosing what to offer.
#include "probe/tls/rounds.h"

#include <algorithm>

#include "probe/engine/options.h"
#include "wire/tls/registry.h"

namespace sd::probe::tls::detail {
namespace reg = sd::tls::registry;

std::vector<Flight> run_offers(Run& run, const std::vector<Planned>& planned) {
  std::vector<Flight> flights(planned.size());
  std::vector<Job> jobs;
  for (std::size_t i = 0; i < planned.size(); ++i) {
    Offer offer = planned[i].offer;
    offer.sni = planned[i].sni.value_or(run.sni);
    jobs.push_back(Job{.name = planned[i].name,
                       .target = Target{.transport = Transport::tcp, .host = run.url.host, .port = run.url.port},
                       .limits = job_limits(run.options),
                       .conversation = hello_conversation(run.upgrade, build_offer(offer), run.options.timeout, flights[i])});
  }
  const auto results = run.engine.run(std::move(jobs));
  for (std::size_t i = 0; i < flights.size(); ++i) {
    settle(flights[i], results[i]);
    run.count(planned[i].name, results[i]);
  }
  return flights;
}

std::vector<std::uint16_t> with_kx(const std::vector<std::uint16_t>& suites, std::initializer_list<std::string_view> kinds) {
  std::vector<std::uint16_t> out;
  for (const auto s : suites) {
    const auto* cs = reg::find_cipher_suite(s);
    if (cs && cs->auth != "anon" && std::find(kinds.begin(), kinds.end(), cs->kx) != kinds.end()) out.push_back(s);
  }
  return out;
}

std::uint16_t best_legacy_version(const ServerFacts& facts) {
  for (auto it = facts.suites.rbegin(); it != facts.suites.rend(); ++it)
    if (it->first != kTls13 && !it->second.empty()) return it->first;
  return 0;
}

}  // namespace sd::probe::tls::detail
