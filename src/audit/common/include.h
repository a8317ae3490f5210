// Include directives shared by the config formats that have them (proftpd.conf Include, openssl.cnf .include,
// pure-ftpd.conf Include): where the named files are, and reading each in turn with a depth limit.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/common/config_text.h"

namespace sd::audit {

/// How a format resolves its Include targets.
struct IncludeRules {
  std::string directive = "Include";          ///< as the format spells it, for messages
  std::string root;                           ///< the host's "/" as a folder for absolute targets ("" for the real one)
  std::vector<std::string> folder_extensions; ///< files taken from an included folder; empty: every regular file
  int max_depth = 8;                          ///< deeper nesting is reported as a loop
};

/// Reads one included file's text at the given nesting depth; returns the first error it met.
using IncludeReader = std::function<std::optional<ConfigError>(const std::string& file, std::string_view text, int depth)>;

/// The files a target names, sorted: a folder's files, the matches of one '*' in the file name, or the path itself.
/// Absolute targets are taken under rules.root; relative ones from the including file's folder.
std::vector<std::string> include_files(const ConfigLine& at, const std::string& target, const IncludeRules& rules);

/// Reads every file the target names through read (depth + 1); an error at the Include line when one cannot be
/// read or the depth limit is reached, else the reader's own first error.
std::optional<ConfigError> follow_include(const ConfigLine& at, const std::string& target, int depth,
                                          const IncludeRules& rules, const IncludeReader& read);

}  // namespace sd::audit
