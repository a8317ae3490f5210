// Audit findings reuse the knowledge base: same ids, and where a rule exists, its title, cause and references.
#pragma once

#include <string>
#include <vector>

#include "audit/common/config_text.h"
#include "core/finding.h"

namespace sd::audit {

/// A finding with the KB rule's id, title, severity, cause, side and references (fixes are left to the audit,
/// which knows the concrete line); fallback_title/fallback_cause fill in when no rule has that id.
Finding finding_for(const std::string& id, const std::string& fallback_title, const std::string& fallback_cause);

/// The KB rule's own fixes (for findings whose fix is a fixed set of commands); empty when no rule has the id.
std::vector<Fix> kb_fixes(const std::string& id);

/// Evidence pointing at one configuration line.
Evidence evidence_at(const ConfigLine& line, const std::string& side);
/// Evidence for a setting that is absent, so its default applies: "file: key absent, default value".
Evidence evidence_default(const std::string& file, const std::string& key, const std::string& value,
                          const std::string& side);

/// A concrete config change: "- old line" / "+ new line" (old omitted when the line is absent).
std::string line_diff(const std::string& file, const std::string& old_line, const std::string& new_line);

}  // namespace sd::audit
