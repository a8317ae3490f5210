// Shared by the strongSwan readers and the audit; internal to src/audit/strongswan.
#pragma once

#include <filesystem>
#include <string>

#include "audit/strongswan/strongswan.h"

namespace sd::audit::strongswan {

/// Where a file named in a config lives: an absolute name under root, a relative one in subdir beside the config.
std::filesystem::path resolve(const std::string& config_file, const std::string& name, const std::string& root,
                              const std::string& subdir);

}  // namespace sd::audit::strongswan
