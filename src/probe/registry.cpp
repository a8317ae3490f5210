// The one registry of probe kinds: adding a probe is its own folder plus one row here.
#include <array>

#include "probe/probe.h"

namespace sd::probe {
namespace {

const std::array<ProbeKind, 0> kKinds{{
}};

}  // namespace

std::span<const ProbeKind> probe_kinds() { return kKinds; }

const ProbeKind* find_probe(std::string_view scheme) {
  for (const auto& k : kKinds)
    if (k.scheme == scheme) return &k;
  return nullptr;
}

}  // namespace sd::probe
