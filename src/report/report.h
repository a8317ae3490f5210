// The one report model. Commands fill it; renderers only read it.
#pragma once

#include <string>
#include <vector>

#include "core/field.h"
#include "core/finding.h"

namespace sd::report {

/// A titled block of structured content: a decoded message, a ladder, a probe table, what was recognised.
struct Section {
  std::string kind;                    ///< "decoded", "ladder", "recognised", "probe", "prediction", "audit" …
  std::string title;                   ///< one line for humans
  std::string source;                  ///< "file:line-line" or a target URL the section is about
  std::vector<Field> fields;           ///< the structure, field by field
  std::vector<std::string> notes;      ///< plain-language observations
};

/// Everything one run of a command concluded.
struct Report {
  std::string command;                 ///< "decode", "explain", "probe", "audit"
  std::vector<std::string> inputs;     ///< files or targets as given
  std::vector<Finding> findings;       ///< most specific first
  std::vector<Section> sections;
  std::vector<std::string> notes;      ///< run-level remarks ("nothing matched", connection counts …)

  /// True when any finding is more than informational: the exit code is then 1.
  bool has_problems() const;
};

/// Version of the JSON document layout (docs/report.schema.json).
inline constexpr const char* kSchemaVersion = "1";

}  // namespace sd::report
