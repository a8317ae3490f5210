// IKE what-if: transforms removed from what the responder accepts, then the probe's own prediction per profile.
#include "whatif/ike.h"

#include <fmt/format.h>

#include "wire/ike/registry.h"

namespace sd::whatif {
namespace {

using probe::ike::GatewayFacts;
using sd::ike::TransformSpec;

bool spec_matches(const std::string& pattern, const TransformSpec& t) {
  const std::string name = sd::ike::transform_id_label(t.type, t.id);
  return matches(pattern, name) || (t.key_length && matches(pattern, fmt::format("{}/{}", name, *t.key_length)));
}

void drop_specs(std::vector<TransformSpec>& specs, const Change& c, std::string_view what, Applied& applied) {
  const bool had = !specs.empty();
  std::erase_if(specs, [&](const TransformSpec& t) { return spec_matches(c.pattern, t); });
  if (had && specs.empty()) applied.notes.push_back(fmt::format("{} leaves no {} accepted: every peer breaks", c.text, what));
}

void drop_groups(std::vector<std::uint16_t>& groups, const Change& c, Applied& applied) {
  const bool had = !groups.empty();
  std::erase_if(groups, [&](std::uint16_t g) { return matches(c.pattern, sd::ike::dh_group_label(g)); });
  if (had && groups.empty()) applied.notes.push_back(fmt::format("{} leaves no key exchange group accepted: every peer breaks", c.text));
}

void apply_one(GatewayFacts& f, const Change& c, Applied& applied) {
  switch (c.action) {
    case Action::drop_encr: drop_specs(f.encryption, c, "encryption", applied); break;
    case Action::drop_prf: drop_specs(f.prf, c, "PRF", applied); break;
    case Action::drop_integ: drop_specs(f.integrity, c, "integrity", applied); break;
    case Action::drop_group: drop_groups(f.groups, c, applied); break;
    default: break;
  }
}

}  // namespace

GatewayFacts apply(const GatewayFacts& facts, const std::vector<Change>& changes, Applied& applied) {
  GatewayFacts out = facts;
  for (const auto& c : changes)
    if (c.protocol == Protocol::ike) apply_one(out, c, applied);
  return out;
}

Outcome outcome_of(const probe::ike::PeerProfile& profile, const probe::ike::Prediction& prediction) {
  Outcome o{.profile_id = profile.id, .name = profile.name, .verdict = prediction.establishes ? "connects" : "fails",
            .summary = prediction.text};
  if (!prediction.establishes) {
    o.stage = "IKE_SA_INIT";
    o.kb_id = "ike.no-proposal-chosen";
    o.reason = "no proposal it offers is accepted any more (NO_PROPOSAL_CHOSEN)";
    o.client_shows = "NO_PROPOSAL_CHOSEN";
  }
  return o;
}

void add_ike_what_if(const std::vector<Change>& changes, const std::vector<const probe::ike::PeerProfile*>& chosen,
                     const GatewayFacts& facts, const std::string& source, std::vector<report::Section>& sections,
                     std::vector<Finding>& findings) {
  if (changes.empty()) return;
  Applied applied;
  const GatewayFacts changed = apply(facts, changes, applied);
  const auto comparison = compare_each(chosen, facts, changed, [](const probe::ike::PeerProfile* p, const GatewayFacts& f) {
    return outcome_of(*p, probe::ike::predict(*p, f));
  });
  add_to(changes, Protocol::ike, comparison, applied, source, sections, findings);
}

}  // namespace sd::whatif
