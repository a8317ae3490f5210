// Schema and invariants over the whole knowledge base.
#include <array>
#include <set>

#include "core/outcome.h"
#include "kb/rule.h"

namespace sd::kb {
namespace {

constexpr std::array<std::string_view, 3> kSides{"client", "server", "either"};
constexpr std::array<std::string_view, 2> kExpect{"top", "found"};

template <std::size_t N>
bool one_of(std::string_view v, const std::array<std::string_view, N>& set) {
  for (const auto s : set)
    if (s == v) return true;
  return false;
}

void required(const Rule& r, std::vector<KbError>& out) {
  const auto need = [&](bool ok, const char* what) {
    if (!ok) out.push_back({r.id.empty() ? r.source_path : r.id, std::string(what) + " is required"});
  };
  need(!r.id.empty(), "id");
  need(!r.title.empty(), "title");
  need(!r.family.empty(), "family");
  need(!r.protocols.empty(), "protocols");
  need(!r.platforms.empty(), "platforms");
  need(!r.signals.empty(), "signals");
  need(!r.cause.empty(), "cause");
  need(!r.fixes.empty(), "fixes");
  need(!r.references.empty(), "references");
  need(!r.tests.empty(), "tests (at least one case of real text)");
}

void id_matches_family(const Rule& r, std::vector<KbError>& out) {
  if (r.id.rfind(r.family + ".", 0) != 0 && r.id.find('.') == std::string::npos)
    out.push_back({r.id, "id must be <family-prefix>.<name>"});
  for (const char c : r.id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
      return out.push_back({r.id, "id may hold only a-z, 0-9, '-' and '.'"});
}

void values(const Rule& r, std::vector<KbError>& out) {
  if (!one_of(r.change_side, kSides)) out.push_back({r.id, "change_side must be client, server or either"});
  if (r.confidence <= 0 || r.confidence > 1) out.push_back({r.id, "confidence must be in (0, 1]"});
  if (r.specificity < 0 || r.specificity > 100) out.push_back({r.id, "specificity must be 0..100"});
  if (!r.outcome.empty() && !outcome_from(r.outcome)) out.push_back({r.id, "outcome not in the vocabulary: " + r.outcome});
  for (const auto& f : r.fixes) {
    if (f.side != "client" && f.side != "server") out.push_back({r.id, "fix side must be client or server"});
    if (f.summary.empty()) out.push_back({r.id, "every fix needs a summary"});
  }
  for (const auto& ref : r.references)
    if (ref.id.empty()) out.push_back({r.id, "every reference needs an id"});
  for (const auto& t : r.tests) {
    if (t.file.empty()) out.push_back({r.id, "every test case needs a file"});
    if (!one_of(t.expect, kExpect)) out.push_back({r.id, "test expect must be top or found"});
    if (t.source.empty()) out.push_back({r.id, "every test case needs a source (where the real text comes from)"});
  }
}

void signals(const Rule& r, std::vector<KbError>& out) {
  std::set<std::string> names;
  bool any_required = false;
  for (const auto& s : r.signals) {
    if (s.name.empty()) out.push_back({r.id, "every signal needs a name"});
    if (!names.insert(s.name).second) out.push_back({r.id, "duplicate signal name " + s.name});
    if (s.pattern.empty() && s.when.empty()) out.push_back({r.id, "signal " + s.name + " has no pattern and no condition"});
    if (!s.side.empty() && s.side != "client" && s.side != "server")
      out.push_back({r.id, "signal " + s.name + ": side must be client or server"});
    any_required = any_required || !s.optional;
  }
  for (const auto& s : r.signals)
    if (!s.after.empty() && !names.count(s.after))
      out.push_back({r.id, "signal " + s.name + " is after unknown signal " + s.after});
  if (!any_required) out.push_back({r.id, "at least one signal must be required"});
}

}  // namespace

std::vector<KbError> check(const Kb& kb) {
  std::vector<KbError> out;
  std::set<std::string> ids;
  for (const auto& r : kb.rules) {
    required(r, out);
    if (!r.id.empty() && !ids.insert(r.id).second) out.push_back({r.id, "duplicate id"});
    id_matches_family(r, out);
    values(r, out);
    signals(r, out);
  }
  return out;
}

}  // namespace sd::kb
