#include "report/report.h"

#include <algorithm>

namespace sd::report {

bool Report::has_problems() const {
  return std::any_of(findings.begin(), findings.end(), [](const Finding& f) { return f.severity != Severity::info; });
}

}  // namespace sd::report
