// strongSwan configurations (swanctl.conf with nested sections and include; ipsec.conf with conn sections, also=
// and %default) read into connections with their rekey timers and certificates, keeping file:line; and the rekey
// and certificate audit: certificates of both peers that expire within one rekey window (the seed-004 outage),
// certificates that expire within N days, and both sides rekeying on fixed timers without jitter.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/common/config_text.h"
#include "core/finding.h"

namespace sd::audit::strongswan {

/// One section of a swanctl.conf (strongswan.conf syntax): its settings and subsections, in file order.
struct Section {
  std::string name;
  ConfigLine at;                      ///< where it opens (the root: file name only)
  std::vector<ConfigLine> settings;   ///< key = value lines; a later one for the same key wins
  std::vector<Section> sections;

  /// The last setting with this key, or nullptr.
  const ConfigLine* setting(std::string_view key) const;
  /// The first subsection with this name, or nullptr.
  const Section* section(std::string_view name) const;
};

/// A timer in force: seconds, and the line that set it (absent: the default, described in `source`).
struct Timer {
  long long seconds = 0;
  std::optional<ConfigLine> line;
  std::string source;  ///< "rekey_time = 60s" as written, or "rand_time not set: defaults to over_time (6m)"
};

/// When one SA (the IKE SA or one CHILD SA) rekeys: at `rekey` minus up to `jitter` seconds, gone at `life`.
struct Rekey {
  std::string sa;     ///< "IKE_SA" or "CHILD_SA <name>"
  bool enabled = true;  ///< false when rekeying is off (rekey_time = 0, rekey = no)
  Timer rekey;
  Timer jitter;
  Timer life;
};

/// A certificate a connection names (local: its own; remote: the peer's, pinned), resolved to a file path.
struct CertRef {
  std::string path;   ///< resolved path (x509/ or ipsec.d/certs/ beside the config, --root for absolute ones)
  ConfigLine line;
  bool local = true;
};

/// One IKE connection of either format.
struct Connection {
  std::string name;
  ConfigLine at;
  Rekey ike;
  std::vector<Rekey> children;
  std::vector<CertRef> certs;
  std::optional<ConfigLine> proposals;  ///< swanctl `proposals` / ipsec.conf `ike`; absent: the built-in default
  std::optional<ConfigLine> version;    ///< swanctl `version` / ipsec.conf `keyexchange`; absent: IKEv2 allowed
};

/// One configuration file: which format, its connections, and certificates folders found beside it.
struct Config {
  std::string file;
  std::string format;                  ///< "swanctl" or "ipsec.conf"
  std::vector<Connection> connections;
  std::vector<std::string> notes;      ///< e.g. an include that matched no file
};

/// A parsed file, or why it could not be read.
struct Parsed {
  Config config;
  std::optional<ConfigError> error;
};

/// Parses swanctl.conf text (file names it; includes are read relative to it, absolute ones under root).
Parsed parse_swanctl(const std::string& file, std::string_view text, const std::string& root = "");
/// Parses ipsec.conf text (conn sections, also=, conn %default, include).
Parsed parse_ipsec(const std::string& file, std::string_view text, const std::string& root = "");
/// Reads the swanctl.conf section tree only (includes followed); notes get includes that matched nothing.
std::optional<ConfigError> read_sections(const std::string& file, std::string_view text, const std::string& root,
                                         Section& out, std::vector<std::string>* notes = nullptr);

/// "swanctl", "ipsec.conf" or "" from a file's name and text.
std::string detect(const std::string& path, std::string_view text);

/// "4h", "30m", "1d", "600s", "3600" -> seconds; nullopt when not a duration.
std::optional<long long> parse_duration(std::string_view text);

/// How the audit runs: the time it checks at, and how many days ahead an expiry is worth a warning.
struct AuditOptions {
  std::time_t now = 0;
  int days = 30;
};

/// Findings over every config read together (each file is one peer): ike.ikev2-simultaneous-rekey-after-cert-expiry
/// (both peers' certificates expire within one rekey window), ike.cert-expires-soon, ike.rekey-without-jitter.
std::vector<Finding> audit(const std::vector<Config>& configs, const AuditOptions& options);

}  // namespace sd::audit::strongswan
