// One recorded run of probe or audit against one target, as rows: what the fleet database stores.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "report/report.h"

namespace sd::fleet {

/// One finding of a run: only its identity and words, never its evidence (which may quote secrets).
struct FindingRow {
  std::string id;        ///< e.g. "tls.profile-fails"
  std::string severity;  ///< "info" … "critical"
  std::string title;
  std::string side;      ///< the finding's change_side: "client", "server", "either" or ""
};

/// One client profile's predicted outcome against the target.
struct PredictionRow {
  std::string profile;   ///< e.g. "zos-2.2-ftp"
  std::string verdict;   ///< "connects", "fails" or "unknown"
  std::string reason;    ///< the first cause for a failure, the summary otherwise
};

/// One certificate seen on the target, as its public fields only.
struct CertRow {
  std::string subject;
  std::string issuer;
  std::string serial;     ///< hex; "" when the report did not carry it
  std::string not_after;  ///< "YYYY-MM-DDTHH:MM:SSZ"
  std::string sha256;     ///< fingerprint of the DER, hex; "" when the report did not carry it
  std::string where;      ///< the chain position or file it came from
};

/// One run against one target. id is 0 until the database assigns it.
struct RunRecord {
  std::int64_t id = 0;
  std::string time;       ///< UTC, "YYYY-MM-DDTHH:MM:SSZ"
  std::string command;    ///< "probe" or "audit"
  std::string target;     ///< the URL probed or the audited host's name
  std::string version;    ///< shakedown's version
  int exit_code = 0;
  std::vector<FindingRow> findings;
  std::vector<PredictionRow> predictions;
  std::vector<CertRow> certificates;
};

/// The rows of a report about one target: every finding (but --what-if's, which are about a change not yet
/// made), every row of its prediction sections (kind "prediction" or "clients"), every certificate of its chain
/// sections. Time, version and exit code are left
/// for the caller.
RunRecord run_from(const report::Report& report, const std::string& target);

/// A verdict text in the closed vocabulary: "connects…" or "establishes…" is connects, "fails…" fails, else unknown.
std::string verdict_of(const std::string& text);

/// The current time, UTC, as "YYYY-MM-DDTHH:MM:SSZ".
std::string now_utc();

/// A time_t as "YYYY-MM-DDTHH:MM:SSZ" (UTC).
std::string iso_utc(std::int64_t seconds);

}  // namespace sd::fleet
