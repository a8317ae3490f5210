// Behavioural probes after NEWKEYS, each on its own connection through the real client transport: what the server
// does with an unknown message number, with IGNORE and DEBUG before the service request, and with a number from
// the local-extension range 192–255 (RFC 4250 §4.1.2), where vendor additions such as the AIX EFS keystore request
// live; and the baseline: SERVICE_REQUEST ssh-userauth, then USERAUTH_REQUEST "none" and the methods it lists.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probe/engine/engine.h"
#include "probe/probe.h"
#include "probe/ssh/transport.h"
#include "report/report.h"
#include "wire/ssh/messages.h"

namespace sd::probe::ssh {

/// What the server did with a probe.
enum class Reaction {
  not_run,        ///< the handshake did not complete, so the probe was never sent
  ignored,        ///< no complaint: the following SERVICE_REQUEST was accepted
  unimplemented,  ///< SSH_MSG_UNIMPLEMENTED, then the SERVICE_REQUEST was accepted
  answered,       ///< a reply to the request (REQUEST_FAILURE, CHANNEL_FAILURE …), named in `answer`
  disconnected,   ///< SSH_MSG_DISCONNECT
  closed,         ///< the connection ended without a DISCONNECT
  no_answer,      ///< nothing conclusive before the read timed out
  throttled,      ///< sshd dropped the connection (MaxStartups, PerSourcePenalties), also when tried again alone
};

/// The stable name of a reaction ("unimplemented", "ignored" …).
std::string_view to_string(Reaction reaction);

/// One probe's result.
struct BehaviourResult {
  std::string name;  ///< "baseline", "unknown-message", "ignore-and-debug", "local-extension"
  std::string sent;  ///< what was sent after NEWKEYS, in words
  Reaction reaction = Reaction::not_run;
  std::vector<std::uint32_t> sent_sequences;    ///< sequence numbers the probe's packets carried
  std::optional<std::uint32_t> named_sequence;  ///< the sequence number an UNIMPLEMENTED named
  std::optional<std::uint32_t> disconnect_reason;
  std::string disconnect_reason_name;                    ///< e.g. "PROTOCOL_ERROR"
  std::string disconnect_description;                    ///< the server's words, verbatim
  bool service_accepted = false;                         ///< SERVICE_ACCEPT for ssh-userauth arrived
  std::string answer;                                    ///< authenticated probes: the reply's message name
  std::optional<std::vector<std::string>> auth_methods;  ///< baseline: what USERAUTH_FAILURE to "none" listed
  std::string auth_algorithm;  ///< authenticated probes: the publickey algorithm the login succeeded with
  JobResult job;
  /// True when an UNIMPLEMENTED named the sequence number of the probe's (first) packet.
  bool sequence_matches() const;
};

/// Every behavioural probe of one run and the transport they used.
struct ServerBehaviour {
  std::optional<TransportChoice> choice;  ///< nullopt when the server offers nothing this client implements
  Established established;                ///< from the first connection whose handshake completed
  std::vector<BehaviourResult> results;
  std::string key_problem;  ///< why --key-file could not be used; empty when it was or was not given
  std::string not_run;      ///< why no probe ran (e.g. "--max-connections 2 reached"); else empty
  std::vector<std::string> retried;  ///< probes dropped in the parallel batch and run again alone (once)
};

/// The transport to use against a server: the first of curve25519-sha256, ecdh-sha2-nistp256,
/// diffie-hellman-group14-sha256 it offers, chacha20-poly1305 or else aes128-ctr with hmac-sha2-256.
std::optional<TransportChoice> choose_transport(const sd::ssh::Kexinit& server);

/// One connection: handshake, SERVICE_REQUEST ssh-userauth, USERAUTH_REQUEST "none" (for user `user`).
BehaviourResult probe_baseline(const Url& url, const ProbeOptions& options, Engine& engine,
                               const TransportChoice& choice, Established* established = nullptr);

/// Connections probe_behaviour makes: the baseline and one per behavioural probe.
inline constexpr std::size_t kBehaviourConnections = 4;

/// Runs the baseline and every behavioural probe, one connection each; a probe whose connection sshd dropped
/// while the others ran (throttle_sign) is run once more alone, and reads "throttled" if it is dropped again.
ServerBehaviour probe_behaviour(const Url& url, const ProbeOptions& options, Engine& engine,
                                const sd::ssh::Kexinit& server);

/// With --user and --key-file (an unencrypted OpenSSH ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256 key): publickey
/// authentication (RSA as rsa-sha2-512, else rsa-sha2-256), then a
/// GLOBAL_REQUEST and a session CHANNEL_REQUEST of unknown names with want-reply, on one connection. Returns the
/// two results ("unknown-global-request", "unknown-channel-request"); empty without --user or --key-file.
/// `problem` is set when the key file cannot be used (its content is never repeated).
std::vector<BehaviourResult> probe_authenticated(const Url& url, const ProbeOptions& options, Engine& engine,
                                                 const TransportChoice& choice, std::string& problem);

/// true when a local-extension message (192–255) made the server disconnect or close, false when it survived it,
/// nullopt when that probe did not run.
std::optional<bool> refuses_vendor_messages(const ServerBehaviour& behaviour);
/// What the local-extension probe saw, in one sentence (for a finding's evidence).
std::string vendor_evidence(const ServerBehaviour& behaviour);

/// The "behaviour" report section: the transport, one field per probe, and the methods "none" listed.
report::Section behaviour_section(const Url& url, const ServerBehaviour& behaviour);

}  // namespace sd::probe::ssh
