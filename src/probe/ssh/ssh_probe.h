// The unauthenticated SSH probe: the server's identification and KEXINIT on one connection, then one
// connection per host key type to read each host key from the key exchange reply (nothing is ever encrypted).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "probe/engine/engine.h"
#include "probe/probe.h"
#include "probe/ssh/behaviour.h"
#include "probe/ssh/throttle.h"
#include "report/report.h"
#include "wire/ssh/ssh.h"

namespace sd::probe::ssh {

/// The software name and version this probe announces in its identification line.
inline constexpr const char* kSoftware = "shakedown_0.1";

/// What the first connection learnt: the server's identification line and its KEXINIT.
struct Hello {
  JobResult job;
  std::optional<sd::ssh::Identification> identification;
  std::optional<sd::ssh::Message> kexinit;  ///< the whole message (body is sd::ssh::Kexinit)
  /// The KEXINIT body, or nullptr when none was read.
  const sd::ssh::Kexinit* lists() const;
};

/// One host key type asked for on its own connection, and the key the server showed.
struct HostKeyLook {
  std::string type;                        ///< the algorithm offered in our KEXINIT, e.g. "ssh-ed25519"
  JobResult job;
  std::optional<sd::ssh::HostKey> key;     ///< from the KEX_ECDH_REPLY
  std::string fingerprint;                 ///< "SHA256:<base64 without padding>", as ssh-keygen -l prints it
  std::string problem;                     ///< why no key was read; empty when one was
};

/// Everything one probe run learnt about a server.
struct Scan {
  Hello hello;
  std::string kex_used;                    ///< the curve25519 kex used to read host keys; empty when none was possible
  std::vector<HostKeyLook> host_keys;      ///< one per host key type offered (markers and certificates skipped)
  EngineStats stats;
  Etiquette etiquette;                     ///< throttling seen, attempts skipped (--max-connections) or discarded
  std::vector<std::string> profiles;       ///< --as: the client profiles to predict; empty means all
  std::vector<std::string> what_if;        ///< --what-if: server changes whose effect is predicted from the KEXINIT
  ServerBehaviour behaviour;               ///< probes after NEWKEYS; empty without a KEXINIT or when throttled
};

/// Runs the probe against the URL's host and port within the options' limits.
Scan scan(const Url& url, const ProbeOptions& options);

/// Adds the scan to the report as "probe" sections (server, algorithms, host keys) and run-level notes.
void add_to_report(const Url& url, const Scan& result, report::Report& out);

/// The ProbeKind entry point: scan, then fill the report.
bool run(const Url& url, const ProbeOptions& options, report::Report& out, std::string& error);

/// "SHA256:<unpadded base64 of the SHA-256 of the key blob>".
std::string fingerprint_sha256(Bytes key_blob);

}  // namespace sd::probe::ssh
