// The command table: every command and flag is declared once here; help, parsing and the man page read it.
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "report/report.h"

namespace sd::cli {

/// Documented exit codes.
enum Exit : int { kOk = 0, kProblems = 1, kUsage = 2 };

/// One option of a command.
struct OptionSpec {
  std::string name;        ///< key in Invocation::values, e.g. "format"
  std::string flags;       ///< CLI11 flag spec, e.g. "-f,--format"
  std::string value_name;  ///< e.g. "FMT"; empty for a boolean flag
  std::string help;
  bool repeatable = false;
  std::string default_value;
  std::vector<std::string> choices;  ///< allowed values; empty for any
};

struct Invocation;
using Runner = int (*)(const Invocation&);

/// One command.
struct CommandSpec {
  std::string name;
  std::string summary;         ///< one line for the command list
  std::string description;     ///< a paragraph for --help and the man page
  std::string positional;      ///< e.g. "FILE", empty for none; always takes one or more
  std::string positional_help;
  std::vector<OptionSpec> options;
  Runner run = nullptr;        ///< nullptr: reserved, not built yet
};

/// A parsed command line, handed to a runner.
struct Invocation {
  const CommandSpec* spec = nullptr;
  std::map<std::string, std::vector<std::string>> values;
  std::vector<std::string> positionals;

  /// Last value given for an option, or its default.
  std::string get(const std::string& name) const;
  /// Every value given for a repeatable option.
  std::vector<std::string> all(const std::string& name) const;
  /// True when a boolean flag was given.
  bool flag(const std::string& name) const;
};

/// The command table.
std::span<const CommandSpec> commands();
/// Options every command takes (--format, --output).
std::span<const OptionSpec> global_options();

/// Renders the report in the invocation's --format and writes it to --output or stdout,
/// atomically for a file. Returns kOk/kProblems from the report, or kUsage on a write failure.
int emit(const Invocation& inv, const report::Report& r);

/// Prints one clear line to stderr and returns kUsage.
int input_error(const std::string& what);

/// The man page in roff, generated from the table.
std::string man_page();

}  // namespace sd::cli
