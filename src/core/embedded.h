// Data files compiled into the binary (KB rules, profiles, registries), so one install is complete.
#pragma once

#include <string_view>

namespace sd {

/// One embedded data file: its path relative to the source tree, and its bytes.
struct EmbeddedFile {
  std::string_view path;
  std::string_view content;
};

}  // namespace sd
