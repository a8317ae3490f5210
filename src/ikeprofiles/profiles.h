// Peer profiles (data/profiles/ike/*.yaml, compiled in): what a known IKEv2 initiator offers, and the prediction
// of how it fares against a probed responder.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "ikeprofiles/facts.h"

namespace sd::probe::ike {

/// A transform the profile's proposals use in place of a default no document found: the prediction is repeated
/// with each alternative and says when the outcome depends on which one is true.
struct Unconfirmed {
  std::string what;                       ///< the setting, e.g. "the KeyExchangeOffer DHGroup default"
  std::string assumed;                    ///< the transform name the proposals use
  std::vector<std::string> alternatives;  ///< other transform names the default could be
};

/// One initiator as it ships: its IKE_SA_INIT proposals in order, and where that list comes from.
struct PeerProfile {
  std::string id;
  std::string name;
  std::string platform;
  std::string release;
  std::string source;
  std::string fix_client;                               ///< how to change the initiator, when known
  std::vector<std::vector<std::string>> proposals;      ///< transform names as transform_named reads them
  std::vector<Unconfirmed> unconfirmed;                 ///< defaults the proposals assume without a source
};

/// Reads one profile; nullopt with `error` set when a field is missing or a transform name is unknown.
std::optional<PeerProfile> parse_profile(std::string_view yaml, std::string& error);
/// Every profile compiled into the binary, in file-name order.
const std::vector<PeerProfile>& peer_profiles();

/// The predicted outcome of one profile initiating to the probed responder.
struct Prediction {
  bool establishes = false;  ///< the outcome with the profile's proposals as written (assumed defaults included)
  std::string text;          ///< "establishes with …" or "fails: NO_PROPOSAL_CHOSEN because …"
  bool certain = true;       ///< false when an unconfirmed default's alternatives give the other outcome
};

/// Compares each proposal of the profile with what the responder accepted, transform type by transform type; with
/// unconfirmed defaults, repeats the comparison for each alternative and says which ones change the outcome.
Prediction predict(const PeerProfile& profile, const GatewayFacts& facts);
/// The finding (KB id ike.no-proposal-chosen when it fails) for a prediction, with the fix on either side.
Finding prediction_finding(const PeerProfile& profile, const Prediction& prediction, const std::string& target);

}  // namespace sd::probe::ike
