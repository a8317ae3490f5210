// Reading a report model into fleet rows, generically: by section kind and field names, never by probe.
#include "fleet/run.h"

#include <ctime>

namespace sd::fleet {
namespace {

bool starts_with(const std::string& text, std::string_view prefix) { return text.rfind(prefix, 0) == 0; }

std::string child_text(const Field& f, const std::string& name) {
  const Field* c = f.child(name);
  return c ? c->value : std::string();
}

// The verdict text of a prediction row: TLS rows say "verdict", SSH and IKE rows "prediction".
const Field* verdict_field(const Field& row) {
  if (const Field* v = row.child("verdict")) return v;
  return row.child("prediction");
}

// TLS rows are named after the profile; SSH ("client"), IKE ("profile") and pair ("connection") rows carry it as value.
std::string profile_of(const Field& row) {
  const bool named_by_value = row.name == "client" || row.name == "profile" || row.name == "connection";
  return named_by_value ? row.value : row.name;
}

// Why: the first cause's reason (TLS), the client's message (SSH), or the row's summary / prediction text.
std::string reason_of(const Field& row, const std::string& verdict_text) {
  if (const Field* cause = row.child("cause")) {
    const std::string reason = child_text(*cause, "reason");
    return reason.empty() ? cause->value : reason;
  }
  if (const std::string message = child_text(row, "message"); !message.empty()) return message;
  if (const std::string summary = child_text(row, "summary"); !summary.empty()) return summary;
  return row.name == "profile" || row.name == "connection" ? verdict_text : row.value;
}

// A --what-if finding is about a change not yet made, not about the target as it is.
bool hypothetical(const Finding& f) { return starts_with(f.id, "whatif."); }

void add_predictions(const report::Section& s, RunRecord& run) {
  for (const Field& row : s.fields) {
    const Field* v = verdict_field(row);
    if (v == nullptr) continue;
    run.predictions.push_back({profile_of(row), verdict_of(v->value), reason_of(row, v->value)});
  }
}

void add_certificates(const report::Section& s, RunRecord& run) {
  for (const Field& f : s.fields) {
    if (f.name != "certificate" || f.child("subject") == nullptr) continue;
    std::string sha256 = child_text(f, "sha256");
    if (sha256.empty()) sha256 = child_text(f, "fingerprint_sha256");
    run.certificates.push_back({child_text(f, "subject"), child_text(f, "issuer"), child_text(f, "serial"),
                                child_text(f, "not_after"), sha256, s.source + " #" + f.value});
  }
}

}  // namespace

std::string verdict_of(const std::string& text) {
  if (starts_with(text, "connects") || starts_with(text, "establishes")) return "connects";
  if (starts_with(text, "fails")) return "fails";
  return "unknown";
}

RunRecord run_from(const report::Report& report, const std::string& target) {
  RunRecord run;
  run.command = report.command;
  run.target = target;
  for (const auto& f : report.findings)
    if (!hypothetical(f)) run.findings.push_back({f.id, std::string(to_string(f.severity)), f.title, f.change_side});
  for (const auto& s : report.sections) {
    if (s.kind == "prediction" || s.kind == "clients") add_predictions(s, run);
    add_certificates(s, run);
  }
  return run;
}

std::string iso_utc(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string now_utc() { return iso_utc(static_cast<std::int64_t>(std::time(nullptr))); }

}  // namespace sd::fleet
