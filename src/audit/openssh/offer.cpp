// Effective OpenSSH offers from config files, and predictions with the probe's per-profile prediction.
#include "audit/openssh/offer.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "audit/common/table.h"
#include "sshprofiles/predict.h"
#include "whatif/ssh.h"

namespace sd::audit::openssh {
namespace {

namespace pssh = sd::probe::ssh;
namespace wire = sd::ssh;

constexpr const char* kAssumedVersion = "9.2";

std::vector<std::string> split_names(std::string_view list) {
  std::vector<std::string> out;
  for (std::string_view rest = list; !rest.empty();) {
    const auto comma = rest.find(',');
    const auto item = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (!item.empty()) out.emplace_back(item);
  }
  return out;
}

bool has(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

void add_unique(std::vector<std::string>& out, const std::string& name) {
  if (!has(out, name)) out.push_back(name);
}

bool matches(const std::string& pattern, const std::string& name) {
  return fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

// "9.2" < "10.0": compared number by number.
std::vector<int> version_numbers(const std::string& v) {
  std::vector<int> out;
  std::istringstream in(v);
  for (std::string part; std::getline(in, part, '.');) out.push_back(std::atoi(part.c_str()));
  return out;
}

const std::vector<Row>& defaults_rows() {
  static const std::vector<Row> rows = table("openssh/defaults.tsv");
  return rows;
}

std::string cell(const Row& r, const std::string& column) {
  const auto it = r.find(column);
  return it == r.end() ? std::string() : it->second;
}

// The value of one setting in defaults.tsv ("sshd", "ssh" or "supported").
std::string default_of(const std::string& version, const std::string& program, const std::string& setting) {
  for (const auto& r : defaults_rows())
    if (cell(r, "version") == version && cell(r, "program") == program && cell(r, "setting") == setting)
      return cell(r, "names");
  return {};
}

std::string fact_of(const Facts& facts, const std::string& key) {
  const auto it = facts.find(key);
  return it == facts.end() ? std::string() : it->second;
}

// The version whose defaults apply: the program's fact, else "openssh", else the assumed one; the nearest older
// known version when the table lacks the one given.
std::string version_for(const Facts& facts, const std::string& program, std::vector<std::string>& notes) {
  std::string asked = fact_of(facts, program);
  if (asked.empty()) asked = fact_of(facts, "openssh");
  if (asked.empty()) {
    notes.push_back(fmt::format("{}: OpenSSH {} defaults assumed (give --fact openssh=VERSION)", program,
                                kAssumedVersion));
    return kAssumedVersion;
  }
  const auto known = known_versions();
  if (has(known, asked)) return asked;
  std::string chosen = known.front();
  for (const auto& v : known)
    if (version_numbers(v) <= version_numbers(asked)) chosen = v;
  notes.push_back(fmt::format("{}: no defaults for OpenSSH {}; those of {} used", program, asked, chosen));
  return chosen;
}

std::string setting_of(const Config& c, const std::string& keyword) {
  const auto line = c.global(keyword);
  return line ? line->value : std::string();
}

// One list of a config: its setting applied to the version's defaults; names the build lacks are noted.
std::vector<std::string> effective(const Config& c, const std::string& version, const std::string& program,
                                   const std::string& setting, std::vector<std::string>& notes) {
  std::vector<std::string> rejected;
  auto out = assemble(setting_of(c, setting), split_names(default_of(version, program, setting)),
                      split_names(default_of(version, "supported", setting)), rejected);
  for (const auto& name : rejected)
    notes.push_back(fmt::format("{}: {} names {}, which OpenSSH {} does not know: {} refuses the setting", c.file,
                                setting, name, version, program));
  return out;
}

// The key type at the start of a .pub file ("ssh-ed25519 AAAA… comment"); empty unless it is a regular file.
std::string read_first_word(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return {};
  std::ifstream in(file, std::ios::binary);
  std::string head(128, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head.substr(0, head.find_first_of(" \t\r\n"));
}

std::vector<std::string> host_key_files(const Config& c) {
  std::vector<std::string> files;
  for (const auto& e : c.entries)
    if (lower(e.line.key) == "hostkey" && e.block.empty()) files.push_back(e.line.value);
  if (files.empty())
    files = {"/etc/ssh/ssh_host_rsa_key", "/etc/ssh/ssh_host_ecdsa_key", "/etc/ssh/ssh_host_ed25519_key"};
  return files;
}

// The key types sshd would load, in HostKey order, read from each key's .pub beside it.
std::vector<std::string> host_key_types(const Config& c, const std::string& root, std::vector<std::string>& notes) {
  std::vector<std::string> types;
  for (const auto& file : host_key_files(c)) {
    const std::filesystem::path key = root + file;
    std::error_code ec;
    if (!std::filesystem::exists(key, ec)) {
      notes.push_back(fmt::format("HostKey {}: no such file, so sshd skips it", key.string()));
      continue;
    }
    const std::string type = read_first_word(key.string() + ".pub");
    if (type.empty())
      notes.push_back(fmt::format("HostKey {}: no {}.pub beside it, so its type was not read", key.string(),
                                  key.filename().string()));
    else
      types.push_back(type);
  }
  return types;
}

// sshd lists, per host key and in HostKey order, the signature algorithms HostKeyAlgorithms allows for it.
std::vector<std::string> offered_host_keys(const std::vector<std::string>& types,
                                           const std::vector<std::string>& allowed) {
  std::vector<std::string> out;
  for (const auto& type : types) {
    const std::vector<std::string> names =
        type == "ssh-rsa" ? std::vector<std::string>{"rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"}
                          : std::vector<std::string>{type};
    for (const auto& n : names)
      if (has(allowed, n)) add_unique(out, n);
  }
  return out;
}

// What the build supports but this config does not offer: the names a client-side fix can add.
std::vector<std::string> not_offered(const pssh::ClientProfile& p, const std::string& version) {
  std::vector<std::string> out;
  const std::pair<const char*, const std::vector<std::string>*> kinds[] = {
      {"KexAlgorithms", &p.kex}, {"HostKeyAlgorithms", &p.host_key}, {"Ciphers", &p.cipher}, {"MACs", &p.mac}};
  for (const auto& [setting, offered] : kinds)
    for (const auto& name : split_names(default_of(version, "supported", setting)))
      if (!has(*offered, name)) out.push_back(name);
  return out;
}

void set_both(wire::Kexinit& k, wire::KexList c2s, wire::KexList s2c, const std::vector<std::string>& names) {
  k.lists[static_cast<std::size_t>(c2s)].value = names;
  k.lists[static_cast<std::size_t>(s2c)].value = names;
}

bool compression_off(const std::string& value) { return lower(value) == "no"; }

std::vector<Finding> new_ids_only(std::vector<Finding> found, const std::vector<Finding>& already) {
  std::vector<Finding> out;
  const auto seen = [&](const std::string& id) {
    const auto same = [&](const Finding& f) { return f.id == id; };
    return std::any_of(already.begin(), already.end(), same) || std::any_of(out.begin(), out.end(), same);
  };
  for (auto& f : found)
    if (!seen(f.id)) out.push_back(std::move(f));
  return out;
}

// How the client names the server in its messages: the "host" and "port" facts, else SERVER and the Port setting.
pssh::Endpoint endpoint_for(const ServerOffer& offer, const Facts& facts) {
  const std::string host = fact_of(facts, "host");
  const std::string port = fact_of(facts, "port");
  const auto port_number = static_cast<std::uint16_t>(std::strtoul(port.c_str(), nullptr, 10));
  return pssh::Endpoint{host.empty() ? "SERVER" : host, port.empty() ? offer.port : port_number};
}

// Parses one OpenSSH file in the given role; the read or parse error otherwise.
std::optional<ConfigError> load(const std::string& path, Role role, const std::string& root, Config& out) {
  const auto text = read_config_file(path);
  if (text.error) return text.error;
  auto p = parse(role, path, text.text, root);
  if (p.error) return p.error;
  out = std::move(p.config);
  return std::nullopt;
}

}  // namespace

std::vector<std::string> assemble(const std::string& setting, const std::vector<std::string>& defaults,
                                  const std::vector<std::string>& supported, std::vector<std::string>& rejected) {
  if (setting.empty()) return defaults;
  const char mode = setting.front();
  const auto patterns = split_names(mode == '+' || mode == '-' || mode == '^' ? setting.substr(1) : setting);
  if (mode == '-') {
    std::vector<std::string> out;
    for (const auto& name : defaults)
      if (std::none_of(patterns.begin(), patterns.end(), [&](const auto& p) { return matches(p, name); }))
        out.push_back(name);
    return out;
  }
  std::vector<std::string> wanted = patterns;
  if (mode == '+') wanted.insert(wanted.begin(), defaults.begin(), defaults.end());
  if (mode == '^') wanted.insert(wanted.end(), defaults.begin(), defaults.end());
  std::vector<std::string> out;
  for (const auto& pattern : wanted) {
    bool any = false;
    for (const auto& name : supported)
      if (matches(pattern, name)) {
        add_unique(out, name);
        any = true;
      }
    if (!any) rejected.push_back(pattern);
  }
  return out;
}

std::vector<std::string> default_names(const std::string& version, const std::string& program,
                                       const std::string& setting) {
  return split_names(default_of(version, program, setting));
}

std::string chosen_version(const Facts& facts, const std::string& program, std::vector<std::string>& notes) {
  return version_for(facts, program, notes);
}

std::vector<std::string> known_versions() {
  std::vector<std::string> out;
  for (const auto& r : defaults_rows()) add_unique(out, cell(r, "version"));
  std::sort(out.begin(), out.end(),
            [](const std::string& a, const std::string& b) { return version_numbers(a) < version_numbers(b); });
  return out;
}

ServerOffer server_offer(const Config& c, const Facts& facts, const std::string& root) {
  ServerOffer out;
  out.version = version_for(facts, "sshd", out.notes);
  auto& k = out.kexinit;
  auto kex = effective(c, out.version, "sshd", "KexAlgorithms", out.notes);
  for (const auto& marker : split_names(default_of(out.version, "sshd", "KexMarkers"))) kex.push_back(marker);
  k.lists[static_cast<std::size_t>(wire::KexList::kex)].value = std::move(kex);
  const auto allowed = effective(c, out.version, "sshd", "HostKeyAlgorithms", out.notes);
  k.lists[static_cast<std::size_t>(wire::KexList::host_key)].value =
      offered_host_keys(host_key_types(c, root, out.notes), allowed);
  set_both(k, wire::KexList::cipher_c2s, wire::KexList::cipher_s2c,
           effective(c, out.version, "sshd", "Ciphers", out.notes));
  set_both(k, wire::KexList::mac_c2s, wire::KexList::mac_s2c, effective(c, out.version, "sshd", "MACs", out.notes));
  std::string compression = setting_of(c, "Compression");
  if (compression.empty()) compression = default_of(out.version, "sshd", "Compression");
  set_both(k, wire::KexList::compression_c2s, wire::KexList::compression_s2c,
           compression_off(compression) ? std::vector<std::string>{"none"}
                                        : std::vector<std::string>{"none", "zlib@openssh.com"});
  if (const std::string port = setting_of(c, "Port"); !port.empty())
    out.port = static_cast<std::uint16_t>(std::strtoul(port.c_str(), nullptr, 10));
  if (k.list(wire::KexList::host_key).value.empty())
    out.notes.push_back(c.file + ": no host key sshd can offer: it will not start (\"no hostkeys available\")");
  return out;
}

pssh::ClientProfile client_profile(const Config& c, const Facts& facts, std::vector<std::string>& notes) {
  const std::string version = version_for(facts, "ssh", notes);
  std::string compression = setting_of(c, "Compression");
  if (compression.empty()) compression = default_of(version, "ssh", "Compression");
  pssh::ClientProfile p{.id = "ssh_config", .name = fmt::format("OpenSSH {} client ({})", version, c.file),
                        .platform = "OpenSSH " + version, .version = version, .source = "audit " + c.file,
                        .style = "openssh"};
  p.kex = effective(c, version, "ssh", "KexAlgorithms", notes);
  p.host_key = effective(c, version, "ssh", "HostKeyAlgorithms", notes);
  p.cipher = effective(c, version, "ssh", "Ciphers", notes);
  p.mac = effective(c, version, "ssh", "MACs", notes);
  p.compression = lower(compression) == "yes" ? std::vector<std::string>{"zlib@openssh.com", "zlib", "none"}
                                              : std::vector<std::string>{"none", "zlib@openssh.com", "zlib"};
  p.markers = split_names(default_of(version, "ssh", "KexMarkers"));
  p.optional = not_offered(p, version);
  return p;
}

void predict_known_clients(const Config& c, const Facts& facts, const std::string& root, std::vector<Finding>& findings,
                           std::vector<report::Section>& sections, std::vector<std::string>& notes,
                           const std::vector<std::string>& what_if) {
  if (c.role != Role::server) return;
  ServerOffer offer = server_offer(c, facts, root);
  std::vector<const pssh::ClientProfile*> chosen;
  std::string error;
  pssh::choose_profiles({}, chosen, error);
  report::Report r;
  pssh::add_predictions(offer.kexinit, chosen, endpoint_for(offer, facts), pssh::ServerTraits{}, "audit " + c.file,
                        r);
  whatif::add_ssh_what_if(whatif::changes_for(what_if, whatif::Protocol::ssh), chosen, offer.kexinit,
                          endpoint_for(offer, facts), "audit " + c.file, r.sections, r.findings);
  for (auto& f : new_ids_only(std::move(r.findings), findings)) findings.push_back(std::move(f));
  for (auto& s : r.sections) sections.push_back(std::move(s));
  notes.insert(notes.end(), offer.notes.begin(), offer.notes.end());
}

bool is_ssh_pair(const std::vector<std::string>& server_files) {
  return std::any_of(server_files.begin(), server_files.end(),
                     [](const std::string& f) { return role_from_name(f) == Role::server; });
}

std::optional<ConfigError> predict_pair(const std::vector<std::string>& client_files,
                                        const std::vector<std::string>& server_files, const Facts& facts,
                                        const std::string& root, Predicted& out) {
  Config client;
  Config server;
  if (client_files.empty() || server_files.empty())
    return ConfigError{"--client/--server", 0, "a pair audit needs an ssh_config and an sshd_config"};
  if (auto e = load(client_files.front(), Role::client, root, client)) return e;
  if (auto e = load(server_files.front(), Role::server, root, server)) return e;
  ServerOffer offer = server_offer(server, facts, root);
  const pssh::ClientProfile profile = client_profile(client, facts, out.notes);
  report::Report r;
  pssh::add_predictions(offer.kexinit, {&profile}, endpoint_for(offer, facts), pssh::ServerTraits{},
                        "audit " + server.file, r);
  out.findings = std::move(r.findings);
  for (const Config* side : {&client, &server})  // each side's own hazard that holds whatever the partner
    for (auto& f : audit(*side, facts))
      if (f.id == "ssh.aix-efs-keystore-request") out.findings.push_back(std::move(f));
  out.sections = std::move(r.sections);
  out.notes.insert(out.notes.end(), offer.notes.begin(), offer.notes.end());
  return std::nullopt;
}

}  // namespace sd::audit::openssh
