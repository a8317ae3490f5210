// strongSwan IKE proposals into IKEv2 transforms (keyword table ike-keywords.tsv, `default` from the captured
// strongswan-5.9-default profile), the responder facts they give, and the peer profiles predicted against them.
#include "audit/strongswan/ike.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "audit/common/kb_finding.h"
#include "audit/common/table.h"
#include "wire/ike/registry.h"
#include "wire/ike/write.h"

namespace sd::audit::strongswan {
namespace {

using probe::ike::GatewayFacts;
using sd::ike::TransformSpec;

constexpr const char* kDefaultProfile = "strongswan-5.9-default";

const std::vector<Row>& keywords() {
  static const std::vector<Row> rows = table("strongswan/ike-keywords.tsv");
  return rows;
}

const Row* keyword_row(std::string_view keyword) {
  for (const auto& r : keywords())
    if (r.at("keyword") == keyword) return &r;
  return nullptr;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    const auto at = text.find(sep);
    const auto part = trim(text.substr(0, at));
    if (!part.empty()) out.push_back(part);
    if (at == std::string_view::npos) return out;
    text = text.substr(at + 1);
  }
}

bool is_aead(const std::string& transform) {
  return transform.find("_GCM_") != std::string::npos || transform.find("_CCM_") != std::string::npos ||
         transform.find("POLY1305") != std::string::npos;
}

void add_unique(std::vector<std::string>& to, const std::string& name) {
  if (std::find(to.begin(), to.end(), name) == to.end()) to.push_back(name);
}

// One dash-separated proposal: integrity implies the PRF when none is named, and AEAD-only drops integrity.
ProposalNames one_proposal(std::string_view text, std::vector<std::string>& unknown) {
  std::vector<std::string> encr, integ, prf, implied, ke;
  for (const auto word : split(text, '-')) {
    const Row* r = keyword_row(word);
    if (!r) {
      unknown.emplace_back(word);
      continue;
    }
    const auto& type = r->at("type");
    auto& list = type == "encr" ? encr : type == "integ" ? integ : type == "prf" ? prf : ke;
    add_unique(list, r->at("transform"));
    if (!r->at("implied_prf").empty()) add_unique(implied, r->at("implied_prf"));
  }
  const bool aead_only = !encr.empty() && std::all_of(encr.begin(), encr.end(), is_aead);
  ProposalNames out = encr;
  if (!aead_only) out.insert(out.end(), integ.begin(), integ.end());
  const auto& prfs = prf.empty() ? implied : prf;
  out.insert(out.end(), prfs.begin(), prfs.end());
  out.insert(out.end(), ke.begin(), ke.end());
  return out;
}

const probe::ike::PeerProfile* default_profile() {
  for (const auto& p : probe::ike::peer_profiles())
    if (p.id == kDefaultProfile) return &p;
  return nullptr;
}

void append_default(Effective& e) {
  const auto* d = default_profile();
  if (!d) {
    e.unknown.emplace_back("default");
    return;
  }
  e.proposals.insert(e.proposals.end(), d->proposals.begin(), d->proposals.end());
}

bool says_ikev1(const Connection& conn, const std::string& format) {
  if (!conn.version) return false;
  return format == "swanctl" ? conn.version->value == "1" : conn.version->value == "ikev1";
}

}  // namespace

Effective expand(std::string_view value) {
  Effective e;
  value = trim(value);
  if (!value.empty() && value.back() == '!') value.remove_suffix(1);
  for (const auto proposal : split(value, ',')) {
    if (proposal == "default") {
      append_default(e);
      continue;
    }
    auto names = one_proposal(proposal, e.unknown);
    if (!names.empty()) e.proposals.push_back(std::move(names));
  }
  return e;
}

Effective effective(const Connection& conn, const std::string& format) {
  Effective e = conn.proposals ? expand(conn.proposals->value) : expand("default");
  e.ikev1_only = says_ikev1(conn, format);
  if (!conn.proposals) {
    e.origin = fmt::format("{} not set: strongSwan's default set ({})", format == "swanctl" ? "proposals" : "ike",
                           kDefaultProfile);
    return e;
  }
  e.origin = conn.proposals->text;
  const bool strict = trim(conn.proposals->value).ends_with("!");
  if (format != "swanctl" && !strict) {
    append_default(e);
    e.origin += fmt::format(" (without '!' charon also accepts its default set, {})", kDefaultProfile);
  }
  return e;
}

GatewayFacts responder_facts(const Effective& e) {
  GatewayFacts f;
  const auto add = [](std::vector<TransformSpec>& to, const TransformSpec& t) {
    if (std::none_of(to.begin(), to.end(), [&](const TransformSpec& s) {
          return s.type == t.type && s.id == t.id && s.key_length == t.key_length;
        }))
      to.push_back(t);
  };
  for (const auto& proposal : e.proposals)
    for (const auto& name : proposal) {
      const auto t = sd::ike::transform_named(name);
      if (!t) continue;
      if (t->type == 1) add(f.encryption, *t);
      if (t->type == 2) add(f.prf, *t);
      if (t->type == 3) add(f.integrity, *t);
      if (t->type == 4 && std::find(f.groups.begin(), f.groups.end(), t->id) == f.groups.end())
        f.groups.push_back(t->id);
    }
  return f;
}

std::string keyword_for(const std::string& transform) {
  for (const auto& r : keywords())
    if (r.at("transform") == transform) return r.at("keyword");
  return "";
}

}  // namespace sd::audit::strongswan
