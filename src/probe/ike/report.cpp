// The IKE probe's report: what the responder accepted, how it answered, and how many datagrams that took.
#include <algorithm>

#include <fmt/format.h>

#include "probe/ike/ike_probe.h"
#include "probe/ike/retransmit.h"
#include "ikeprofiles/profiles.h"
#include "whatif/ike.h"
#include "wire/ike/describe.h"
#include "wire/ike/registry.h"

namespace sd::probe::ike {
namespace {

using namespace sd::ike;

// Exchanges left unanswered after the responder had already answered one: charon's half-open limit
// (init_limit_half_open, block_threshold) or a rate limit, not a dead host.
std::size_t silent_after_answers(const GatewayFacts& facts) {
  bool answered = false;
  std::size_t silent = 0;
  for (const auto& r : facts.exchanges) {
    if (r.response) answered = true;
    else if (answered && r.outcome == Outcome::no_response) ++silent;
  }
  return silent;
}

// "yes: …" when the responder throttled the probe, "no" otherwise.
std::string throttled(const GatewayFacts& facts) {
  const auto silent = silent_after_answers(facts);
  if (facts.cookie && silent)
    return fmt::format("yes: COOKIE challenge, then {} exchange{} unanswered", silent, silent == 1 ? "" : "s");
  if (facts.cookie) return "yes: COOKIE challenge (the responder's cookie threshold of half-open SAs was reached)";
  if (silent)
    return fmt::format("yes: {} exchange{} unanswered after earlier answers (half-open or rate limit)", silent,
                       silent == 1 ? "" : "s");
  return "no";
}

std::string spec_label(const TransformSpec& t) {
  const std::string name = transform_id_label(t.type, t.id);
  return t.key_length ? fmt::format("{}/{}", name, *t.key_length) : name;
}

Field list(std::string name, const std::vector<TransformSpec>& specs) {
  Field f = leaf(std::move(name), std::to_string(specs.size()));
  for (const auto& t : specs) f.add(leaf("transform", spec_label(t), 0, 0, t.id));
  return f;
}

Field chosen_field(const Message& m) {
  Field f = leaf("chosen_proposal", "");
  std::vector<std::string> names;
  for (const auto& p : m.all<SaPayload>())
    for (const auto& pr : p->proposals)
      for (const auto& t : pr.transforms) {
        const TransformSpec s{t.type, t.id, t.key_length};
        names.push_back(spec_label(s));
        f.add(leaf(std::string(transform_registry(t.type)), spec_label(s), t.offset, t.length, t.id));
      }
  f.value = fmt::format("{}", fmt::join(names, " "));
  return f;
}

Field answer_field(const Message& m) {
  Field f = leaf("responder", summary(m));
  f.add(leaf("nat_detection", m.notify(kNatDetectionSourceIp) && m.notify(kNatDetectionDestinationIp) ? "yes" : "no"));
  f.add(leaf("fragmentation", m.notify(kFragmentationSupported) ? "supported" : "not announced"));
  if (const auto* h = m.notify(kSignatureHashAlgorithms)) {
    std::vector<std::string> hashes;
    for (const auto a : h->hash_algorithms) hashes.push_back(code_label("hash-algorithm", a));
    f.add(leaf("signature_hashes", fmt::format("{}", fmt::join(hashes, " "))));
  }
  for (const auto* v : m.all<VendorPayload>()) {
    const VendorId* known = match_vendor_id(v->data);
    f.add(leaf("vendor_id", known ? known->name : "unknown " + to_hex(v->data)));
  }
  return f;
}

Field exchange_field(const ExchangeResult& r) {
  std::vector<std::string> offered;
  for (const auto& t : r.offered) offered.push_back(spec_label(t));
  Field f = leaf("exchange", r.name);
  f.add(leaf("offered", fmt::format("{}", fmt::join(offered, " "))));
  f.add(leaf("ke_group", dh_group_label(r.sent_group), 0, 0, r.sent_group));
  f.add(leaf("outcome", std::string(to_string(r.outcome))));
  f.add(leaf("answer", r.detail));
  f.add(leaf("datagrams", fmt::format("{} sent, {} received", r.sent, r.received)));
  return f;
}

}  // namespace

report::Section facts_section(const GatewayFacts& facts, const std::string& source) {
  report::Section s;
  s.kind = "probe";
  s.title = "IKEv2 IKE_SA_INIT: what the responder accepts";
  s.source = source;
  s.fields.push_back(leaf("packets_sent", std::to_string(facts.sent)));
  s.fields.push_back(leaf("packets_received", std::to_string(facts.received)));
  s.fields.push_back(leaf("exchanges", std::to_string(facts.exchanges.size())));
  if (facts.first_accept) {
    s.fields.push_back(chosen_field(*facts.first_accept));
    s.fields.push_back(answer_field(*facts.first_accept));
  }
  s.fields.push_back(list("encryption", facts.encryption));
  s.fields.push_back(list("prf", facts.prf));
  s.fields.push_back(list("integrity", facts.integrity));
  Field dh = leaf("dh_groups", std::to_string(facts.groups.size()));
  for (const auto g : facts.groups) dh.add(leaf("group", dh_group_label(g), 0, 0, g));
  s.fields.push_back(std::move(dh));
  if (facts.requested_group)
    s.fields.push_back(leaf("invalid_ke_requested_group", dh_group_label(*facts.requested_group), 0, 0,
                            *facts.requested_group));
  s.fields.push_back(leaf("cookie_challenge", facts.cookie ? "yes" : "no"));
  s.fields.push_back(leaf("throttled", throttled(facts)));
  Field all = leaf("attempts", std::to_string(facts.exchanges.size()));
  for (const auto& r : facts.exchanges) all.add(exchange_field(r));
  s.fields.push_back(std::move(all));
  if (facts.ikev1) s.notes.push_back("The peer answered with IKEv1 (ISAKMP): it does not speak IKEv2 on this port.");
  if (!facts.answered())
    s.notes.push_back(fmt::format("No IKE answer after {} datagrams: nothing listens, a firewall drops UDP, or the "
                                  "responder throttles this address.", facts.sent));
  if (facts.cookie) s.notes.push_back("The responder asked for a COOKIE (it is under load or always challenges).");
  if (silent_after_answers(facts))
    s.notes.push_back("Throttled: the responder stopped answering part-way; raise --rate-ms or lower --budget, or "
                      "the gateway's half-open limit (strongSwan charon.init_limit_half_open, block_threshold).");
  return s;
}

/// The predictions of every chosen profile against the facts: one field each, findings for failures.
void add_predictions(const GatewayFacts& facts, const std::vector<const PeerProfile*>& chosen, const Url& url,
                     report::Report& out) {
  if (facts.encryption.empty() || facts.groups.empty()) return;
  report::Section s;
  s.kind = "prediction";
  s.title = "IKEv2 peer profiles against this responder";
  s.source = url.text;
  for (const auto* p : chosen) {
    const Prediction prediction = predict(*p, facts);
    Field f = leaf("profile", p->id);
    f.add(leaf("name", p->name));
    f.add(leaf("prediction", prediction.text));
    f.add(leaf("source", p->source));
    s.fields.push_back(std::move(f));
    if (!prediction.establishes) out.findings.push_back(prediction_finding(*p, prediction, url.text));
  }
  out.sections.push_back(std::move(s));
}

/// The half-open check with the transforms the responder chose first; not run when nothing was accepted.
static RetransmitCheck half_open(const GatewayFacts& facts, const Target& target, const ProbeOptions& options) {
  const auto offer = facts.first_accept ? chosen_offer(*facts.first_accept) : std::nullopt;
  if (!offer) return RetransmitCheck{.skipped = "no proposal was accepted, so no half-open SA could be made"};
  EngineConfig config;
  config.per_target_budget = 1;
  config.min_start_interval = options.min_interval;
  Engine engine(config);
  const Millis wait = std::min(options.timeout, Millis(3000));
  return check_retransmission(engine, target, offer->first, offer->second, wait, wait);
}

bool run_ike_probe(const Url& url, const ProbeOptions& options, report::Report& out, std::string& error) {
  std::vector<const PeerProfile*> chosen;
  for (const auto& p : peer_profiles())
    if (options.profiles.empty() ||
        std::find(options.profiles.begin(), options.profiles.end(), p.id) != options.profiles.end())
      chosen.push_back(&p);
  if (!options.profiles.empty() && chosen.size() != options.profiles.size()) {
    error = "unknown IKE profile in --as";
    return false;
  }
  const auto changes = whatif::parse_changes(options.what_if, whatif::Protocol::ike, error);
  if (!changes) return false;
  const Target target{Transport::udp, url.host, url.port};
  const GatewayFacts facts = probe_gateway(target, options);
  out.sections.push_back(facts_section(facts, url.text));
  add_predictions(facts, chosen, url, out);
  if (!facts.encryption.empty() && !facts.groups.empty())
    whatif::add_ike_what_if(*changes, chosen, facts, url.text, out.sections, out.findings);
  else if (!changes->empty())
    out.notes.push_back("--what-if: no accepted transforms were learnt from " + url.text + ", so there is nothing to change");
  const RetransmitCheck check = half_open(facts, target, options);
  out.sections.push_back(retransmit_section(check, url.text));
  out.notes.push_back(fmt::format("{} datagrams sent, {} received, in {} exchanges; the half-open check sent {} and "
                                  "received {}", facts.sent, facts.received, facts.exchanges.size(), check.sent,
                                  check.received));
  return true;
}

}  // namespace sd::probe::ike
