// SARIF 2.1.0: one result per finding (ruleId = finding id), a location per evidence line, one rule per id.
#include <nlohmann/json.hpp>

#include <set>

#include "report/render.h"

namespace sd::report {
namespace {

using nlohmann::json;

std::string level(Severity s) {
  switch (s) {
    case Severity::info: return "note";
    case Severity::low: return "note";
    case Severity::medium: return "warning";
    case Severity::high:
    case Severity::critical: return "error";
  }
  return "warning";
}

json location(const Evidence& e) {
  json region{{"snippet", json{{"text", e.text}}}};
  if (e.line) region["startLine"] = e.line;
  json physical{{"artifactLocation", json{{"uri", e.file}}}};
  if (e.line) physical["region"] = region;
  return json{{"physicalLocation", physical}};
}

json result(const Finding& f) {
  json locations = json::array();
  for (const auto& e : f.evidence)
    if (!e.file.empty()) locations.push_back(location(e));
  std::string text = f.title;
  if (!f.fixes.empty()) text += " Fix: " + f.fixes.front().summary;
  json fixes = json::array();
  for (const auto& x : f.fixes)
    if (!x.snippet.empty()) fixes.push_back(json{{"description", json{{"text", x.summary + "\n" + x.snippet}}}});
  json r{{"ruleId", f.id},
         {"level", level(f.severity)},
         {"message", json{{"text", text}}},
         {"locations", locations},
         {"properties", json{{"severity", std::string(to_string(f.severity))}, {"changeSide", f.change_side}}}};
  if (!fixes.empty()) r["properties"]["fixes"] = fixes;
  return r;
}

json rule(const Finding& f) {
  json j{{"id", f.id}, {"shortDescription", json{{"text", f.title}}}, {"fullDescription", json{{"text", f.cause}}}};
  if (!f.references.empty() && !f.references.front().url.empty()) j["helpUri"] = f.references.front().url;
  return j;
}

}  // namespace

std::string render_sarif(const Report& r) {
  json rules = json::array(), results = json::array();
  std::set<std::string> seen;
  for (const auto& f : r.findings) {
    if (seen.insert(f.id).second) rules.push_back(rule(f));
    results.push_back(result(f));
  }
  const json driver{{"name", "shakedown"}, {"informationUri", "https://github.com/shakedown"}, {"rules", rules}};
  const json doc{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                 {"version", "2.1.0"},
                 {"runs", json::array({json{{"tool", json{{"driver", driver}}}, {"results", results}}})}};
  return doc.dump(2) + "\n";
}

}  // namespace sd::report
