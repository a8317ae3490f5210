// The steps of prediction, one decision each: what the server picks from a client's offer, and the cause when
// nothing fits. Internal to sd_tlsprofiles (predict.h is the public face).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "probe/tls/facts.h"
#include "tlsprofiles/predict.h"

namespace sd::tlsprofiles {

/// The version the server would choose from the client's offer, or the refused hello that ends it.
struct VersionPick {
  std::optional<std::uint16_t> version;           ///< highest offered version the server accepted
  std::optional<std::uint16_t> higher_untested;   ///< an offered higher version whose answer is unknown
  std::optional<std::uint16_t> refusal;           ///< when none is accepted: the version whose refusal the client sees
};

/// Versions the client would accept, highest first (supported_versions, else min..max).
std::vector<std::uint16_t> client_versions(const ClientProfile& p);
/// The version negotiation against the server's per-version answers.
VersionPick pick_version(const ClientProfile& p, const probe::tls::ServerFacts& f);
/// The suite the server would choose at `version` from what it accepts there (in its preference order).
std::optional<std::uint16_t> pick_suite(const ClientProfile& p, std::uint16_t version,
                                        const std::vector<std::uint16_t>& server_suites, bool server_preference);
/// True when the suite's key exchange needs a named group (TLS 1.3, ECDHE).
bool needs_group(std::uint16_t version, std::uint16_t suite);
/// The group the key exchange would use; nullopt when client and server share none.
std::optional<std::uint16_t> pick_group(const ClientProfile& p, const probe::tls::ServerFacts& f, std::uint16_t version);
/// Whether the client would send a certificate: nullopt when none is asked for or the profile does not say.
std::optional<bool> certificate_sent(const ClientProfile& p, const probe::tls::ServerFacts& f);

/// The server refused every version the client offers: version too old, no shared cipher, … from its answer.
Cause refusal_cause(const ClientProfile& p, const probe::tls::ServerFacts& f, std::uint16_t version);
/// The client's suites at `version` are all outside what the server accepts.
Cause no_shared_suite_cause(const ClientProfile& p, std::uint16_t version, const std::vector<std::uint16_t>& server_suites);
/// No named group in common.
Cause no_shared_group_cause(const ClientProfile& p, const probe::tls::ServerFacts& f);
/// A DHE suite with a server group smaller than the client accepts.
std::optional<Cause> dh_cause(const ClientProfile& p, const probe::tls::ServerFacts& f, std::uint16_t suite);
/// An explicit FTPS server that refused both AUTH TLS and AUTH SSL: no client gets to its handshake.
std::optional<Cause> upgrade_cause(const ClientProfile& p, const probe::tls::ServerFacts& f);
/// The client refuses the MD5+SHA-1 signature of a TLS 1.0/1.1 (EC)DHE key exchange, when its profile says so.
std::optional<Cause> legacy_signature_cause(const ClientProfile& p, std::uint16_t version, std::uint16_t suite);
/// The hello's shape itself is refused (no extensions, no SNI) before any negotiation.
std::optional<Cause> hello_shape_cause(const ClientProfile& p, const probe::tls::ServerFacts& f);
/// Causes after the handshake: the client-certificate request and the FTPS data channel.
std::vector<Cause> after_handshake_causes(const ClientProfile& p, const probe::tls::ServerFacts& f,
                                          std::vector<std::string>& unknowns);
/// True when the outcome hangs on an FTPS fact nobody measured: the client opens data connections with a fresh
/// session and whether the server demands reuse is not known (the probe could not log in). Says so in `unknowns`.
bool data_channel_undetermined(const ClientProfile& p, const probe::tls::ServerFacts& f, std::vector<std::string>& unknowns);

}  // namespace sd::tlsprofiles
