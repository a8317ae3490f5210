// Cross-check with reality (issue 7, IKE): charon is started with a swanctl.conf, then
// `shakedown audit --format json` reads that exact file and `shakedown probe --format json ike://…` tests the
// running charon. Both reports carry the section "IKEv2 peer profiles against this responder" (kind
// "prediction") with one field per IKEv2 peer profile, both made by the same predict(): the verdict
// (establishes / fails) and the chosen transforms must be equal for every profile, and so must the transforms
// the audit derives from the proposals and those the probe enumerated. The proposal sets are those of the probe's
// live tests (test_probe_ike.cpp) and of servers.h's IkeConn default.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "harness.h"
#include "servers.h"
#include "shakedown_cli.h"

namespace sd::peers {
namespace {

/// One profile's prediction: the verdict, the transforms it establishes with, and the whole line.
struct ProfileVerdict {
  std::string verdict;  // establishes or fails
  std::string chosen;   // "ENCR_AES_CBC/128 PRF_HMAC_SHA2_256 …" when it establishes
  std::string line;
};

using Verdicts = std::map<std::string, ProfileVerdict>;
/// Field name ("encryption", "prf", "integrity", "dh_groups") -> the transform labels listed under it.
using Accepted = std::map<std::string, std::set<std::string>>;

ProfileVerdict verdict_of(const std::string& prediction) {
  const bool ok = prediction.starts_with("establishes");
  const auto colon = prediction.find(": ");
  return {ok ? "establishes" : "fails", ok && colon != std::string::npos ? prediction.substr(colon + 2) : "",
          prediction};
}

Verdicts verdicts_of(const std::string& json_text) {
  Verdicts out;
  for (const auto& s : sections_of(json_text)) {
    if (s.value("kind", "") != "prediction" || s.value("title", "") != "IKEv2 peer profiles against this responder")
      continue;
    for (const auto& f : s.value("fields", nlohmann::json::array()))
      out[f.value("value", "")] = verdict_of(child_value(f, "prediction"));
  }
  return out;
}

Accepted accepted_of(const std::string& json_text) {
  Accepted out;
  for (const auto& s : sections_of(json_text)) {
    if (s.value("title", "") != "IKEv2 IKE_SA_INIT: what the responder accepts") continue;
    for (const auto& f : s.value("fields", nlohmann::json::array())) {
      const auto name = f.value("name", "");
      if (name != "encryption" && name != "prf" && name != "integrity" && name != "dh_groups") continue;
      auto& set = out[name];
      for (const auto& c : f.value("children", nlohmann::json::array())) set.insert(c.value("value", ""));
    }
  }
  return out;
}

/// A responder-only charon in a private /run on a free UDP port pair, throttling switched off so that the probe's
/// many half-open IKE SAs are all answered.
struct Charon {
  fs::path swanctl_conf;
  std::uint16_t port = 0;
  std::unique_ptr<Process> process;
};

std::string swanctl_text(const std::string& proposals) {
  return "connections {\n  resp {\n    version = 2\n    proposals = " + proposals +
         "\n    local {\n      auth = psk\n      id = resp.example\n    }\n"
         "    remote {\n      auth = psk\n      id = init.example\n    }\n"
         "    children {\n      c {\n        esp_proposals = aes256-sha256\n      }\n    }\n  }\n}\n"
         "secrets {\n  ike-1 {\n    id-1 = init.example\n    id-2 = resp.example\n    secret = live-secret\n  }\n}\n";
}

std::optional<Charon> start_responder(const TempDir& dir, const std::string& proposals) {
  if (geteuid() != 0 || !fs::exists("/usr/lib/ipsec/charon") || !fs::exists("/usr/sbin/swanctl")) return std::nullopt;
  Charon c;
  c.port = free_port_range(2, true);
  const fs::path vici = dir / "charon.vici";
  const fs::path conf = dir / "strongswan.conf";
  write_text(conf, "charon {\n  port = " + std::to_string(c.port) + "\n  port_nat_t = " + std::to_string(c.port + 1) +
                       "\n  block_threshold = 1000\n  cookie_threshold = 1000\n  cookie_threshold_ip = 1000\n"
                       "  load = random nonce aes sha1 sha2 hmac gmp curve25519 x509 pem pkcs1 pubkey openssl kdf "
                       "kernel-netlink socket-default vici\n"
                       "  plugins {\n    vici {\n      socket = unix://" +
                       vici.string() + "\n    }\n  }\n}\n");
  c.swanctl_conf = dir / "swanctl.conf";
  write_text(c.swanctl_conf, swanctl_text(proposals));
  c.process = std::make_unique<Process>(Launch{.argv = {"/usr/lib/ipsec/charon"},
                                               .env = {"STRONGSWAN_CONF=" + conf.string()},
                                               .output = dir / "charon.out",
                                               .private_run = dir.subdir("run")});
  if (!wait_exists(vici, milliseconds(10000))) return std::nullopt;
  const Launch load{.argv = {"/usr/sbin/swanctl", "--load-all", "--noprompt", "--file", c.swanctl_conf.string(),
                             "--uri", "unix://" + vici.string()},
                    .output = dir / "swanctl-load.out"};
  if (run(load, milliseconds(20000)) != 0) return std::nullopt;
  return c;
}

#define SD_NEED_CHARON(c) \
  SD_NEED_PEER_OR_SKIP(c, "charon did not start", "needs root and strongSwan charon/swanctl")

/// Both sides' predictions and accepted transforms for one running charon.
struct CrossCheck {
  Verdicts audit, probe;
  Accepted audit_accepts, probe_accepts;
};

CrossCheck run_both(const TempDir& dir, const Charon& charon) {
  const auto url = "ike://127.0.0.1:" + std::to_string(charon.port);
  const CliRun audit = shakedown(dir, "audit", {"audit", "--format", "json", charon.swanctl_conf.string()});
  const CliRun probe = shakedown(dir, "probe", {"probe", "--format", "json", url});
  EXPECT_TRUE(reported(audit)) << "audit exit code " << audit.exit_code << ": " << audit.err;
  EXPECT_TRUE(reported(probe)) << "probe exit code " << probe.exit_code << ": " << probe.err;
  return {verdicts_of(audit.out), verdicts_of(probe.out), accepted_of(audit.out), accepted_of(probe.out)};
}

/// True when every transform the probe found is one the audit derived.
bool probe_within_audit(const CrossCheck& c) {
  for (const auto& [kind, found] : c.probe_accepts)
    for (const auto& t : found)
      if (!c.audit_accepts.contains(kind) || !c.audit_accepts.at(kind).contains(t)) return false;
  return !c.probe_accepts.empty();
}

/// Asserts the same verdict and chosen transforms for every profile, and the same accepted transforms (or, when
/// the configuration names transforms the probe never offers, those found within those derived); returns how many
/// profiles were compared.
std::size_t expect_agreement(const CrossCheck& c, bool same_transforms = true) {
  const std::size_t compared =
      compare_profiles(c.audit, c.probe, [](const std::string& id, const ProfileVerdict& a, const ProfileVerdict& p) {
        const std::string both = "\n  audit: " + a.line + "\n  probe: " + p.line;
        EXPECT_EQ(a.verdict, p.verdict) << id << both;
        EXPECT_EQ(a.chosen, p.chosen) << id << both;
        return true;
      });
  if (same_transforms)
    EXPECT_EQ(c.audit_accepts, c.probe_accepts) << "the transforms the audit derives differ from those the probe found";
  else
    EXPECT_TRUE(probe_within_audit(c)) << "the probe found a transform the audit does not derive";
  return compared;
}

// The peer profiles committed with this test (AWS, Azure, strongSwan default, Windows); more may be added.
constexpr std::size_t kAtLeast = 4;

CrossCheck checked(const std::string& name, const std::string& proposals, bool& started) {
  TempDir dir("xcheck-ike-" + name);
  const auto charon = start_responder(dir, proposals);
  started = charon.has_value();
  if (!started) return {};
  return run_both(dir, *charon);
}

TEST(AuditCrossCheckIke, CbcProposalWithTwoOfEachKind) {
  bool started = false;
  const auto c = checked("cbc", "aes256-aes128-sha256-sha1-modp2048-ecp256", started);
  SD_NEED_CHARON(started);
  EXPECT_GE(expect_agreement(c), kAtLeast);
  // charon as responder picks in its configured order (prefer_configured_proposals): a charon initiating with
  // proposals = default to this responder logs "selected proposal: IKE:AES_CBC_256/HMAC_SHA2_256_128/
  // PRF_HMAC_SHA2_256/MODP_2048" (AuditCrossCheckIkePair.OtherFirstGroupCostsAnInvalidKeRoundOnBothSides).
  EXPECT_EQ(c.audit.at("strongswan-5.9-default").chosen,
            "ENCR_AES_CBC/256 PRF_HMAC_SHA2_256 AUTH_HMAC_SHA2_256_128 MODP_2048");
  EXPECT_EQ(c.audit.at("windows-ikev2-client-default").verdict, "fails");
  EXPECT_EQ(c.audit_accepts.at("dh_groups"), (std::set<std::string>{"MODP_2048", "ECP_256"}));
}

TEST(AuditCrossCheckIke, AeadProposalWithExplicitPrf) {
  bool started = false;
  const auto c = checked("aead", "aes128gcm16-prfsha384-x25519", started);
  SD_NEED_CHARON(started);
  EXPECT_GE(expect_agreement(c), kAtLeast);
  EXPECT_EQ(c.audit.at("strongswan-5.9-default").chosen, "ENCR_AES_GCM_16/128 PRF_HMAC_SHA2_384 CURVE25519");
  EXPECT_TRUE(c.audit_accepts.at("integrity").empty());
}

TEST(AuditCrossCheckIke, LiveTestDefaultProposal) {
  bool started = false;
  const auto c = checked("x25519", "aes256-sha256-x25519", started);
  SD_NEED_CHARON(started);
  EXPECT_GE(expect_agreement(c), kAtLeast);
  // charon as responder picks in its configured order (prefer_configured_proposals): a charon initiating with
  // proposals = default to this responder logs "selected proposal: IKE:AES_CBC_256/HMAC_SHA2_256_128/
  // PRF_HMAC_SHA2_256/MODP_2048" (AuditCrossCheckIkePair.OtherFirstGroupCostsAnInvalidKeRoundOnBothSides).
  EXPECT_EQ(c.audit.at("strongswan-5.9-default").chosen,
            "ENCR_AES_CBC/256 PRF_HMAC_SHA2_256 AUTH_HMAC_SHA2_256_128 CURVE25519");
  EXPECT_EQ(c.audit.at("azure-vpn-gateway-default").verdict, "fails");
}

// proposals = default: the audit expands it from the captured default profile; the probe never offers some of
// its transforms (CAMELLIA, AES-CTR/192, GCM with 8/12-byte ICV, CCM/128, …), so only the found ones are compared.
TEST(AuditCrossCheckIke, StrongswanDefaultProposals) {
  bool started = false;
  const auto c = checked("default", "default", started);
  SD_NEED_CHARON(started);
  EXPECT_GE(expect_agreement(c, false), kAtLeast);
  EXPECT_EQ(c.audit.at("windows-ikev2-client-default").verdict, "fails");
  EXPECT_EQ(c.audit.at("aws-site-to-site-vpn-default").verdict, "establishes");
}

// The pair audit against charon initiating to charon (servers.h: a on 127.0.0.1 initiates to b on 127.0.0.2):
// `audit --client swanctl-a.conf --server swanctl-b.conf` on the exact files the two daemons loaded. Only the IKE
// SA is compared (IKE_SA_INIT is what the audit predicts): the CHILD_SA of servers.h's template may still fail.
struct PairRun {
  int initiate_exit = -1;
  std::string initiator_log;
  std::set<std::string> audit_ids;
  std::string audit_json;
};

PairRun pair_run(const std::string& name, const std::string& a_proposals, const std::string& b_proposals) {
  TempDir dir("xcheck-ike-pair-" + name);
  const IkeEnd a = start_charon(dir, "a", "127.0.0.1", free_port_range(2, true));
  const IkeEnd b = start_charon(dir, "b", "127.0.0.2", free_port_range(2, true), &a);
  IkeConn ca{.proposals = a_proposals, .local_id = "a.test", .remote_id = "b.test"};
  IkeConn cb{.proposals = b_proposals, .local_id = "b.test", .remote_id = "a.test"};
  if (!load_conn(dir, a, b, ca) || !load_conn(dir, b, a, cb)) throw std::runtime_error("swanctl --load-all failed");
  PairRun r;
  const CliRun audit = shakedown(dir, "pair", {"audit", "--format", "json", "--client",
                                              (dir / "swanctl-a.conf").string(), "--server",
                                              (dir / "swanctl-b.conf").string()});
  EXPECT_TRUE(reported(audit)) << "audit exit code " << audit.exit_code << ": " << audit.err;
  r.audit_json = audit.out;
  const auto report = nlohmann::json::parse(r.audit_json, nullptr, false);
  if (!report.is_discarded())
    for (const auto& f : report.value("findings", nlohmann::json::array())) r.audit_ids.insert(f.value("id", ""));
  r.initiate_exit = initiate(a, dir / "swanctl-initiate.log");
  r.initiator_log = read_text(a.server.log);
  return r;
}

bool charon_available() { return geteuid() == 0 && fs::exists("/usr/lib/ipsec/charon"); }

TEST(AuditCrossCheckIkePair, MismatchIsNoProposalChosenOnBothSides) {
  SD_NEED_CHARON(charon_available());
  const auto r = pair_run("mismatch", "aes128-sha256-modp3072", "aes256gcm16-prfsha384-ecp384");
  EXPECT_NE(r.initiate_exit, 0);
  EXPECT_NE(r.initiator_log.find("received NO_PROPOSAL_CHOSEN notify error"), std::string::npos) << r.initiator_log;
  EXPECT_EQ(r.audit_ids, (std::set<std::string>{"ike.no-proposal-chosen"})) << r.audit_json;
}

TEST(AuditCrossCheckIkePair, OtherFirstGroupCostsAnInvalidKeRoundOnBothSides) {
  SD_NEED_CHARON(charon_available());
  const auto r = pair_run("invalid-ke", "aes256-sha256-x25519-modp2048", "aes256-sha256-modp2048");
  EXPECT_NE(r.initiator_log.find("IKE_SA t[1] established"), std::string::npos) << r.initiator_log;
  EXPECT_NE(r.initiator_log.find("parsed IKE_SA_INIT response 0 [ N(INVAL_KE) ]"), std::string::npos)
      << r.initiator_log;
  EXPECT_NE(r.initiator_log.find("selected proposal: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048"),
            std::string::npos)
      << r.initiator_log;
  EXPECT_EQ(r.audit_ids, (std::set<std::string>{"ike.invalid-ke-payload"})) << r.audit_json;
  EXPECT_NE(r.audit_json.find("CURVE25519 sent, MODP_2048 wanted"), std::string::npos) << r.audit_json;
}

TEST(AuditCrossCheckIkePair, SameFirstGroupEstablishesWithoutFindings) {
  SD_NEED_CHARON(charon_available());
  const auto r = pair_run("match", "aes256-sha256-modp2048", "default");
  EXPECT_NE(r.initiator_log.find("IKE_SA t[1] established"), std::string::npos) << r.initiator_log;
  EXPECT_EQ(r.initiator_log.find("N(INVAL_KE)"), std::string::npos) << r.initiator_log;
  EXPECT_TRUE(r.audit_ids.empty()) << r.audit_json;
}

}  // namespace
}  // namespace sd::peers
