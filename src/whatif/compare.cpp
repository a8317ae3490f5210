// The what-if diff and its report: the section lists what moves, the findings name each client that breaks.
#include "whatif/compare.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace sd::whatif {
namespace {

bool same(const Outcome& a, const Outcome& b) { return a.verdict == b.verdict && a.summary == b.summary; }

std::string movement(const Shift& s) {
  if (s.before.verdict == s.after.verdict) return s.after.verdict + ", differently";
  return s.before.verdict + " → " + s.after.verdict;
}

Field shift_field(const Shift& s) {
  Field f = leaf(s.after.profile_id.empty() ? s.before.profile_id : s.after.profile_id, movement(s));
  f.add(leaf("client", s.after.name.empty() ? s.before.name : s.after.name));
  f.add(leaf("before", s.before.summary));
  f.add(leaf("after", s.after.summary));
  if (s.after.verdict == "fails") {
    if (!s.after.stage.empty()) f.add(leaf("stage", s.after.stage));
    if (!s.after.kb_id.empty()) f.add(leaf("cause", s.after.kb_id));
    if (!s.after.reason.empty()) f.add(leaf("reason", s.after.reason));
    if (!s.after.client_shows.empty()) f.add(leaf("client_shows", s.after.client_shows));
  }
  return f;
}

std::string title_of(const std::vector<Change>& changes) { return "what if: " + describe(changes); }

}  // namespace

bool Shift::breaks() const { return before.verdict != "fails" && after.verdict == "fails"; }

std::size_t Comparison::broken() const {
  return static_cast<std::size_t>(std::count_if(changed.begin(), changed.end(), [](const Shift& s) { return s.breaks(); }));
}

Comparison compare(const std::vector<Outcome>& before, const std::vector<Outcome>& after) {
  std::map<std::string, const Outcome*> old;
  for (const auto& o : before) old[o.profile_id] = &o;
  Comparison out;
  for (const auto& now : after) {
    ++out.total;
    const auto it = old.find(now.profile_id);
    if (it == old.end()) {
      out.changed.push_back({Outcome{.profile_id = now.profile_id, .name = now.name, .verdict = "unknown"}, now});
      continue;
    }
    if (same(*it->second, now)) ++out.unaffected;
    else out.changed.push_back({*it->second, now});
    old.erase(it);
  }
  for (const auto& [id, o] : old) {
    ++out.total;
    out.changed.push_back({*o, Outcome{.profile_id = id, .name = o->name, .verdict = "unknown"}});
  }
  return out;
}

report::Section section(const std::vector<Change>& changes, Protocol protocol, const Comparison& comparison,
                        const Applied& applied, const std::string& source) {
  report::Section s{.kind = "what-if", .title = title_of(changes), .source = source};
  s.fields.push_back(leaf("protocol", std::string(to_string(protocol))));
  for (const auto& c : changes) s.fields.push_back(leaf("change", c.text));
  for (const auto& shift : comparison.changed) s.fields.push_back(shift_field(shift));
  s.fields.push_back(leaf("broken", std::to_string(comparison.broken())));
  s.fields.push_back(leaf("unaffected", std::to_string(comparison.unaffected)));
  s.notes.push_back(fmt::format("{} of {} profiles break, {} change otherwise, {} unaffected", comparison.broken(),
                                comparison.total, comparison.changed.size() - comparison.broken(), comparison.unaffected));
  for (const auto& n : applied.notes) s.notes.push_back(n);
  s.notes.push_back("a prediction from the facts already gathered: the change was applied to them, no connection was "
                    "made to test it");
  return s;
}

std::vector<Finding> findings(const std::vector<Change>& changes, const Comparison& comparison, const std::string& source) {
  std::vector<Finding> out;
  for (const auto& s : comparison.changed) {
    if (!s.breaks()) continue;
    Finding f{.id = "whatif.client-breaks",
              .title = fmt::format("{} will break: {}", s.after.name, s.after.reason.empty() ? s.after.summary : s.after.reason),
              .severity = Severity::medium,
              .confidence = 0.8,
              .cause = fmt::format("With {} on {}, {} goes from '{}' to '{}'.", describe(changes), source, s.after.name,
                                   s.before.summary, s.after.summary),
              .change_side = "server"};
    f.evidence.push_back({"", 0, "now: " + s.before.summary, "", std::nullopt, "server"});
    if (!s.after.client_shows.empty()) f.evidence.push_back({"", 0, "the client would show: " + s.after.client_shows, "", std::nullopt, "client"});
    f.fixes.push_back({"server", fmt::format("Hold back {} until {} is changed to do without it.", describe(changes),
                                             s.after.name), "", ""});
    out.push_back(std::move(f));
  }
  return out;
}

void add_to(const std::vector<Change>& changes, Protocol protocol, const Comparison& comparison, const Applied& applied,
            const std::string& source, std::vector<report::Section>& sections, std::vector<Finding>& out) {
  sections.push_back(section(changes, protocol, comparison, applied, source));
  for (auto& f : findings(changes, comparison, source)) out.push_back(std::move(f));
}

std::string unused_change(const std::vector<std::string>& texts, const std::vector<report::Section>& sections) {
  for (const auto& t : texts) {
    bool used = false;
    for (const auto p : protocols_of(t))
      for (const auto& s : sections)
        used = used || (s.kind == "what-if" && !s.fields.empty() && s.fields.front().value == to_string(p));
    if (!used) return t;
  }
  return {};
}

}  // namespace sd::whatif
