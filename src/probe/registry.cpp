// The one registry of probe kinds: adding a probe is its own folder plus one row here.
#include <array>

#include "probe/ike/ike_probe.h"
#include "probe/probe.h"
#include "probe/ssh/ssh_probe.h"

namespace sd::probe {
namespace {

const std::array<ProbeKind, 2> kKinds{{
    {"ike", 500, "IKEv2 responder: accepted transforms by IKE_SA_INIT, cookie, NAT-T, fragmentation, vendor IDs", &ike::run_ike_probe},
    {"ssh", 22, "SSH server: banner, algorithm lists, host keys", &ssh::run},
}};

}  // namespace

std::span<const ProbeKind> probe_kinds() { return kKinds; }

const ProbeKind* find_probe(std::string_view scheme) {
  for (const auto& k : kKinds)
    if (k.scheme == scheme) return &k;
  return nullptr;
}

}  // namespace sd::probe
