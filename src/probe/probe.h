// The probe interface: a URL scheme maps to one probe kind; each kind fills the shared report model.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "report/report.h"

namespace sd::probe {

/// A parsed target URL: scheme://host[:port][/path]. IPv6 literals come without brackets.
struct Url {
  std::string scheme;
  std::string host;
  std::uint16_t port = 0;  ///< the default port of the scheme when the URL gave none
  std::string path;
  std::string text;        ///< the URL as given
};

/// What the user asked of a probe run. Secrets are never stored here: only where to read them from.
struct ProbeOptions {
  std::string sni;                        ///< --sni; empty means the host name when it is not an address
  std::vector<std::string> profiles;      ///< --as; empty means every profile of the protocol
  unsigned max_connections = 160;         ///< --max-connections: hard cap for the whole run
  unsigned per_target_budget = 4;         ///< --budget: connections open at once to one target
  std::chrono::milliseconds min_interval{0};   ///< --rate-ms: least time between two connection starts
  std::chrono::milliseconds timeout{5000};     ///< --timeout-ms: each connect, read and write
  std::string user;                       ///< --user, for FTPS data-channel and SSH authenticated probes
  std::string password_env;               ///< --password-env: name of the environment variable holding it
  std::string password_file;              ///< --password-file: file whose first line is it
  std::string key_file;                   ///< --key-file: SSH private key
  std::vector<std::string> what_if;       ///< --what-if: server changes whose effect on the profiles is predicted
};

/// One kind of probe, chosen by URL scheme.
struct ProbeKind {
  std::string_view scheme;          ///< "tls", "ftps", "ssh", "ike" …
  std::uint16_t default_port;
  std::string_view description;     ///< one line for --help and the man page
  /// Runs the probe and fills the report. Returns false with `error` set when the target cannot be probed at all
  /// (a usage-level problem such as an unknown profile); network failures are outcomes in the report, not errors.
  bool (*run)(const Url& url, const ProbeOptions& options, report::Report& out, std::string& error);
};

/// Every probe kind, one row each (registry.cpp).
std::span<const ProbeKind> probe_kinds();
/// The kind for a scheme, or nullptr.
const ProbeKind* find_probe(std::string_view scheme);
/// Parses a target URL; nullopt with `error` set when it is malformed or the scheme is unknown.
std::optional<Url> parse_url(std::string_view text, std::string& error);

}  // namespace sd::probe
