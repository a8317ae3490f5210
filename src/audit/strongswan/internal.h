// Shared by the strongSwan readers and the audit; internal to src/audit/strongswan.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "audit/strongswan/strongswan.h"
#include "ikeprofiles/profiles.h"
#include "report/report.h"

namespace sd::audit::strongswan {

/// Where a file named in a config lives: an absolute name under root, a relative one in subdir beside the config.
std::filesystem::path resolve(const std::string& config_file, const std::string& name, const std::string& root,
                              const std::string& subdir);

/// Calls fn for every line of text with its 1-based number; stops at the first error (or a line with a NUL byte).
std::optional<ConfigError> each_line(
    const std::string& file, std::string_view text,
    const std::function<std::optional<ConfigError>(std::size_t number, std::string_view raw)>& fn);

struct Effective;

/// The responder facts as the probe's facts section lays them out (same field names), kind "audit".
report::Section facts_section(const probe::ike::GatewayFacts& facts, const Effective& e, const std::string& source);
/// One keyword proposal ("aes256-sha1-prfsha1-modp1024") with the first transform of each type of the profile's
/// first proposal; "" when none has a keyword.
std::string keyword_proposal(const probe::ike::PeerProfile& profile);
/// The proposals line (swanctl) or ike line (ipsec.conf) with one more proposal, as a diff of the file.
std::string proposals_diff(const std::string& file, const std::string& format, const std::optional<ConfigLine>& line,
                           const std::string& extra);
/// Evidence for the proposals in force: the line, or the absent setting and its default.
Evidence proposals_evidence(const Config& cfg, const Connection& conn, const std::string& side);
/// "audit FILE connection NAME", for titles and sources.
std::string conn_source(const Config& cfg, const Connection& conn);

}  // namespace sd::audit::strongswan
