// The member functions of the IKE facts: read-only views of the answers an exchange received.
#include "ikeprofiles/facts.h"

#include <algorithm>

namespace sd::probe::ike {

using sd::ike::NotifyPayload;
using sd::ike::SaPayload;
using sd::ike::Transform;

std::uint16_t ExchangeResult::error_notify() const {
  if (!response) return 0;
  for (const auto* n : response->all<NotifyPayload>())
    if (n->type < 16384) return n->type;
  return 0;
}

std::vector<Transform> ExchangeResult::chosen() const {
  if (!response || response->ikev1()) return {};
  const auto sa = response->all<SaPayload>();
  if (sa.empty() || sa[0]->proposals.empty()) return {};
  return sa[0]->proposals[0].transforms;
}

bool GatewayFacts::answered() const {
  return std::any_of(exchanges.begin(), exchanges.end(), [](const ExchangeResult& r) { return r.response.has_value(); });
}

}  // namespace sd::probe::ike
