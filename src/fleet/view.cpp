// The fleet report: latest run per target, who breaks, findings by id; expiry and changes live beside it.
#include "fleet/view.h"

#include <fmt/format.h>

#include <map>
#include <set>

namespace sd::fleet {
namespace {

std::size_t verdict_count(const RunRecord& run, const std::string& verdict) {
  std::size_t n = 0;
  for (const auto& p : run.predictions) n += p.verdict == verdict;
  return n;
}

std::size_t failing_count(const RunRecord& run) { return verdict_count(run, "fails"); }

report::Section latest_section(const std::vector<const RunRecord*>& latest, const std::string& source) {
  report::Section s{"fleet", "Latest run per target", source, {}, {}};
  for (const RunRecord* run : latest) {
    Field f = leaf(run->target, fmt::format("run {} at {} ({}, exit {})", run->id, run->time, run->command,
                                            run->exit_code));
    f.add(leaf("run", std::to_string(run->id)));
    f.add(leaf("time", run->time));
    f.add(leaf("command", run->command));
    f.add(leaf("version", run->version));
    f.add(leaf("exit_code", std::to_string(run->exit_code)));
    f.add(leaf("findings", std::to_string(run->findings.size())));
    f.add(leaf("failing_profiles", std::to_string(failing_count(*run))));
    f.add(leaf("connecting_profiles", std::to_string(verdict_count(*run, "connects"))));
    f.add(leaf("unknown_profiles", std::to_string(verdict_count(*run, "unknown"))));
    s.fields.push_back(std::move(f));
  }
  s.notes.push_back(fmt::format("{} target(s) recorded", latest.size()));
  return s;
}

// profile -> (target -> reason) for every failing prediction of the latest runs.
using Failures = std::map<std::string, std::map<std::string, std::string>>;

Failures failures_of(const std::vector<const RunRecord*>& latest) {
  Failures out;
  for (const RunRecord* run : latest)
    for (const auto& p : run->predictions)
      if (p.verdict == "fails") out[p.profile].emplace(run->target, p.reason);
  return out;
}

// Targets whose latest run predicted anything for this profile: the denominator of "fails on N of M".
std::size_t predicted_on(const std::vector<const RunRecord*>& latest, const std::string& profile) {
  std::size_t n = 0;
  for (const RunRecord* run : latest)
    for (const auto& p : run->predictions)
      if (p.profile == profile) {
        ++n;
        break;
      }
  return n;
}

report::Section who_breaks_section(const std::vector<const RunRecord*>& latest, const Failures& failures,
                                   const std::string& source) {
  report::Section s{"fleet", "Who breaks: client profiles that fail, by target", source, {}, {}};
  for (const auto& [profile, targets] : failures) {
    Field f = leaf(profile, fmt::format("fails on {} of {} target(s)", targets.size(), predicted_on(latest, profile)));
    for (const auto& [target, reason] : targets) f.add(leaf("target", target)).add(leaf("reason", reason));
    s.fields.push_back(std::move(f));
  }
  if (failures.empty()) s.notes.push_back("No client profile is predicted to fail on any target's latest run.");
  return s;
}

Finding failing_target_finding(const RunRecord& run) {
  std::vector<std::string> names;
  for (const auto& p : run.predictions)
    if (p.verdict == "fails") names.push_back(p.profile);
  Finding f;
  f.id = "fleet.profile-fails";
  f.title = fmt::format("{} client profile(s) fail against {}: {}", names.size(), run.target, fmt::join(names, ", "));
  f.severity = Severity::high;
  f.cause = "The latest recorded run predicts these clients cannot complete the handshake.";
  f.change_side = "either";
  f.evidence.push_back(Evidence{.file = run.target, .text = fmt::format("run {} at {}", run.id, run.time)});
  return f;
}

report::Section findings_section(const std::vector<const RunRecord*>& latest, const std::string& source) {
  struct Seen {
    std::string severity, title;
    std::set<std::string> targets;
  };
  std::map<std::string, Seen> by_id;
  for (const RunRecord* run : latest)
    for (const auto& f : run->findings) {
      auto& seen = by_id[f.id];
      if (seen.title.empty()) seen = {f.severity, f.title, {}};
      seen.targets.insert(run->target);
    }
  report::Section s{"fleet", "Findings by id on each target's latest run", source, {}, {}};
  for (const auto& [id, seen] : by_id) {
    Field f = leaf(id, fmt::format("{} target(s)", seen.targets.size()));
    f.add(leaf("severity", seen.severity));
    f.add(leaf("title", seen.title));
    for (const auto& t : seen.targets) f.add(leaf("target", t));
    s.fields.push_back(std::move(f));
  }
  return s;
}

}  // namespace

std::vector<std::vector<const RunRecord*>> by_target(const std::vector<RunRecord>& recent) {
  std::vector<std::vector<const RunRecord*>> out;
  for (const auto& run : recent) {
    if (out.empty() || out.back().front()->target != run.target) out.emplace_back();
    out.back().push_back(&run);
  }
  return out;
}

report::Report fleet_report(const std::vector<RunRecord>& recent, const ViewOptions& options) {
  const auto targets = by_target(recent);
  std::vector<const RunRecord*> latest;
  for (const auto& runs : targets) latest.push_back(runs.front());
  report::Report r;
  r.command = "fleet";
  r.inputs.push_back(options.source);
  r.sections.push_back(latest_section(latest, options.source));
  r.sections.push_back(who_breaks_section(latest, failures_of(latest), options.source));
  for (const RunRecord* run : latest)
    if (failing_count(*run) > 0) r.findings.push_back(failing_target_finding(*run));
  r.sections.push_back(findings_section(latest, options.source));
  add_expiry(latest, options, r);
  if (options.changes) r.sections.push_back(changes_section(targets, options.source));
  if (latest.empty()) r.notes.push_back("The database holds no run.");
  return r;
}

}  // namespace sd::fleet
