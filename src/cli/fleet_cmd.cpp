// fleet FILE: the recorded runs across targets and over time; and the --db recording of probe and audit.
#include "cli/fleet_cmd.h"

#include <charconv>
#include <ctime>

#include "cli/version.h"
#include "fleet/view.h"

namespace sd::cli {
namespace {

constexpr int kMaxDays = 36500;

std::optional<int> days_of(const std::string& text) {
  int v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || v < 0 || v > kMaxDays) return std::nullopt;
  return v;
}

report::Report slice(const report::Report& r, const TargetStart& from, std::size_t findings_end,
                     std::size_t sections_end) {
  report::Report out;
  out.command = r.command;
  out.findings.assign(r.findings.begin() + static_cast<std::ptrdiff_t>(from.findings),
                      r.findings.begin() + static_cast<std::ptrdiff_t>(findings_end));
  out.sections.assign(r.sections.begin() + static_cast<std::ptrdiff_t>(from.sections),
                      r.sections.begin() + static_cast<std::ptrdiff_t>(sections_end));
  return out;
}

}  // namespace

Recorder open_recorder(const Invocation& inv) {
  Recorder out;
  const std::string path = inv.get("db");
  if (path.empty()) return out;
  out.db = fleet::Database::open(path, fleet::Database::Mode::record, out.error);
  if (!out.error.empty()) out.error = "--db: " + out.error;
  return out;
}

std::vector<fleet::RunRecord> probe_runs(const report::Report& r, const std::vector<TargetStart>& starts) {
  std::vector<fleet::RunRecord> out;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const bool last = i + 1 == starts.size();
    const std::size_t findings_end = last ? r.findings.size() : starts[i + 1].findings;
    const std::size_t sections_end = last ? r.sections.size() : starts[i + 1].sections;
    out.push_back(fleet::run_from(slice(r, starts[i], findings_end, sections_end), starts[i].target));
  }
  return out;
}

int record(Recorder& recorder, std::vector<fleet::RunRecord> runs, int exit_code) {
  if (!recorder.db || exit_code == kUsage) return exit_code;
  const std::string time = fleet::now_utc();
  for (auto& run : runs) {
    run.time = time;
    run.version = kVersion;
    run.exit_code = exit_code;
  }
  std::string error;
  if (!recorder.db->append(runs, error)) return input_error("--db: the run was not recorded: " + error);
  return exit_code;
}

int run_fleet(const Invocation& inv) {
  if (inv.positionals.size() != 1) return input_error("fleet: give exactly one database file (made with --db)");
  const auto days = days_of(inv.get("days"));
  if (!days) return input_error("--days: '" + inv.get("days") + "' is not a number from 0 to 36500");
  std::string error;
  const auto db = fleet::Database::open(inv.positionals.front(), fleet::Database::Mode::read, error);
  if (!db) return input_error("fleet: " + error);
  const auto runs = db->recent_runs(2, error);
  if (!error.empty()) return input_error("fleet: " + error);
  const fleet::ViewOptions options{.source = inv.positionals.front(), .days = *days, .changes = inv.flag("changes"),
                                   .now = static_cast<std::int64_t>(std::time(nullptr))};
  return emit(inv, fleet::fleet_report(runs, options));
}

}  // namespace sd::cli
