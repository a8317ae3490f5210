// Client-side algorithm negotiation per profile, the client's failure message, and the fixes on each side.
#include "sshprofiles/predict.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <sstream>

#include "core/field.h"
#include "kb/rule.h"
#include "wire/ssh/registry.h"
#include "wire/ssh/transcript.h"

namespace sd::probe::ssh {
namespace {

namespace wire = sd::ssh;

// One step of negotiation: the list it reads on each side and how clients name its direction.
struct StepInfo {
  std::string_view step;
  AlgoKind kind;
  wire::KexList list;
  std::string_view direction;  // PuTTY's words
  std::string_view arrow;      // libssh's words
};

constexpr std::array<StepInfo, 8> kSteps = {{
    {"kex", AlgoKind::kex, wire::KexList::kex, "", ""},
    {"host_key", AlgoKind::host_key, wire::KexList::host_key, "", ""},
    {"cipher_c2s", AlgoKind::cipher, wire::KexList::cipher_c2s, "client-to-server", "client->server"},
    {"cipher_s2c", AlgoKind::cipher, wire::KexList::cipher_s2c, "server-to-client", "server->client"},
    {"mac_c2s", AlgoKind::mac, wire::KexList::mac_c2s, "client-to-server", "client->server"},
    {"mac_s2c", AlgoKind::mac, wire::KexList::mac_s2c, "server-to-client", "server->client"},
    {"compression_c2s", AlgoKind::compression, wire::KexList::compression_c2s, "client-to-server", "client->server"},
    {"compression_s2c", AlgoKind::compression, wire::KexList::compression_s2c, "server-to-client", "server->client"},
}};

constexpr std::string_view kDefaultOrder = "kex host_key cipher_c2s cipher_s2c mac_c2s mac_s2c compression_c2s compression_s2c";
constexpr std::string_view kImplicit = "<implicit>";

const StepInfo* step_info(std::string_view step) {
  const auto it = std::find_if(kSteps.begin(), kSteps.end(), [&](const StepInfo& s) { return s.step == step; });
  return it == kSteps.end() ? nullptr : &*it;
}

std::vector<const StepInfo*> check_order(const std::string& style) {
  const StyleRow* row = find_style(style, "order");
  std::istringstream words(row != nullptr ? row->message : std::string(kDefaultOrder));
  std::vector<const StepInfo*> order;
  for (std::string word; words >> word;)
    if (const StepInfo* s = step_info(word)) order.push_back(s);
  return order;
}

std::string join(const std::vector<std::string>& names) { return fmt::format("{}", fmt::join(names, ",")); }

bool is_marker(std::string_view name) {
  const auto* row = wire::find_algorithm(name, "kex");
  return row != nullptr && row->strength == "marker";
}

std::vector<std::string> without_markers(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& n : names)
    if (!is_marker(n)) out.push_back(n);
  return out;
}

bool has(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// RFC 4253 §7.1: the first algorithm on the client's list that is also on the server's (markers never count).
std::string first_common(const std::vector<std::string>& client, const wire::Names& server) {
  const wire::Names offered{.value = client};
  return wire::first_match(offered, server).value_or(std::string());
}

// chacha20-poly1305@openssh.com and the aes-gcm@openssh.com ciphers carry their own integrity: no MAC is chosen.
bool makes_mac_implicit(std::string_view cipher) {
  const auto* row = wire::find_algorithm(cipher, "cipher");
  return row != nullptr && row->family == "aead" && cipher.find("@openssh.com") != std::string_view::npos;
}

std::string replace_all(std::string text, std::string_view key, std::string_view value) {
  for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
    text.replace(at, key.size(), value);
  return text;
}

std::vector<std::string> client_offer(const ClientProfile& p, AlgoKind kind) {
  std::vector<std::string> names = p.list(kind);
  if (kind == AlgoKind::kex) names.insert(names.end(), p.markers.begin(), p.markers.end());
  return names;
}

std::string failure_message(const ClientProfile& p, const StepInfo& step, const wire::Kexinit& server,
                            const Endpoint& where) {
  const StyleRow* row = find_style(p.style, to_string(step.kind));
  std::string text = row != nullptr ? row->message : "no common {kind}; server offers {offer}";
  text = replace_all(std::move(text), "{host}", where.host);
  text = replace_all(std::move(text), "{port}", std::to_string(where.port));
  text = replace_all(std::move(text), "{offer}", join(server.list(step.list).value));
  text = replace_all(std::move(text), "{client}", join(client_offer(p, step.kind)));
  text = replace_all(std::move(text), "{direction}", step.direction);
  text = replace_all(std::move(text), "{arrow}", step.arrow);
  return replace_all(std::move(text), "{kind}", to_string(step.kind));
}

std::string_view kind_words(AlgoKind kind) {
  switch (kind) {
    case AlgoKind::kex: return "key exchange method";
    case AlgoKind::host_key: return "host key algorithm";
    case AlgoKind::cipher: return "cipher";
    case AlgoKind::mac: return "MAC";
    case AlgoKind::compression: return "compression method";
  }
  return "algorithm";
}

// The security cost of enabling a name, from the registry's strength and notes.
std::string cost_of(std::string_view name, AlgoKind kind) {
  const auto* row = wire::find_algorithm(name, registry_kind(kind));
  if (row == nullptr) return fmt::format("{} is not in the algorithm registry: check it before relying on it", name);
  if (row->strength == "ok") return fmt::format("none known: {} is a current algorithm", name);
  if (row->strength == "caution") return fmt::format("{} is on its way out ({})", name, row->notes);
  return fmt::format("{} is {} ({}); allow it only for this peer and plan to retire it", name, row->strength,
                     row->notes);
}

int strength_rank(std::string_view name, AlgoKind kind) {
  const auto* row = wire::find_algorithm(name, registry_kind(kind));
  if (row == nullptr) return 3;
  if (row->strength == "ok") return 0;
  if (row->strength == "caution") return 1;
  return 2;
}

// The client's strongest name (its own order breaks ties): what the server is asked to add.
std::string best_for_server(const std::vector<std::string>& client, AlgoKind kind) {
  std::string best;
  for (const auto& name : client)
    if (best.empty() || strength_rank(name, kind) < strength_rank(best, kind)) best = name;
  return best;
}

// The server's first name that the client supports without offering it by default.
std::string enable_on_client(const ClientProfile& p, const std::vector<std::string>& server) {
  for (const auto& name : server)
    if (has(p.optional, name)) return name;
  return {};
}

bool server_has_rsa_key(const std::vector<std::string>& server) {
  return has(server, "rsa-sha2-256") || has(server, "rsa-sha2-512") || has(server, "ssh-rsa");
}

std::string keygen_for(std::string_view host_key) {
  if (host_key == "ssh-ed25519") return "ssh-keygen -t ed25519 -f /etc/ssh/ssh_host_ed25519_key -N ''";
  if (host_key.rfind("ecdsa-sha2-nistp", 0) == 0)
    return fmt::format("ssh-keygen -t ecdsa -b {} -f /etc/ssh/ssh_host_ecdsa_key -N ''", host_key.substr(16));
  if (host_key == "ssh-dss") return "ssh-keygen -t dsa -f /etc/ssh/ssh_host_dsa_key -N ''";
  return "ssh-keygen -t rsa -b 3072 -f /etc/ssh/ssh_host_rsa_key -N ''";
}

std::string key_file_for(std::string_view host_key) {
  if (host_key == "ssh-ed25519") return "/etc/ssh/ssh_host_ed25519_key";
  if (host_key.rfind("ecdsa-", 0) == 0) return "/etc/ssh/ssh_host_ecdsa_key";
  if (host_key == "ssh-dss") return "/etc/ssh/ssh_host_dsa_key";
  return "/etc/ssh/ssh_host_rsa_key";
}

Fix server_host_key_fix(const std::string& name, const std::vector<std::string>& server) {
  const bool sha1 = name == "ssh-rsa" || name == "ssh-dss";
  const std::string allow = sha1 ? fmt::format("HostKeyAlgorithms +{}\n", name) : "";
  if (name == "ssh-rsa" && server_has_rsa_key(server))
    return Fix{"server", "The server has an RSA host key but no longer signs with ssh-rsa (SHA-1): allow it again.",
               "# /etc/ssh/sshd_config\n" + allow, cost_of(name, AlgoKind::host_key)};
  return Fix{"server", fmt::format("Give sshd a host key the client accepts ({}), then reload sshd.", name),
             fmt::format("{}\n# /etc/ssh/sshd_config\nHostKey {}\n{}", keygen_for(name), key_file_for(name), allow),
             cost_of(name, AlgoKind::host_key)};
}

Fix server_fix(const ClientProfile& p, AlgoKind kind, const std::vector<std::string>& server) {
  const std::string name = best_for_server(p.list(kind), kind);
  if (kind == AlgoKind::host_key) return server_host_key_fix(name, server);
  static const std::map<AlgoKind, std::string_view> kOption = {{AlgoKind::kex, "KexAlgorithms"},
                                                               {AlgoKind::cipher, "Ciphers"},
                                                               {AlgoKind::mac, "MACs"}};
  if (kind == AlgoKind::compression)
    return Fix{"server", "Allow compression on sshd.", "# /etc/ssh/sshd_config\nCompression yes",
               "compression before encryption can leak secrets through sizes"};
  return Fix{"server", fmt::format("Let sshd accept the {} {} as well, then reload sshd.", kind_words(kind), name),
             fmt::format("# /etc/ssh/sshd_config\n{} +{}", kOption.at(kind), name), cost_of(name, kind)};
}

Fix client_fix(const ClientProfile& p, AlgoKind kind, const std::vector<std::string>& server) {
  const std::string name = enable_on_client(p, server);
  const StyleRow* row = find_style(p.style, to_string(kind));
  if (name.empty() || row == nullptr || row->client_fix.empty())
    return Fix{"client",
               fmt::format("{} cannot be set to any {} this server offers: upgrade it.", p.name, kind_words(kind)),
               "", ""};
  return Fix{"client", fmt::format("Let {} offer {}, which it supports but does not offer by default.", p.name, name),
             replace_all(row->client_fix, "{name}", name), cost_of(name, kind)};
}

std::string kb_for(AlgoKind kind, const ClientProfile& p, const std::vector<std::string>& server) {
  switch (kind) {
    case AlgoKind::kex: return "ssh.no-matching-kex";
    case AlgoKind::host_key: {
      const bool client_sha1_only = has(p.host_key, "ssh-rsa") && !has(p.host_key, "rsa-sha2-256") &&
                                    !has(p.host_key, "rsa-sha2-512");
      const bool server_sha2 = has(server, "rsa-sha2-256") || has(server, "rsa-sha2-512");
      return client_sha1_only && server_sha2 ? "ssh.ssh-rsa-disabled" : "ssh.no-matching-host-key";
    }
    case AlgoKind::cipher: return "ssh.no-matching-cipher";
    case AlgoKind::mac: return "ssh.no-matching-mac";
    case AlgoKind::compression: return "ssh.no-matching-compression";
  }
  return {};
}

std::string success_summary(const Prediction& p) {
  const std::string c2s = chosen(p, "cipher_c2s");
  const std::string s2c = chosen(p, "cipher_s2c");
  const std::string mac = chosen(p, "mac_c2s");
  const std::string cipher = c2s == s2c ? c2s : c2s + " (server-to-client " + s2c + ")";
  const std::string mac_text = mac == kImplicit ? "implicit in the AEAD cipher" : mac;
  return fmt::format("connects with kex {}, host key {}, cipher {}, MAC {}", chosen(p, "kex"), chosen(p, "host_key"),
                     cipher, mac_text);
}

void fail(Prediction& out, const ClientProfile& p, const StepInfo& step, const wire::Kexinit& server,
          const Endpoint& where) {
  const std::vector<std::string> offer = without_markers(server.list(step.list).value);
  out.failed_step = std::string(step.step);
  out.failed_kind = step.kind;
  out.message = failure_message(p, step, server, where);
  out.summary = fmt::format("fails: no {} in common (client offers {}; server offers {}): \"{}\"", kind_words(step.kind),
                            join(p.list(step.kind)), join(offer), out.message);
  out.kb_id = kb_for(step.kind, p, offer);
  out.fixes = {client_fix(p, step.kind, offer), server_fix(p, step.kind, offer)};
}

Evidence profile_evidence(const ClientProfile& p) {
  return Evidence{"", 0, fmt::format("profile {} ({}): {}", p.id, p.name, p.source), "", std::nullopt, "client"};
}

}  // namespace

std::string chosen(const Prediction& prediction, std::string_view step) {
  for (const auto& c : prediction.choices)
    if (c.step == step) return c.chosen;
  return {};
}

Prediction predict(const ClientProfile& profile, const wire::Kexinit& server, const Endpoint& where) {
  Prediction out;
  bool implicit_c2s = false;
  bool implicit_s2c = false;
  for (const StepInfo* step : check_order(profile.style)) {
    bool& implicit = step->direction == "client-to-server" ? implicit_c2s : implicit_s2c;
    if (step->kind == AlgoKind::mac && implicit) {
      out.choices.push_back({std::string(step->step), std::string(kImplicit)});
      continue;
    }
    const std::string name = first_common(profile.list(step->kind), server.list(step->list));
    if (name.empty()) {
      fail(out, profile, *step, server, where);
      return out;
    }
    out.choices.push_back({std::string(step->step), name});
    if (step->kind == AlgoKind::cipher) implicit = makes_mac_implicit(name);
  }
  out.connects = true;
  out.summary = success_summary(out);
  return out;
}

Finding prediction_finding(const ClientProfile& profile, const Prediction& prediction, const std::string& target) {
  Finding f;
  f.id = prediction.kb_id;
  f.title = fmt::format("{} → {}: {}", profile.name, target, prediction.connects ? "connects" : "fails");
  f.severity = prediction.connects ? Severity::info : Severity::high;
  f.confidence = 0.85;
  f.cause = prediction.summary;
  f.change_side = prediction.connects ? "" : "either";
  f.fixes = prediction.fixes;
  f.evidence.push_back(profile_evidence(profile));
  f.evidence.push_back(Evidence{"", 0, "the client would print: " + prediction.message, "", std::nullopt, "client"});
  if (const kb::Rule* rule = kb::find_embedded_rule(prediction.kb_id)) f.references = rule->references;
  return f;
}

std::vector<Finding> behaviour_findings(const ClientProfile& profile, const ServerTraits& traits,
                                        const std::string& target) {
  std::vector<Finding> out;
  if (traits.refuses_vendor_messages != true) return out;
  for (const auto& b : profile.behaviours) {
    if (b.kind != "vendor-message") continue;
    Finding f;
    f.id = b.kb;
    f.title = fmt::format("{} → {}: fails when {}", profile.name, target, b.when.empty() ? "it sends this" : b.when);
    f.severity = Severity::high;
    f.confidence = 0.8;
    f.cause = fmt::format("{} The server disconnects on messages from the local-extension range: {}", b.text,
                          traits.vendor_evidence);
    f.change_side = "either";
    if (const kb::Rule* rule = kb::find_embedded_rule(b.kb)) {
      f.fixes = rule->fixes;
      f.references = rule->references;
    }
    f.evidence.push_back(profile_evidence(profile));
    f.evidence.push_back(Evidence{"", 0, fmt::format("{} (source: {})", b.text, b.source), "", std::nullopt, "client"});
    out.push_back(std::move(f));
  }
  return out;
}

bool choose_profiles(const std::vector<std::string>& ids, std::vector<const ClientProfile*>& out, std::string& error) {
  out.clear();
  if (ids.empty()) {
    for (const auto& p : client_profiles()) out.push_back(&p);
    return true;
  }
  for (const auto& id : ids) {
    const ClientProfile* p = find_profile(id);
    if (p == nullptr) {
      error = "unknown SSH client profile in --as: " + id;
      return false;
    }
    out.push_back(p);
  }
  return true;
}

namespace {

Field fix_field(const Fix& fix) {
  Field f = leaf("fix", fix.summary);
  f.add(leaf("side", fix.side));
  if (!fix.snippet.empty()) f.add(leaf("setting", fix.snippet));
  if (!fix.risk.empty()) f.add(leaf("security_cost", fix.risk));
  return f;
}

Field prediction_field(const ClientProfile& p, const Prediction& prediction) {
  Field f = leaf("client", p.id);
  f.add(leaf("name", p.name));
  f.add(leaf("platform", p.platform));
  f.add(leaf("prediction", prediction.connects ? "connects" : "fails"));
  f.add(leaf("summary", prediction.summary));
  for (const auto& c : prediction.choices) f.add(leaf(c.step, c.chosen));
  if (!prediction.connects) {
    f.add(leaf("message", prediction.message));
    f.add(leaf("kb", prediction.kb_id));
    for (const auto& fix : prediction.fixes) f.add(fix_field(fix));
  }
  f.add(leaf("source", p.source));
  return f;
}

}  // namespace

void add_predictions(const wire::Kexinit& server, const std::vector<const ClientProfile*>& chosen,
                     const Endpoint& where, const ServerTraits& traits, const std::string& target,
                     report::Report& out) {
  report::Section s{.kind = "clients", .title = "SSH clients against this server, one prediction per profile",
                    .source = target};
  std::size_t failing = 0;
  for (const ClientProfile* p : chosen) {
    const Prediction prediction = predict(*p, server, where);
    s.fields.push_back(prediction_field(*p, prediction));
    if (!prediction.connects) {
      ++failing;
      out.findings.push_back(prediction_finding(*p, prediction, target));
    }
    for (auto& f : behaviour_findings(*p, traits, target)) out.findings.push_back(std::move(f));
  }
  s.notes.push_back(fmt::format("{} of {} client profiles fail against this server", failing, chosen.size()));
  if (!traits.refuses_vendor_messages)
    s.notes.push_back("vendor messages (such as the AIX EFS keystore request) were not tested against this server");
  out.sections.push_back(std::move(s));
}

}  // namespace sd::probe::ssh
