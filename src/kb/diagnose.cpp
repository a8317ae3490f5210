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

}  // namespace

Diagnosis Scan::finish() const {
  std::vector<Evaluated> matched;
  for (std::size_t r = 0; r < m_.kb_.rules.size(); ++r) {
    const auto& rule = m_.kb_.rules[r];
    // The first hit of each signal that respects its order constraint.
    std::vector<std::optional<std::size_t>> chosen(rule.signals.size());
    for (std::size_t s = 0; s < rule.signals.size(); ++s) {
      const auto& sig = rule.signals[s];
      std::optional<std::size_t> anchor;
      if (!sig.after.empty()) {
        for (std::size_t a = 0; a < rule.signals.size(); ++a)
          if (rule.signals[a].name == sig.after && !hits_[r][a].empty()) anchor = hits_[r][a].front().event;
        if (!anchor) continue;
      }
      for (const auto& h : hits_[r][s]) {
        if (anchor && !(before(kept_[*anchor], kept_[h.event]) && within(kept_[*anchor], kept_[h.event], sig.within_ms)))
          continue;
        chosen[s] = h.event;
        break;
      }
    }
    // Every required group needs one chosen signal.
    std::set<std::string> needed, met;
    double weight = 0, optional_total = 0, optional_met = 0;
    for (std::size_t s = 0; s < rule.signals.size(); ++s) {
      const auto& sig = rule.signals[s];
      const std::string group = sig.group.empty() ? sig.name : sig.group;
      if (!sig.optional) needed.insert(group);
      if (sig.optional) optional_total += sig.weight;
      if (!chosen[s]) continue;
      if (!sig.optional) met.insert(group);
      else optional_met += sig.weight;
      weight += sig.weight;
    }
    if (needed.empty() || needed != met) continue;
    Evaluated e;
    e.rule = r;
    e.score = rule.specificity + 5.0 * weight;
    e.confidence = rule.confidence * (optional_total > 0 ? 0.8 + 0.2 * optional_met / optional_total : 1.0);
    const auto add = [&](std::size_t i) {
      if (std::find(e.evidence.begin(), e.evidence.end(), i) == e.evidence.end()) e.evidence.push_back(i);
    };
    for (std::size_t s = 0; s < rule.signals.size(); ++s) {
      if (!chosen[s]) continue;
      add(*chosen[s]);
      // The same signal seen in another input (the other side's log) is evidence too: one line per file.
      for (const auto& h : hits_[r][s])
        if (kept_[h.event].file != kept_[*chosen[s]].file) add(h.event);
    }
    std::sort(e.evidence.begin(), e.evidence.end());
    matched.push_back(std::move(e));
  }
  std::stable_sort(matched.begin(), matched.end(), [&](const Evaluated& a, const Evaluated& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.evidence.front() < b.evidence.front();
  });

  Diagnosis d;
  d.events = events_;
  d.ladder = ladder_;
  d.recognised = recognised_;
  for (const auto& e : matched) {
    const auto& rule = m_.kb_.rules[e.rule];
    Finding f;
    f.id = rule.id;
    f.title = rule.title;
    f.severity = rule.severity;
    f.confidence = e.confidence;
    f.cause = rule.cause;
    f.change_side = rule.change_side;
    f.fixes = rule.fixes;
    f.references = rule.references;
    for (const auto i : e.evidence) f.evidence.push_back(evidence_from(kept_[i]));
    d.findings.push_back(std::move(f));
  }
  return d;
}

}  // namespace sd::kb
