// Looks rule ids up in the embedded KB once, and builds evidence and diffs for config lines.
#include "audit/common/kb_finding.h"

#include <fmt/format.h>


#include "kb/rule.h"

namespace sd::audit {

Finding finding_for(const std::string& id, const std::string& fallback_title, const std::string& fallback_cause) {
  Finding f = kb::embedded_finding(id, fallback_title, fallback_cause);
  f.fixes.clear();  // the audit writes the fix for the concrete line
  return f;
}

std::vector<Fix> kb_fixes(const std::string& id) {
  const kb::Rule* rule = kb::find_embedded_rule(id);
  return rule ? rule->fixes : std::vector<Fix>{};
}

Evidence evidence_at(const ConfigLine& line, const std::string& side) {
  Evidence e;
  e.file = line.file;
  e.line = line.line;
  e.text = line.text;
  e.side = side;
  return e;
}

Evidence evidence_default(const std::string& file, const std::string& key, const std::string& value,
                          const std::string& side) {
  Evidence e;
  e.file = file;
  e.text = fmt::format("{} not set: {} by default", key, value);
  e.side = side;
  return e;
}

std::string line_diff(const std::string& file, const std::string& old_line, const std::string& new_line) {
  std::string out = fmt::format("--- {}\n+++ {}\n", file, file);
  if (!old_line.empty()) out += "- " + old_line + "\n";
  return out + "+ " + new_line + "\n";
}

}  // namespace sd::audit
