// explain: log and trace files in, diagnoses out. Glue only: readers (src/logs), rules and matching (src/kb).
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "kb/matcher.h"
#include "logs/format.h"
#include "logs/ike_timeline.h"

namespace sd::cli {
namespace {

constexpr std::uintmax_t kLargeInput = 16u << 20;  // beyond this, the fast lane reads only lines with a pattern

bool large(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return !ec && size >= kLargeInput;
}

// The KB given with --kb, or the embedded one; schema errors are input errors.
std::unique_ptr<kb::Matcher> load_kb(const std::string& dir, std::string& error) {
  auto loaded = dir.empty() ? kb::load_embedded() : kb::load_directory(dir);
  auto errors = loaded.errors;
  for (auto& e : kb::check(loaded.kb)) errors.push_back(std::move(e));
  if (loaded.kb.rules.empty() && errors.empty()) errors.push_back({dir, "no rules (*.yaml) found"});
  std::unique_ptr<kb::Matcher> m;
  if (errors.empty()) m = kb::Matcher::compile(std::move(loaded.kb), errors);
  if (!errors.empty()) error = fmt::format("knowledge base: {}: {}", errors.front().where, errors.front().message);
  return m;
}

report::Section ladder_section(const kb::Diagnosis& d) {
  report::Section s;
  s.kind = "ladder";
  s.title = "Reconstructed exchange";
  bool broke = false;
  for (const auto& step : d.ladder) {
    s.fields.push_back(leaf(step.dir, step.label));
    broke = broke || step.dir == "break";
  }
  if (!broke && !d.findings.empty()) s.fields.push_back(leaf("break", d.findings.front().title));
  if (!d.ladder.empty())
    s.notes.push_back(fmt::format("steps from {}:{} to {}:{}", d.ladder.front().file, d.ladder.front().line,
                                  d.ladder.back().file, d.ladder.back().line));
  return s;
}

report::Section recognised_section(const kb::Diagnosis& d) {
  report::Section s;
  s.kind = "recognised";
  s.title = "What was recognised";
  for (const auto& [format, types] : d.recognised) {
    std::size_t total = 0;
    Field f = leaf(format, "");
    for (const auto& [type, n] : types) {
      f.add(leaf(type, std::to_string(n)));
      total += n;
    }
    f.value = fmt::format("{} event{}", total, total == 1 ? "" : "s");
    s.fields.push_back(std::move(f));
  }
  return s;
}

// The per-SA IKE timeline as a ladder for both peers and a tree per SA (src/logs/ike_timeline.h).
void add_ike_timeline(report::Report& r, const logs::ike::Timeline& t) {
  if (t.empty()) return;
  r.sections.push_back({"ladder", "IKE SA timeline: " + t.verdict, "", logs::ike::ladder_fields(t),
                        logs::ike::timeline_notes(t)});
  r.sections.push_back({"timeline", "IKE and CHILD SAs", "", logs::ike::timeline_fields(t), {}});
}

report::Report build_report(const Invocation& inv, kb::Diagnosis d) {
  report::Report r;
  r.command = "explain";
  r.inputs = inv.positionals;
  if (!d.ladder.empty()) r.sections.push_back(ladder_section(d));
  r.sections.push_back(recognised_section(d));
  if (d.findings.empty())
    r.notes.push_back(fmt::format("No known failure matched in {} events; the section above shows what was recognised.",
                                  d.events));
  r.findings = std::move(d.findings);
  return r;
}

}  // namespace

int run_explain(const Invocation& inv) {
  if (inv.positionals.empty()) return input_error("explain: no input file given (use - for standard input)");
  logs::ReadOptions options;
  options.forced_format = inv.get("log-format");
  if (!options.forced_format.empty() && !logs::find_format(options.forced_format))
    return input_error(fmt::format("--log-format: '{}' is not one of {}", options.forced_format, logs::format_names()));
  std::string error;
  const auto matcher = load_kb(inv.get("kb"), error);
  if (!matcher) return input_error("explain: " + error);
  std::vector<std::unique_ptr<std::ifstream>> files;
  for (const auto& path : inv.positionals) {
    if (path == "-") continue;
    files.push_back(std::make_unique<std::ifstream>(path, std::ios::binary));
    if (!*files.back()) return input_error(fmt::format("explain: cannot read '{}'", path));
  }
  kb::Scan scan(*matcher);
  logs::ike::TimelineBuilder timeline;
  const logs::EventSink sink = [&](const logs::Event& ev) {
    scan.feed(ev);
    timeline.feed(ev);
  };
  std::size_t next = 0, lines = 0, skipped = 0;
  for (const auto& path : inv.positionals) {
    std::istream& in = path == "-" ? std::cin : *files[next++];
    logs::ReadOptions per_file = options;
    if (path != "-" && large(path))
      per_file.prefilter = [&](std::string_view chunk, std::vector<std::size_t>& ends) { scan.match_ends(chunk, ends); };
    const auto stats = logs::read_events(in, path, per_file, sink);
    if (in.bad()) return input_error(fmt::format("explain: cannot read '{}'", path));
    lines += stats.lines;
    skipped += stats.skipped;
  }
  auto report = build_report(inv, scan.finish());
  add_ike_timeline(report, timeline.finish());
  if (skipped)
    report.notes.push_back(fmt::format("Large input: {} of {} lines held no rule pattern and were only counted, not "
                                       "classified; the ladder and the recognised section cover the rest.",
                                       skipped, lines));
  return emit(inv, report);
}

}  // namespace sd::cli
