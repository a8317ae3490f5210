// --db on probe and audit, and the fleet command: glue between the command line and src/fleet.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "fleet/db.h"

namespace sd::cli {

/// The fleet database a probe or audit records into: none without --db.
struct Recorder {
  std::optional<fleet::Database> db;
  std::string error;  ///< why --db cannot be used; "" when it can (or was not given)
};

/// Opens --db for recording (created on first use) before any work is done, so a bad file stops the run early.
Recorder open_recorder(const Invocation& inv);

/// Where one probe target's findings and sections start in the shared report.
struct TargetStart {
  std::string target;
  std::size_t findings = 0;
  std::size_t sections = 0;
};

/// One run per probed target, each from its own slice of the report.
std::vector<fleet::RunRecord> probe_runs(const report::Report& r, const std::vector<TargetStart>& starts);

/// Appends the runs (time, version and exit code filled in) when --db was given; returns exit_code, or kUsage
/// after one line on stderr when the database write fails (nothing is then written).
int record(Recorder& recorder, std::vector<fleet::RunRecord> runs, int exit_code);

}  // namespace sd::cli
