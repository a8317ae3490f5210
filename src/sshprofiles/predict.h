// Prediction per client profile against a probed server's KEXINIT: the algorithms that client would settle on
// (RFC 4253 §7.1: the first name on the client's list that the server also lists; an AEAD cipher makes the MAC
// implicit), or the exact message it prints when a list has no name in common, the setting on either side that
// fixes it and what that fix costs in security.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/finding.h"
#include "report/report.h"
#include "sshprofiles/profiles.h"
#include "wire/ssh/messages.h"

namespace sd::probe::ssh {

/// The server as the client names it in its messages ("Unable to negotiate with HOST port PORT").
struct Endpoint {
  std::string host;
  std::uint16_t port = 22;
};

/// One negotiated list: which step ("kex", "host_key", "cipher_c2s" …) and what was chosen.
struct Choice {
  std::string step;
  std::string chosen;      ///< "<implicit>" for the MAC under an AEAD cipher
};

/// What one client would do against the server.
struct Prediction {
  bool connects = false;
  std::vector<Choice> choices;     ///< in the client's check order, up to the failing step
  std::string failed_step;         ///< empty when it connects
  std::optional<AlgoKind> failed_kind;
  std::string message;             ///< the client's own words for the failure
  std::string summary;             ///< "connects with kex …, host key …, cipher …, MAC …" or "fails: …"
  std::string kb_id;               ///< ssh.no-matching-kex/host-key/cipher/mac, ssh.ssh-rsa-disabled
  std::vector<Fix> fixes;          ///< client and server changes, each with its security cost
};

/// What else is known about the server, beyond its KEXINIT.
struct ServerTraits {
  /// true when the server was seen to disconnect on a message from the local-extension range (192–255), false
  /// when it was seen to tolerate one, nullopt when not tested.
  std::optional<bool> refuses_vendor_messages;
  std::string vendor_evidence;     ///< what was seen, for the finding
};

/// The chosen name of a step, or empty when the prediction has no such step.
std::string chosen(const Prediction& prediction, std::string_view step);

/// Negotiates the profile's lists against the server's KEXINIT the way that client does.
Prediction predict(const ClientProfile& profile, const sd::ssh::Kexinit& server, const Endpoint& where);

/// The finding for a failed prediction (severity high), with the KB id, the client's message and the fixes.
Finding prediction_finding(const ClientProfile& profile, const Prediction& prediction, const std::string& target);

/// Findings from the profile's known behaviours that the server is known to reject (the AIX EFS keystore request
/// against a server that disconnects on local-extension messages); empty when nothing is known to clash.
std::vector<Finding> behaviour_findings(const ClientProfile& profile, const ServerTraits& traits,
                                        const std::string& target);

/// The profiles named by --as, in the order given (every profile when `ids` is empty); false with `error` set
/// when an id is unknown.
bool choose_profiles(const std::vector<std::string>& ids, std::vector<const ClientProfile*>& out, std::string& error);

/// Adds the "clients" section (one field per profile: its prediction, the client's message, the fixes) and a
/// finding for every failure and every known behaviour clash.
void add_predictions(const sd::ssh::Kexinit& server, const std::vector<const ClientProfile*>& chosen,
                     const Endpoint& where, const ServerTraits& traits, const std::string& target,
                     report::Report& out);

}  // namespace sd::probe::ssh
