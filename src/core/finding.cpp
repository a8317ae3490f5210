#include "core/finding.h"

#include <array>

namespace sd {
namespace {
constexpr std::array<std::string_view, 5> kSeverityNames{"info", "low", "medium", "high", "critical"};
}

std::string_view to_string(Severity s) { return kSeverityNames.at(static_cast<std::size_t>(s)); }

std::optional<Severity> severity_from(std::string_view name) {
  for (std::size_t i = 0; i < kSeverityNames.size(); ++i)
    if (kSeverityNames[i] == name) return static_cast<Severity>(i);
  return std::nullopt;
}

}  // namespace sd
