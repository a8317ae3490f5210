// --what-if for IKEv2: drop-encr/-prf/-integ/-group applied to what a responder accepts, and every chosen peer
// profile predicted against it before and after.
#pragma once

#include <string>
#include <vector>

#include "ikeprofiles/profiles.h"
#include "whatif/compare.h"

namespace sd::whatif {

/// The facts with matching transforms removed. A transform matches by its label ("ENCR_AES_CBC/256") or its name
/// without the key length ("ENCR_AES_CBC"); groups by name ("MODP_2048"). Notes say when a type is left empty.
probe::ike::GatewayFacts apply(const probe::ike::GatewayFacts& facts, const std::vector<Change>& changes, Applied& applied);

/// One IKE prediction in the diff's shape ("establishes" reads as "connects").
Outcome outcome_of(const probe::ike::PeerProfile& profile, const probe::ike::Prediction& prediction);

/// Applies the changes, predicts each profile before and after, and adds the what-if section and findings
/// (nothing when `changes` is empty).
void add_ike_what_if(const std::vector<Change>& changes, const std::vector<const probe::ike::PeerProfile*>& chosen,
                     const probe::ike::GatewayFacts& facts, const std::string& source,
                     std::vector<report::Section>& sections, std::vector<Finding>& findings);

}  // namespace sd::whatif
