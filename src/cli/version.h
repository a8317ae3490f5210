// The release this source tree is.
#pragma once

namespace sd::cli {
inline constexpr const char* kVersion = "0.1.0";
}
