// Pair audit of two strongSwan configurations: each client connection initiates with its effective proposals to
// the server's first IKEv2 connection; predicted with the probe's predict(), plus the INVALID_KE_PAYLOAD round.
#include <fmt/format.h>

#include <algorithm>

#include "audit/common/kb_finding.h"
#include "audit/strongswan/ike.h"
#include "audit/strongswan/internal.h"
#include "wire/ike/registry.h"
#include "wire/ike/write.h"

namespace sd::audit::strongswan {
namespace {

using probe::ike::GatewayFacts;
using probe::ike::PeerProfile;

std::optional<ConfigError> read_side(const std::vector<std::string>& files, const Options& o,
                                     std::vector<Config>& out) {
  for (const auto& path : files) {
    const auto text = read_config_file(path);
    if (text.error) return text.error;
    const auto kind = detect(path, text.text);
    if (kind.empty()) return ConfigError{path, 0, "not a strongSwan configuration (swanctl.conf or ipsec.conf)"};
    auto p = kind == "swanctl" ? parse_swanctl(path, text.text, o.root) : parse_ipsec(path, text.text, o.root);
    if (p.error) return p.error;
    out.push_back(std::move(p.config));
  }
  return std::nullopt;
}

/// A configured connection with its effective proposals.
struct End {
  const Config* cfg = nullptr;
  const Connection* conn = nullptr;
  Effective effective;
};

std::vector<End> ikev2_ends(const std::vector<Config>& configs) {
  std::vector<End> out;
  for (const auto& cfg : configs)
    for (const auto& conn : cfg.connections) {
      auto e = effective(conn, cfg.format);
      if (!e.ikev1_only) out.push_back(End{&cfg, &conn, std::move(e)});
    }
  return out;
}

/// The end as an initiator profile (its proposals in order), so predict() reads it like a built-in profile.
PeerProfile as_profile(const End& end) {
  return PeerProfile{"connection " + end.conn->name, fmt::format("{} connection {}", end.cfg->file, end.conn->name),
                     "strongSwan", "", end.effective.origin, "", end.effective.proposals};
}

/// The first KE group of the initiator's first proposal: the KE payload charon sends in IKE_SA_INIT.
std::optional<std::uint16_t> first_group(const Effective& e) {
  for (const auto& proposal : e.proposals)
    for (const auto& name : proposal)
      if (const auto t = sd::ike::transform_named(name); t && t->type == 4) return t->id;
  return std::nullopt;
}

/// The group a responder that prefers its configured order picks among those the initiator offers.
std::optional<std::uint16_t> picked_group(const GatewayFacts& server, const Effective& client) {
  const GatewayFacts offered = responder_facts(client);
  for (const auto g : server.groups)
    if (std::find(offered.groups.begin(), offered.groups.end(), g) != offered.groups.end()) return g;
  return std::nullopt;
}

Finding invalid_ke(const End& client, const End& server, std::uint16_t sent, std::uint16_t wanted) {
  const auto sent_name = sd::ike::dh_group_label(sent);
  const auto wanted_name = sd::ike::dh_group_label(wanted);
  Finding f = finding_for("ike.invalid-ke-payload", "An INVALID_KE_PAYLOAD round before the IKE SA is set up", "");
  f.severity = Severity::low;
  f.title = fmt::format("{} → {}: INVALID_KE_PAYLOAD round ({} sent, {} wanted)", client.conn->name,
                        server.conn->name, sent_name, wanted_name);
  f.cause = fmt::format(
      "The initiator sends its key exchange for {} (the first group of its first proposal); the responder prefers "
      "{} among the groups offered and answers INVALID_KE_PAYLOAD, so IKE_SA_INIT is sent twice. It establishes, "
      "one round trip later.",
      sent_name, wanted_name);
  f.change_side = "client";
  const auto kw = keyword_for(wanted_name);
  if (!kw.empty())
    f.fixes.push_back(Fix{"client", fmt::format("Put {} first among the initiator's groups.", kw), "", ""});
  f.evidence.push_back(proposals_evidence(*client.cfg, *client.conn, "client"));
  f.evidence.push_back(proposals_evidence(*server.cfg, *server.conn, "server"));
  return f;
}

Finding no_proposal(const End& client, const End& server, const PeerProfile& profile,
                    const probe::ike::Prediction& prediction) {
  Finding f = probe::ike::prediction_finding(profile, prediction, conn_source(*server.cfg, *server.conn));
  f.fixes.clear();
  const auto for_server = keyword_proposal(profile);
  if (!for_server.empty())
    f.fixes.push_back(Fix{"server", "Accept a proposal the initiator offers.",
                          proposals_diff(server.conn->proposals ? server.conn->proposals->file : server.cfg->file,
                                         server.cfg->format, server.conn->proposals, for_server),
                          ""});
  const auto for_client = keyword_proposal(as_profile(server));
  if (!for_client.empty())
    f.fixes.push_back(Fix{"client", "Offer a proposal the responder accepts.",
                          proposals_diff(client.conn->proposals ? client.conn->proposals->file : client.cfg->file,
                                         client.cfg->format, client.conn->proposals, for_client),
                          ""});
  f.evidence.clear();
  f.evidence.push_back(proposals_evidence(*client.cfg, *client.conn, "client"));
  f.evidence.push_back(proposals_evidence(*server.cfg, *server.conn, "server"));
  return f;
}

/// One client connection against the server: its prediction field, and a finding when something goes wrong.
Field predict_end(const End& client, const End& server, const GatewayFacts& facts, std::vector<Finding>& findings) {
  const PeerProfile profile = as_profile(client);
  const auto prediction = probe::ike::predict(profile, facts);
  Field f = leaf("connection", client.conn->name);
  f.add(leaf("prediction", prediction.text));
  f.add(leaf("proposals", client.effective.origin));
  if (!prediction.establishes) {
    findings.push_back(no_proposal(client, server, profile, prediction));
    return f;
  }
  const auto sent = first_group(client.effective);
  const auto wanted = picked_group(facts, client.effective);
  if (sent && wanted && *sent != *wanted) {
    f.add(leaf("invalid_ke_round", fmt::format("yes: {} sent, {} wanted", sd::ike::dh_group_label(*sent),
                                               sd::ike::dh_group_label(*wanted))));
    findings.push_back(invalid_ke(client, server, *sent, *wanted));
  } else {
    f.add(leaf("invalid_ke_round", "no"));
  }
  return f;
}

}  // namespace

bool all_strongswan(const std::vector<std::string>& files) {
  return !files.empty() && std::all_of(files.begin(), files.end(), [](const std::string& path) {
    const auto text = read_config_file(path);
    return !text.error && !detect(path, text.text).empty();
  });
}

PairOutcome run_ike_pair(const std::vector<std::string>& client_files, const std::vector<std::string>& server_files,
                         const Options& options) {
  PairOutcome out;
  std::vector<Config> clients, servers;
  if ((out.error = read_side(client_files, options, clients))) return out;
  if ((out.error = read_side(server_files, options, servers))) return out;
  const auto initiators = ikev2_ends(clients);
  const auto responders = ikev2_ends(servers);
  if (initiators.empty() || responders.empty()) {
    out.error = ConfigError{(initiators.empty() ? client_files : server_files).front(), 0,
                            "no IKEv2 connection in this side's strongSwan configuration"};
    return out;
  }
  const End& server = responders.front();
  if (responders.size() > 1)
    out.notes.push_back(fmt::format("The server has {} IKEv2 connections; {} is taken as the responder (charon picks "
                                    "by local_addrs/remote_addrs).",
                                    responders.size(), server.conn->name));
  const GatewayFacts facts = responder_facts(server.effective);
  const auto source = conn_source(*server.cfg, *server.conn);
  out.sections.push_back(facts_section(facts, server.effective, source));
  report::Section s;
  s.kind = "prediction";
  s.title = "IKEv2: the client's connections against the server";
  s.source = source;
  for (const auto& client : initiators) s.fields.push_back(predict_end(client, server, facts, out.findings));
  out.sections.push_back(std::move(s));
  return out;
}

}  // namespace sd::audit::strongswan
