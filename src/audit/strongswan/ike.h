// A strongSwan connection's effective IKE proposals (swanctl `proposals`, ipsec.conf `ike`, keywords and `default`
// expanded into IKEv2 transforms), the responder facts they give, and the IKEv2 peer profiles predicted against
// them with the same predict() the probe uses; and the pair audit of one strongSwan initiator against a responder.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/pair.h"
#include "audit/strongswan/strongswan.h"
#include "ikeprofiles/profiles.h"
#include "report/report.h"

namespace sd::audit::strongswan {

/// One IKE proposal: transform names as sd::ike::transform_named reads them, in the configured order.
using ProposalNames = std::vector<std::string>;

/// A connection's IKE proposals as charon uses them, and how they were derived.
struct Effective {
  std::vector<ProposalNames> proposals;
  std::string origin;                 ///< "proposals = aes256-sha256-x25519" or "proposals not set: default"
  std::vector<std::string> unknown;   ///< keywords the table does not know (ignored, as charon would refuse them)
  bool ikev1_only = false;            ///< version = 1 / keyexchange = ikev1: no IKEv2 at all
};

/// Expands one proposals value: comma-separated proposals of dash-separated keywords; `default` is strongSwan's
/// default IKE proposal set (the captured strongswan-5.9-default profile). A trailing '!' is dropped.
Effective expand(std::string_view value);
/// The connection's effective proposals: swanctl uses exactly what is written (default when absent); ipsec.conf
/// appends the default set unless the `ike` value ends with '!' (ipsec.conf(5)); absent `ike` means the default.
Effective effective(const Connection& conn, const std::string& format);

/// What a responder with these proposals accepts, each transform type in configured order (union over proposals).
probe::ike::GatewayFacts responder_facts(const Effective& e);

/// The strongSwan keyword for a transform name ("ENCR_AES_CBC/256" -> "aes256"), or "" when none.
std::string keyword_for(const std::string& transform);

/// Every IKEv2 peer profile predicted against every IKEv2 connection of the configs, as the probe reports it:
/// per connection a facts section (kind "audit") and a prediction section (kind "prediction"), and a finding
/// (ike.no-proposal-chosen) per failing profile with the proposals line as evidence and a diff as the fix; with
/// --what-if changes, a "what-if" section per connection too.
void predict_profiles(const std::vector<Config>& configs, std::vector<Finding>& findings,
                      std::vector<report::Section>& sections, const std::vector<std::string>& what_if = {});

/// True when there are files and every one reads as swanctl.conf or ipsec.conf (the pair audit's IKE branch).
bool all_strongswan(const std::vector<std::string>& files);

/// Pair audit: each connection of the client files initiates with its proposals to the server's first IKEv2
/// connection: establishes (with an INVALID_KE_PAYLOAD round when the first KE group is not the one the responder
/// picks) or NO_PROPOSAL_CHOSEN, with the fix on either side.
PairOutcome run_ike_pair(const std::vector<std::string>& client_files, const std::vector<std::string>& server_files,
                         const Options& options);

}  // namespace sd::audit::strongswan
