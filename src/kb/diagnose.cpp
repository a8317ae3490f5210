// Rule evaluation on the kept hits: groups, order and time constraints, scoring and ranking.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/bytes.h"
#include "kb/matcher.h"

namespace sd::kb {
namespace {

constexpr std::size_t kMaxEvidenceText = 400;

// True when a happened before b: line order within a file, time order across files when both are known.
bool before(const logs::Event& a, const logs::Event& b) {
  if (a.file == b.file) return a.line < b.line;
  if (a.time_ms && b.time_ms) return *a.time_ms <= *b.time_ms;
  return true;
}

bool within(const logs::Event& a, const logs::Event& b, const std::optional<std::int64_t>& limit) {
  if (!limit || !a.time_ms || !b.time_ms) return true;
  return *b.time_ms - *a.time_ms <= *limit;
}

std::string version_name(std::optional<std::uint16_t> v) {
  if (!v) return "none";
  switch (*v) {
    case 0x0300: return "SSL 3.0";
    case 0x0301: return "TLS 1.0";
    case 0x0302: return "TLS 1.1";
    case 0x0303: return "TLS 1.2";
    case 0x0304: return "TLS 1.3";
    default: return fmt::format("0x{:04x}", *v);
  }
}

// One plain sentence about a decoded message, for evidence.
std::string describe(const decode::Message& m) {
  const auto& s = m.summary;
  if (!s.plaintext.empty()) return fmt::format("decoded: {} \"{}\" ({})", s.message, s.plaintext, s.plaintext_kind);
  std::string out = fmt::format("decoded: {}", s.message.empty() ? m.kind : s.message);
  if (s.max_version) out += fmt::format(", highest version {}", version_name(s.max_version));
  if (!s.cipher_suites.empty())
    out += fmt::format(", {} cipher suites{}", s.cipher_suites.size(), s.all_cbc ? " (all CBC)" : "");
  if (s.message == "ClientHello")
    out += s.extensions.empty() ? ", no extensions" : fmt::format(", {} extensions", s.extensions.size());
  if (s.message == "ClientHello" && !s.has_signature_algorithms) out += ", no signature_algorithms";
  if (!s.alert_description.empty()) out += fmt::format(", alert {} {}", s.alert_level, s.alert_description);
  return out;
}

Evidence evidence_from(const logs::Event& ev) {
  Evidence e;
  e.file = ev.file;
  e.line = ev.line;
  e.side = ev.side;
  e.text = ev.text.size() > kMaxEvidenceText ? ev.text.substr(0, kMaxEvidenceText) + "..." : ev.text;
  if (ev.decoded) {
    e.text += "\n" + describe(*ev.decoded);
    const auto& b = ev.decoded->bytes;
    e.bytes_hex = to_hex(std::span<const std::uint8_t>(b.data(), std::min<std::size_t>(b.size(), 64)));
  }
  return e;
}

struct Evaluated {
  std::size_t rule = 0;
  double score = 0;
  double confidence = 0;
  std::vector<std::size_t> evidence;  // kept event indices, in input order
};

using SignalHits = std::vector<std::vector<std::size_t>>;  // [signal] -> kept event indices

// For each signal, the first hit that respects its order constraint (after / within_ms).
std::vector<std::optional<std::size_t>> choose_hits(const Rule& rule, const SignalHits& hits,
                                                    const std::vector<logs::Event>& kept) {
  std::vector<std::optional<std::size_t>> chosen(rule.signals.size());
  for (std::size_t s = 0; s < rule.signals.size(); ++s) {
    const auto& sig = rule.signals[s];
    std::optional<std::size_t> anchor;
    if (!sig.after.empty()) {
      for (std::size_t a = 0; a < rule.signals.size(); ++a)
        if (rule.signals[a].name == sig.after && !hits[a].empty()) anchor = hits[a].front();
      if (!anchor) continue;
    }
    for (const auto h : hits[s]) {
      if (anchor && !(before(kept[*anchor], kept[h]) && within(kept[*anchor], kept[h], sig.within_ms))) continue;
      chosen[s] = h;
      break;
    }
  }
  return chosen;
}

// The chosen hits, plus the same signal seen in another input (the other side's log), in input order.
std::vector<std::size_t> evidence_of(const SignalHits& hits, const std::vector<std::optional<std::size_t>>& chosen,
                                     const std::vector<logs::Event>& kept) {
  std::vector<std::size_t> out;
  const auto add = [&](std::size_t i) {
    if (std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
  };
  for (std::size_t s = 0; s < chosen.size(); ++s) {
    if (!chosen[s]) continue;
    add(*chosen[s]);
    for (const auto h : hits[s])
      if (kept[h].file != kept[*chosen[s]].file) add(h);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A rule matches when every required group has a chosen signal; optional signals raise score and confidence.
std::optional<Evaluated> evaluate(const Rule& rule, const SignalHits& hits, const std::vector<logs::Event>& kept) {
  const auto chosen = choose_hits(rule, hits, kept);
  std::set<std::string> needed, met;
  double weight = 0, optional_total = 0, optional_met = 0;
  for (std::size_t s = 0; s < rule.signals.size(); ++s) {
    const auto& sig = rule.signals[s];
    const std::string group = sig.group.empty() ? sig.name : sig.group;
    if (sig.optional) optional_total += sig.weight;
    else needed.insert(group);
    if (!chosen[s]) continue;
    if (sig.optional) optional_met += sig.weight;
    else met.insert(group);
    weight += sig.weight;
  }
  if (needed.empty() || needed != met) return std::nullopt;
  Evaluated e;
  e.score = rule.specificity + 5.0 * weight;
  e.confidence = rule.confidence * (optional_total > 0 ? 0.8 + 0.2 * optional_met / optional_total : 1.0);
  e.evidence = evidence_of(hits, chosen, kept);
  return e;
}

Finding finding_from(const Rule& rule, const Evaluated& e, const std::vector<logs::Event>& kept) {
  Finding f = finding_of(rule);
  f.confidence = e.confidence;
  for (const auto i : e.evidence) f.evidence.push_back(evidence_from(kept[i]));
  return f;
}

}  // namespace

Finding finding_of(const Rule& rule) {
  Finding f;
  f.id = rule.id;
  f.title = rule.title;
  f.severity = rule.severity;
  f.cause = rule.cause;
  f.change_side = rule.change_side;
  f.fixes = rule.fixes;
  f.references = rule.references;
  return f;
}

Finding embedded_finding(const std::string& id, const std::string& fallback_title, const std::string& fallback_cause) {
  if (const Rule* rule = find_embedded_rule(id)) return finding_of(*rule);
  Finding f;
  f.id = id;
  f.title = fallback_title;
  f.cause = fallback_cause;
  return f;
}

Diagnosis Scan::finish() const {
  std::vector<Evaluated> matched;
  for (std::size_t r = 0; r < m_.kb_.rules.size(); ++r)
    if (auto e = evaluate(m_.kb_.rules[r], hits_[r], kept_)) {
      e->rule = r;
      matched.push_back(std::move(*e));
    }
  std::stable_sort(matched.begin(), matched.end(), [](const Evaluated& a, const Evaluated& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.evidence.front() < b.evidence.front();
  });
  Diagnosis d;
  d.events = events_;
  d.ladder = ladder_;
  d.recognised = recognised_;
  for (const auto& e : matched) d.findings.push_back(finding_from(m_.kb_.rules[e.rule], e, kept_));
  return d;
}

}  // namespace sd::kb
