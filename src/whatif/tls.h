// --what-if for TLS: a change applied to a server's ServerFacts (versions, suites per version, groups, DH size,
// signature schemes), and the client profiles predicted against the facts before and after.
#pragma once

#include <string>
#include <vector>

#include "probe/tls/facts.h"
#include "tlsprofiles/predict.h"
#include "whatif/compare.h"

namespace sd::whatif {

/// The facts with every TLS change applied in order (a pure function; no connection is made). A version turned off
/// answers with a protocol_version alert and loses its suites; a version left with no suite answers
/// handshake_failure; facts that were unknown stay unknown. Notes say when the last version or group goes.
probe::tls::ServerFacts apply(const probe::tls::ServerFacts& facts, const std::vector<Change>& changes, Applied& applied);

/// One TLS prediction in the diff's shape.
Outcome outcome_of(const tlsprofiles::ClientProfile& profile, const tlsprofiles::Prediction& prediction);
/// The profiles predicted against the facts as they are and as changed, compared.
Comparison compare_tls(const std::vector<tlsprofiles::ClientProfile>& profiles, const probe::tls::ServerFacts& before,
                       const probe::tls::ServerFacts& after);
/// Applies the changes, predicts, and adds the what-if section and findings (nothing when `changes` is empty).
void add_tls_what_if(const std::vector<Change>& changes, const std::vector<tlsprofiles::ClientProfile>& profiles,
                     const probe::tls::ServerFacts& facts, const std::string& source,
                     std::vector<report::Section>& sections, std::vector<Finding>& findings);

}  // namespace sd::whatif
