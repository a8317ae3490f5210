// The IKEv2 probe: IKE_SA_INIT exchanges over UDP that learn which transforms a responder accepts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/outcome.h"
#include "ikeprofiles/facts.h"
#include "probe/engine/engine.h"
#include "probe/probe.h"
#include "wire/ike/message.h"
#include "wire/ike/write.h"

namespace sd::probe::ike {

/// How one exchange may behave: retries after silence, and whether an INVALID_KE_PAYLOAD is followed.
struct ExchangePolicy {
  unsigned retries = 2;                 ///< resends of the same request after a read timeout
  bool follow_invalid_ke = true;        ///< resend once with the group the responder asked for
  unsigned max_datagrams = 8;           ///< datagrams read in one exchange before the peer counts as hostile
  Millis timeout{2000};                 ///< each wait for an answer
};

/// The key exchange data an initiator would send for a group: a real public value for ECP and Curve25519/448,
/// a value below the prime for MODP groups; empty when the group's size is unknown.
ByteVec ke_data_for(std::uint16_t group);

/// Runs one IKE_SA_INIT exchange offering one proposal; handles COOKIE and (per policy) INVALID_KE_PAYLOAD.
ExchangeResult exchange(Engine& engine, const Target& target, const std::string& name,
                        const sd::ike::ProposalSpec& proposal, std::uint16_t ke_group, const ExchangePolicy& policy);

/// Probes the gateway: a discovery offer, then one proposal per attempt for each transform type.
GatewayFacts probe_gateway(const Target& target, const ProbeOptions& options);

/// The report sections for the facts (kind "probe").
report::Section facts_section(const GatewayFacts& facts, const std::string& source);

/// The ProbeKind entry point for ike://host[:port].
bool run_ike_probe(const Url& url, const ProbeOptions& options, report::Report& out, std::string& error);

}  // namespace sd::probe::ike
