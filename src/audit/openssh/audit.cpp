// Single-side OpenSSH hazards with known partners.
#include <fmt/format.h>

#include "audit/common/kb_finding.h"
#include "audit/openssh/offer.h"
#include "audit/openssh/openssh.h"
#include "audit/openssh/validate.h"

namespace sd::audit::openssh {
namespace {

std::string side_of(const Config& c) { return c.role == Role::server ? "server" : "client"; }

bool fact_on(const Facts& facts, const std::string& key) {
  const auto it = facts.find(key);
  if (it == facts.end()) return false;
  const auto v = lower(it->second);
  return v == "on" || v == "yes" || v == "true" || v == "1" || v == "enabled";
}

// AIX OpenSSH on an EFS-enabled host sends its keystore request unless the option says no (IBM technote 1074720).
std::optional<Finding> efs_keystore(const Config& c, const Facts& facts) {
  if (!fact_on(facts, "efs")) return std::nullopt;
  const auto line = c.global("AllowPKCS12KeystoreAutoOpen");
  if (line && lower(line->value) == "no") return std::nullopt;
  Finding f = finding_for("ssh.aix-efs-keystore-request", "AIX OpenSSH with EFS sends a keystore request", "");
  const auto side = side_of(c);
  f.evidence.push_back(line ? evidence_at(*line, side)
                            : evidence_default(c.file, "AllowPKCS12KeystoreAutoOpen", "yes (AIX OpenSSH)", side));
  f.evidence.push_back(Evidence{"", 0, "host fact: EFS is enabled (" + facts.at("efs") + ")", "", {}, side});
  f.change_side = side;
  const std::string summary =
      c.role == Role::server
          ? "Turn the keystore request off in sshd_config (before any Match block), then stopsrc -s sshd; startsrc -s sshd."
          : "Turn the keystore request off in ssh_config, before any Host block so that it applies to every host.";
  f.fixes.push_back(Fix{side, summary, line_diff(c.file, line ? line->text : "", "AllowPKCS12KeystoreAutoOpen no"),
                        "EFS keystores are no longer opened automatically at ssh login."});
  return f;
}

bool only_ed25519(const std::string& list) {
  bool any = false;
  for (std::string_view rest = list; !rest.empty();) {
    const auto comma = rest.find(',');
    const auto item = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (item.empty()) continue;
    if (item.find("ed25519") == std::string_view::npos) return false;
    any = true;
  }
  return any;
}

// An sshd that offers only Ed25519 host keys: OpenSSH before 6.5 (AIX 6.1 and 7.1 clients) cannot verify it.
std::optional<Finding> ed25519_only(const Config& c) {
  if (c.role != Role::server) return std::nullopt;
  std::optional<ConfigLine> line = c.global("HostKeyAlgorithms");
  if (line && !only_ed25519(line->value)) return std::nullopt;
  std::vector<ConfigLine> keys;
  for (const auto& e : c.entries)
    if (lower(e.line.key) == "hostkey" && e.block.empty()) keys.push_back(e.line);
  if (!line) {
    if (keys.empty()) return std::nullopt;
    for (const auto& k : keys)
      if (k.value.find("ed25519") == std::string::npos) return std::nullopt;
  }
  Finding f = finding_for("ssh.no-matching-host-key", "No host key algorithm in common", "");
  f.cause = "This sshd offers only Ed25519 host keys. Ed25519 arrived in OpenSSH 6.5; older clients, such as the "
            "OpenSSH 6.0 shipped with AIX 6.1 and 7.1, offer no algorithm this server can use and fail with "
            "\"no matching host key type found\". " + f.cause;
  f.evidence.push_back(evidence_at(line ? *line : keys.front(), "server"));
  f.change_side = "server";
  const auto new_line = line ? "HostKeyAlgorithms " + line->value + ",rsa-sha2-512,rsa-sha2-256,ecdsa-sha2-nistp256"
                             : "HostKey /etc/ssh/ssh_host_rsa_key";
  f.fixes.push_back(Fix{"server", "Also offer an RSA (or ECDSA) host key, then restart sshd.",
                        line_diff(line ? line->file : keys.front().file, line ? line->text : "", new_line),
                        "None: RSA with SHA-2 signatures remains strong."});
  f.fixes.push_back(Fix{"client", "Bring the old clients to OpenSSH 6.5 or later (on AIX, a current openssh.base).",
                        "", ""});
  return f;
}

// What the other known versions make of a file the chosen one refuses (or accepts), for the finding's cause.
std::string other_versions(const Config& c, const Verdict& chosen, const std::string& platform) {
  std::string out;
  for (const auto& version : validated_versions()) {
    if (version == chosen.version) continue;
    const bool refused = validate(c, version, platform).refused;
    if (refused != chosen.refused)
      out += fmt::format(" OpenSSH {}'s {} {} it.", version, chosen.program, refused ? "would refuse" : "accepts");
  }
  return out;
}

// sshd -t / ssh -G's verdict on the file, with the version the facts name (9.2 when none).
std::vector<Finding> validation(const Config& c, const Facts& facts) {
  std::vector<std::string> notes;
  const auto program = c.role == Role::server ? "sshd" : "ssh";
  const auto platform = facts.contains("platform") ? facts.at("platform") : std::string();
  const Verdict v = validate(c, chosen_version(facts, program, notes), platform);
  auto found = verdict_findings(c, v);
  const auto others = other_versions(c, v, platform);
  if (!found.empty() && found.front().id == "ssh.config-rejected") found.front().cause += others;
  return found;
}

}  // namespace

std::vector<Finding> audit(const Config& c, const Facts& facts) {
  std::vector<Finding> out = validation(c, facts);
  for (auto f : {efs_keystore(c, facts), ed25519_only(c)})
    if (f) out.push_back(std::move(*f));
  return out;
}

}  // namespace sd::audit::openssh
