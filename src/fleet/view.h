// The fleet view: what the recorded runs say across targets and over time, as a report.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fleet/run.h"
#include "report/report.h"

namespace sd::fleet {

/// What the fleet command asks.
struct ViewOptions {
  std::string source;       ///< the database file, named in the report
  int days = 30;            ///< --days: certificates expiring within this many days are problems
  bool changes = false;     ///< --changes: compare each target's last two runs
  std::int64_t now = 0;     ///< the time expiry is counted from (Unix seconds, UTC)
};

/// The fleet report from each target's newest runs (as Database::recent_runs gives them): latest run per target,
/// the who-breaks matrix, findings by id, certificates expiring within --days, same-day expiries on different
/// targets, and with --changes what changed since each target's previous run. Failing profiles and certificates
/// expiring within --days are findings above info, so the exit code is 1 exactly then.
report::Report fleet_report(const std::vector<RunRecord>& recent, const ViewOptions& options);

/// The runs of each target, newest first, in target order (input grouped as recent_runs returns it).
std::vector<std::vector<const RunRecord*>> by_target(const std::vector<RunRecord>& recent);

/// Certificate sections (expiring within --days, same-day groups across targets) and their findings.
void add_expiry(const std::vector<const RunRecord*>& latest, const ViewOptions& options, report::Report& out);

/// The --changes section: per target, what differs between its last two runs.
report::Section changes_section(const std::vector<std::vector<const RunRecord*>>& targets, const std::string& source);

/// Seconds since the epoch of "YYYY-MM-DDTHH:MM:SSZ"; -1 when the text is not that.
std::int64_t seconds_of(const std::string& iso);

}  // namespace sd::fleet
