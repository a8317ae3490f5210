#include <nlohmann/json.hpp>

#include "report/render.h"

namespace sd::report {
namespace {

using nlohmann::json;

json field_json(const Field& f) {
  json j{{"name", f.name}, {"value", f.value}, {"offset", f.offset}, {"length", f.length}};
  if (f.code) j["code"] = *f.code;
  if (!f.children.empty()) {
    json kids = json::array();
    for (const auto& c : f.children) kids.push_back(field_json(c));
    j["children"] = std::move(kids);
  }
  return j;
}

json evidence_json(const Evidence& e) {
  json j{{"file", e.file}, {"line", e.line}, {"text", e.text}};
  if (!e.bytes_hex.empty()) j["bytes"] = e.bytes_hex;
  if (e.byte_offset) j["byte_offset"] = *e.byte_offset;
  if (!e.side.empty()) j["side"] = e.side;
  return j;
}

json finding_json(const Finding& f) {
  json fixes = json::array();
  for (const auto& x : f.fixes) {
    json fx{{"side", x.side}, {"summary", x.summary}};
    if (!x.snippet.empty()) fx["snippet"] = x.snippet;
    if (!x.risk.empty()) fx["risk"] = x.risk;
    fixes.push_back(std::move(fx));
  }
  json ev = json::array();
  for (const auto& e : f.evidence) ev.push_back(evidence_json(e));
  json refs = json::array();
  for (const auto& r : f.references) {
    json rj{{"id", r.id}};
    if (!r.url.empty()) rj["url"] = r.url;
    if (!r.title.empty()) rj["title"] = r.title;
    refs.push_back(std::move(rj));
  }
  return json{{"id", f.id},           {"title", f.title},   {"severity", std::string(to_string(f.severity))},
              {"confidence", f.confidence}, {"cause", f.cause}, {"change_side", f.change_side},
              {"fixes", fixes},       {"evidence", ev},     {"references", refs}};
}

}  // namespace

std::string render_json(const Report& r) {
  json findings = json::array();
  for (const auto& f : r.findings) findings.push_back(finding_json(f));
  json sections = json::array();
  for (const auto& s : r.sections) {
    json fields = json::array();
    for (const auto& f : s.fields) fields.push_back(field_json(f));
    sections.push_back(json{{"kind", s.kind}, {"title", s.title}, {"source", s.source}, {"fields", fields}, {"notes", s.notes}});
  }
  json doc{{"schema_version", kSchemaVersion}, {"tool", "shakedown"}, {"command", r.command},
           {"inputs", r.inputs},  {"problems_found", r.has_problems()}, {"findings", findings},
           {"sections", sections}, {"notes", r.notes}};
  return doc.dump(2) + "\n";
}

}  // namespace sd::report
