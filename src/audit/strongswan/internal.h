// Shared by the strongSwan readers and the audit; internal to src/audit/strongswan.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "audit/strongswan/strongswan.h"

namespace sd::audit::strongswan {

/// Where a file named in a config lives: an absolute name under root, a relative one in subdir beside the config.
std::filesystem::path resolve(const std::string& config_file, const std::string& name, const std::string& root,
                              const std::string& subdir);

/// Calls fn for every line of text with its 1-based number; stops at the first error (or a line with a NUL byte).
std::optional<ConfigError> each_line(
    const std::string& file, std::string_view text,
    const std::function<std::optional<ConfigError>(std::size_t number, std::string_view raw)>& fn);

}  // namespace sd::audit::strongswan
