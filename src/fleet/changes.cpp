// --changes: per target, what its newest run says differently from the one before.
#include <fmt/format.h>

#include <map>
#include <set>

#include "fleet/view.h"

namespace sd::fleet {
namespace {

void verdict_changes(const RunRecord& before, const RunRecord& after, Field& out) {
  std::map<std::string, std::string> was;
  for (const auto& p : before.predictions) was.emplace(p.profile, p.verdict);
  for (const auto& p : after.predictions) {
    const auto it = was.find(p.profile);
    if (it == was.end() || it->second == p.verdict) continue;
    Field& f = out.add(leaf("verdict", fmt::format("{}: {} -> {}", p.profile, it->second, p.verdict)));
    f.add(leaf("profile", p.profile));
    f.add(leaf("before", it->second));
    f.add(leaf("after", p.verdict));
    f.add(leaf("reason", p.reason));
  }
}

std::map<std::string, std::string> finding_titles(const RunRecord& run) {
  std::map<std::string, std::string> out;
  for (const auto& f : run.findings) out.emplace(f.id, f.title);
  return out;
}

void finding_changes(const RunRecord& before, const RunRecord& after, Field& out) {
  const auto was = finding_titles(before);
  const auto now = finding_titles(after);
  for (const auto& [id, title] : now)
    if (!was.contains(id)) out.add(leaf("new_finding", id)).add(leaf("title", title));
  for (const auto& [id, title] : was)
    if (!now.contains(id)) out.add(leaf("gone_finding", id)).add(leaf("title", title));
}

std::map<std::string, const CertRow*> certs_by_identity(const RunRecord& run) {
  std::map<std::string, const CertRow*> out;
  for (const auto& c : run.certificates)
    out.emplace(c.sha256.empty() ? c.subject + "|" + c.issuer + "|" + c.serial + "|" + c.not_after : c.sha256, &c);
  return out;
}

void certificate_changes(const RunRecord& before, const RunRecord& after, Field& out) {
  const auto was = certs_by_identity(before);
  const auto now = certs_by_identity(after);
  for (const auto& [id, c] : now)
    if (!was.contains(id)) out.add(leaf("new_certificate", c->subject)).add(leaf("not_after", c->not_after));
  for (const auto& [id, c] : was)
    if (!now.contains(id)) out.add(leaf("gone_certificate", c->subject)).add(leaf("not_after", c->not_after));
}

}  // namespace

report::Section changes_section(const std::vector<std::vector<const RunRecord*>>& targets, const std::string& source) {
  report::Section s{"fleet", "Changes since each target's previous run", source, {}, {}};
  for (const auto& runs : targets) {
    if (runs.size() < 2) {
      s.notes.push_back(fmt::format("{}: one run recorded, nothing to compare", runs.front()->target));
      continue;
    }
    const RunRecord& after = *runs[0];
    const RunRecord& before = *runs[1];
    Field f = leaf(after.target, "");
    verdict_changes(before, after, f);
    finding_changes(before, after, f);
    certificate_changes(before, after, f);
    f.value = fmt::format("run {} ({}) -> run {} ({}): {} change(s)", before.id, before.time, after.id, after.time,
                          f.children.size());
    s.fields.push_back(std::move(f));
  }
  return s;
}

}  // namespace sd::fleet
