// Findings from what sshd -t / ssh -G would say: the file is refused, or keywords are merely deprecated.
#include <fmt/format.h>

#include "audit/common/kb_finding.h"
#include "audit/openssh/validate.h"

namespace sd::audit::openssh {
namespace {

std::string side_of(const Verdict& v) { return v.program == "sshd" ? "server" : "client"; }

// The line to write instead, when the complaint says what it should be; "" to delete the line.
std::string replacement(const Complaint& c) {
  if (c.kind == "unknown" && !c.hint.empty()) {
    const auto rest = c.line.text.substr(std::min(c.line.text.size(), c.line.key.size()));
    return c.hint + rest;
  }
  return {};
}

std::string fix_summary(const Complaint& c, const Verdict& v) {
  const auto where = fmt::format("{} line {}", c.line.file, c.line.line);
  if (c.kind == "unknown")
    return c.hint.empty() ? fmt::format("Delete or correct {}: OpenSSH {}'s {} has no keyword {}.", where, v.version,
                                        v.program, c.line.key)
                          : fmt::format("Correct the keyword at {}: {} (OpenSSH {}'s {} has no {}).", where, c.hint,
                                        v.version, v.program, c.line.key);
  if (c.kind == "not-in-match")
    return fmt::format("Move {} ({}) above the first Match block: sshd allows it only globally.", where,
                       c.line.key);
  if (c.kind == "missing-argument") return fmt::format("Give {} ({}) a value, or delete the line.", where, c.line.key);
  if (c.kind == "bad-value") return fmt::format("Correct the value at {}: {}.", where, c.hint);
  return fmt::format("Delete {} ({}): OpenSSH {} ignores it.", where, c.line.key, v.version);
}

Fix fix_for(const Complaint& c, const Verdict& v) {
  const auto instead = replacement(c);
  const auto snippet = instead.empty() ? fmt::format("--- {0}\n+++ {0}\n- {1}\n", c.line.file, c.line.text)
                                       : line_diff(c.line.file, c.line.text, instead);
  return Fix{side_of(v), fix_summary(c, v), snippet, ""};
}

Evidence evidence_for(const Complaint& c, const Verdict& v, const std::string& prefix = {}) {
  auto e = evidence_at(c.line, side_of(v));
  e.text = prefix + (c.message.empty() ? c.line.text : c.message);
  return e;
}

std::string check_command(const Verdict& v, const std::string& file) {
  return v.program == "sshd" ? "sshd -t -f " + file : "ssh -G -F " + file + " HOST";
}

Finding rejected(const Config& c, const Verdict& v) {
  const auto title = v.program == "sshd" ? "sshd will refuse to start or reload with this sshd_config"
                                         : "ssh will refuse this ssh_config";
  Finding f = finding_for("ssh.config-rejected", title, "");
  f.title = title;
  f.cause = fmt::format("OpenSSH {}'s {} stops on this file: {} prints the lines below{}. {}", v.version, v.program,
                        check_command(v, c.file), v.closing.empty() ? "" : " and then \"" + v.closing + "\"", f.cause);
  f.change_side = side_of(v);
  for (const auto& complaint : v.complaints)
    if (complaint.weight != Weight::warning) {
      f.evidence.push_back(evidence_for(complaint, v));
      f.fixes.push_back(fix_for(complaint, v));
    }
  for (const auto& complaint : v.unread) {
    f.evidence.push_back(evidence_for(complaint, v, "read once the lines above are mended: "));
    f.fixes.push_back(fix_for(complaint, v));
  }
  return f;
}

Finding deprecated(const Verdict& v, std::vector<const Complaint*> warnings) {
  Finding f = finding_for("ssh.config-deprecated", "Keywords that OpenSSH no longer uses", "");
  f.change_side = side_of(v);
  for (const auto* w : warnings) {
    f.evidence.push_back(evidence_for(*w, v));
    f.fixes.push_back(fix_for(*w, v));
  }
  return f;
}

}  // namespace

std::vector<Finding> verdict_findings(const Config& c, const Verdict& v) {
  std::vector<Finding> out;
  if (v.refused) out.push_back(rejected(c, v));
  std::vector<const Complaint*> warnings;
  for (const auto& complaint : v.complaints)
    if (complaint.weight == Weight::warning) warnings.push_back(&complaint);
  if (!warnings.empty()) out.push_back(deprecated(v, warnings));
  return out;
}

}  // namespace sd::audit::openssh
