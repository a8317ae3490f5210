// Renderers: each turns a Report into one output format and nothing else.
#pragma once

#include <string>

#include "report/report.h"

namespace sd::report {

/// Plain text for a terminal, stable and diff-friendly.
std::string render_text(const Report& r);
/// JSON per docs/report.schema.json, pretty-printed.
std::string render_json(const Report& r);

}  // namespace sd::report
