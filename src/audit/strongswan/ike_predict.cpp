// The IKEv2 peer profiles predicted against each strongSwan connection as a responder, reported as the probe
// reports them (a facts section and a prediction section), with the proposals line behind each failure.
#include <fmt/format.h>

#include "audit/common/kb_finding.h"
#include "audit/strongswan/ike.h"
#include "audit/strongswan/internal.h"
#include "whatif/ike.h"
#include "wire/ike/registry.h"

namespace sd::audit::strongswan {
namespace {

using probe::ike::GatewayFacts;
using probe::ike::PeerProfile;
using sd::ike::TransformSpec;

std::string spec_label(const TransformSpec& t) {
  const std::string name = sd::ike::transform_id_label(t.type, t.id);
  return t.key_length ? fmt::format("{}/{}", name, *t.key_length) : name;
}

Field list(std::string name, const std::vector<TransformSpec>& specs) {
  Field f = leaf(std::move(name), std::to_string(specs.size()));
  for (const auto& t : specs) f.add(leaf("transform", spec_label(t), 0, 0, t.id));
  return f;
}

}  // namespace

// The responder facts as the probe's facts section lays them out (same field names), kind "audit".
report::Section facts_section(const GatewayFacts& facts, const Effective& e, const std::string& source) {
  report::Section s;
  s.kind = "audit";
  s.title = "IKEv2 IKE_SA_INIT: what the responder accepts";
  s.source = source;
  s.fields.push_back(leaf("proposals", e.origin));
  s.fields.push_back(list("encryption", facts.encryption));
  s.fields.push_back(list("prf", facts.prf));
  s.fields.push_back(list("integrity", facts.integrity));
  Field dh = leaf("dh_groups", std::to_string(facts.groups.size()));
  for (const auto g : facts.groups) dh.add(leaf("group", sd::ike::dh_group_label(g), 0, 0, g));
  s.fields.push_back(std::move(dh));
  for (const auto& u : e.unknown)
    s.notes.push_back(fmt::format("Unknown proposal keyword '{}' ignored (charon refuses to load such a proposal).", u));
  return s;
}

// One keyword proposal matching the first transform of each type of the profile's first proposal.
std::string keyword_proposal(const PeerProfile& profile) {
  if (profile.proposals.empty()) return "";
  std::vector<std::string> words;
  bool seen[5] = {false, false, false, false, false};
  for (const auto& name : profile.proposals.front()) {
    const auto t = sd::ike::transform_named(name);
    const auto kw = keyword_for(name);
    if (!t || t->type > 4 || seen[t->type] || kw.empty()) continue;
    seen[t->type] = true;
    words.push_back(kw);
  }
  return fmt::format("{}", fmt::join(words, "-"));
}

// The proposals line with one more proposal, as a diff of the config file.
std::string proposals_diff(const std::string& file, const std::string& format, const std::optional<ConfigLine>& line,
                           const std::string& extra) {
  const bool swanctl = format == "swanctl";
  if (!line) return line_diff(file, "", swanctl ? "proposals = default, " + extra : "ike=" + extra);
  std::string value(trim(line->value));
  const bool strict = value.ends_with("!");
  if (strict) value.pop_back();
  return line_diff(file, line->text,
                   swanctl ? fmt::format("proposals = {}, {}", value, extra)
                           : fmt::format("ike={},{}{}", value, extra, strict ? "!" : ""));
}

// Evidence for the proposals in force: the line, or the absent setting and its default.
Evidence proposals_evidence(const Config& cfg, const Connection& conn, const std::string& side) {
  if (conn.proposals) return evidence_at(*conn.proposals, side);
  return evidence_default(cfg.file, cfg.format == "swanctl" ? "connections." + conn.name + ".proposals" : "ike",
                          "default", side);
}

// Where a connection is, for titles and sources.
std::string conn_source(const Config& cfg, const Connection& conn) {
  return fmt::format("audit {} connection {}", cfg.file, conn.name);
}

namespace {

// A failing profile's finding: the proposals line first, and the exact diff instead of the generic server fix.
Finding profile_finding(const Config& cfg, const Connection& conn, const PeerProfile& p,
                        const probe::ike::Prediction& prediction, const std::string& source) {
  Finding finding = probe::ike::prediction_finding(p, prediction, source);
  finding.evidence.insert(finding.evidence.begin(), proposals_evidence(cfg, conn, "server"));
  const auto extra = keyword_proposal(p);
  if (extra.empty()) return finding;
  std::erase_if(finding.fixes, [](const Fix& fix) { return fix.side == "server"; });
  const auto& file = conn.proposals ? conn.proposals->file : cfg.file;
  finding.fixes.insert(finding.fixes.begin(), Fix{"server", fmt::format("Accept a proposal {} offers.", p.name),
                                                  proposals_diff(file, cfg.format, conn.proposals, extra), ""});
  return finding;
}

// Every built-in profile against one connection: the section as the probe lays it out, findings for failures.
report::Section predict_connection(const Config& cfg, const Connection& conn, const GatewayFacts& facts,
                                   const std::string& source, std::vector<Finding>& findings) {
  report::Section s;
  s.kind = "prediction";
  s.title = "IKEv2 peer profiles against this responder";
  s.source = source;
  for (const auto& p : probe::ike::peer_profiles()) {
    const auto prediction = probe::ike::predict(p, facts);
    Field f = leaf("profile", p.id);
    f.add(leaf("name", p.name));
    f.add(leaf("prediction", prediction.text));
    f.add(leaf("source", p.source));
    s.fields.push_back(std::move(f));
    if (!prediction.establishes) findings.push_back(profile_finding(cfg, conn, p, prediction, source));
  }
  return s;
}

}  // namespace

void predict_profiles(const std::vector<Config>& configs, std::vector<Finding>& findings,
                      std::vector<report::Section>& sections, const std::vector<std::string>& what_if) {
  const auto changes = whatif::changes_for(what_if, whatif::Protocol::ike);
  std::vector<const PeerProfile*> everyone;
  for (const auto& p : probe::ike::peer_profiles()) everyone.push_back(&p);
  for (const auto& cfg : configs)
    for (const auto& conn : cfg.connections) {
      const Effective e = effective(conn, cfg.format);
      if (e.ikev1_only) continue;
      const GatewayFacts facts = responder_facts(e);
      const std::string source = conn_source(cfg, conn);
      sections.push_back(facts_section(facts, e, source));
      sections.push_back(predict_connection(cfg, conn, facts, source, findings));
      whatif::add_ike_what_if(changes, everyone, facts, source, sections, findings);
    }
}

}  // namespace sd::audit::strongswan
