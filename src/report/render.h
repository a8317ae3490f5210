// Renderers: each turns a Report into one output format and nothing else.
#pragma once

#include <string>

#include "report/report.h"

namespace sd::report {

/// Plain text for a terminal, stable and diff-friendly.
std::string render_text(const Report& r);
/// JSON per docs/report.schema.json, pretty-printed.
std::string render_json(const Report& r);
/// SARIF 2.1.0 for code-review and CI tools: one result per finding, ruleId = finding id, file:line locations.
std::string render_sarif(const Report& r);

}  // namespace sd::report
