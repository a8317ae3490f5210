// The unauthenticated SSH probe: identification and KEXINIT, then one key exchange start per host key type.
#include "probe/ssh/ssh_probe.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <string_view>
#include <utility>

#include "probe/engine/describe.h"
#include "probe/engine/options.h"
#include "sshprofiles/predict.h"
#include "whatif/ssh.h"

namespace sd::probe::ssh {
namespace wire = sd::ssh;
namespace {

constexpr std::size_t kBannerCap = 64 * 1024;
constexpr std::size_t kPacketCap = 256 * 1024 + 4;
// Key exchange methods whose client value may be any 32 bytes (RFC 8731), preferred first.
constexpr std::array<std::string_view, 2> kCurve25519 = {"curve25519-sha256", "curve25519-sha256@libssh.org"};

// What one connection read from the server, in order.
struct Exchange {
  std::optional<wire::Identification> identification;
  std::vector<wire::Message> messages;
};

Step parse_failure(Step step, const ParseError& error, std::string_view what) {
  step.outcome = Outcome::protocol_error;
  step.detail = std::string(what) + " does not parse: " + error.message;
  return step;
}

// Sends our identification line and reads the server's.
asio::awaitable<Step> exchange_identification(Session& session, Millis timeout, Exchange& out) {
  Step sent = co_await session.send(wire::write_identification(kSoftware));
  if (!sent.ok()) co_return sent;
  Step step = co_await session.read_until(ssh_banner_framer(), kBannerCap, timeout);
  if (!step.ok()) co_return step;
  auto parsed = wire::parse_identification(step.bytes);
  if (!parsed) co_return parse_failure(std::move(step), parsed.error(), "the identification line");
  out.identification = std::move(parsed.value());
  co_return step;
}

// Reads one unencrypted packet and decodes its message; a DISCONNECT ends the step as "disconnected".
asio::awaitable<Step> read_message(Session& session, Millis timeout, const wire::Context& context, Exchange& out) {
  Step step = co_await session.read_until(ssh_packet_framer(), kPacketCap, timeout);
  if (!step.ok()) co_return step;
  auto packet = wire::parse_packet(step.bytes);
  if (!packet) co_return parse_failure(std::move(step), packet.error(), "the packet");
  auto message = wire::parse_message(packet->payload.value, packet->payload.offset, context);
  if (!message) co_return parse_failure(std::move(step), message.error(), "the message");
  if (message->number.value == wire::msg::disconnect) {
    step.outcome = Outcome::disconnected;
    step.detail = "the server disconnected";
  }
  out.messages.push_back(std::move(message.value()));
  co_return step;
}

// Identification, then the server's KEXINIT; nothing is sent after our identification.
Conversation hello_conversation(Millis timeout, Exchange& out) {
  return [timeout, &out](Session& session) -> asio::awaitable<Step> {
    Step step = co_await exchange_identification(session, timeout, out);
    if (!step.ok()) co_return step;
    const wire::Context plain;  // named: GCC 12 frees a temporary in a co_await expression twice
    co_return co_await read_message(session, timeout, plain, out);
  };
}

// Our KEXINIT: one kex, one host key type, the server's own lists for the rest, so only those two decide.
wire::KexinitOffer offer_for(const wire::Kexinit& server, const std::string& kex, const std::string& host_key) {
  wire::KexinitOffer offer;
  RAND_bytes(offer.cookie.data(), static_cast<int>(offer.cookie.size()));
  offer.list(wire::KexList::kex) = {kex};
  offer.list(wire::KexList::host_key) = {host_key};
  for (const auto which : {wire::KexList::cipher_c2s, wire::KexList::cipher_s2c, wire::KexList::mac_c2s,
                           wire::KexList::mac_s2c, wire::KexList::compression_c2s, wire::KexList::compression_s2c})
    offer.list(which) = server.list(which).value;
  return offer;
}

// A throwaway X25519 public value: RFC 8731 accepts any 32 bytes; we never compute the shared secret.
ByteVec curve25519_value() {
  ByteVec value(32);
  RAND_bytes(value.data(), static_cast<int>(value.size()));
  return value;
}

// Identification, the server's KEXINIT, our KEXINIT and ECDH_INIT, then the server's ECDH_REPLY with its host key.
Conversation host_key_conversation(Millis timeout, std::string kex, std::string host_key, Exchange& out) {
  return [timeout, kex, host_key, &out](Session& session) -> asio::awaitable<Step> {
    Step step = co_await exchange_identification(session, timeout, out);
    if (!step.ok()) co_return step;
    const wire::Context plain;  // named: GCC 12 frees a temporary in a co_await expression twice
    step = co_await read_message(session, timeout, plain, out);
    if (!step.ok()) co_return step;
    const auto* server = std::get_if<wire::Kexinit>(&out.messages.back().body);
    if (server == nullptr) co_return Step{Outcome::protocol_error, "the first packet was not KEXINIT", step.bytes};
    ByteVec request = wire::frame_packet(wire::write_kexinit(offer_for(*server, kex, host_key)));
    const ByteVec init = wire::frame_packet(wire::write_kex_ecdh_init(curve25519_value()));
    request.insert(request.end(), init.begin(), init.end());
    step = co_await session.send(std::move(request));
    if (!step.ok()) co_return step;
    const wire::Context ecdh{.kex = wire::KexFamily::ecdh};
    co_return co_await read_message(session, timeout, ecdh, out);
  };
}

std::string base64_unpadded(Bytes data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data.data(), static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

// Host key types worth a connection: not markers, not certificates (they need a CA to mean anything).
std::vector<std::string> host_key_types(const wire::Kexinit& server) {
  std::vector<std::string> types;
  for (const auto& name : server.list(wire::KexList::host_key).value)
    if (name.find("-cert-") == std::string::npos) types.push_back(name);
  return types;
}

std::string pick_curve25519(const wire::Kexinit& server) {
  for (const auto name : kCurve25519)
    if (wire::contains(server.list(wire::KexList::kex), name)) return std::string(name);
  return {};
}

Job make_job(const Url& url, const ProbeOptions& options, std::string name, Conversation conversation) {
  return Job{.name = std::move(name),
             .target = Target{.transport = Transport::tcp, .host = url.host, .port = url.port},
             .limits = job_limits(options),
             .conversation = std::move(conversation)};
}

// Fills one host key look from what its connection read.
void settle(HostKeyLook& look, const Exchange& exchange) {
  if (exchange.messages.empty() || !std::holds_alternative<wire::KexReply>(exchange.messages.back().body)) {
    look.problem = look.job.detail.empty() ? "no key exchange reply" : look.job.detail;
    return;
  }
  look.key = std::get<wire::KexReply>(exchange.messages.back().body).host_key;
  look.fingerprint = fingerprint_sha256(look.key->raw);
}

// Once sshd throttles us, this and every later look says nothing about the server's keys.
void distrust_if_throttled(Etiquette& etiquette, HostKeyLook& look) {
  if (!note_throttle(etiquette, look.job, /*earlier_answered=*/true) && !etiquette.throttled) return;
  look.key.reset();
  look.problem = "not concluded: the server was throttling (" + etiquette.reason + ")";
  etiquette.not_trusted.push_back(look.job.name);
}

// A look whose connection sshd dropped while the others ran (MaxStartups counts connections in progress) is
// tried once more alone, when --max-connections leaves room and no throttling was concluded yet.
void retry_if_dropped(const Url& url, const ProbeOptions& options, Engine& engine, Scan& result, HostKeyLook& look) {
  if (result.etiquette.throttled || !throttle_sign(look.job, /*earlier_answered=*/true).throttled ||
      connections_left(options.max_connections, engine.stats()) == 0)
    return;
  pause_before_retry();
  result.etiquette.retried.push_back("host key " + look.type);
  Exchange again;
  look = HostKeyLook{.type = look.type};
  look.job = engine.run_one(make_job(url, options, "ssh-host-key-" + look.type,
                                     host_key_conversation(options.timeout, result.kex_used, look.type, again)));
  settle(look, again);
}

void scan_host_keys(const Url& url, const ProbeOptions& options, Engine& engine, Scan& result) {
  const wire::Kexinit& server = *result.hello.lists();
  result.kex_used = pick_curve25519(server);
  if (result.kex_used.empty()) return;
  auto types = host_key_types(server);
  const std::size_t left = connections_left(options.max_connections, engine.stats());
  for (std::size_t i = left; i < types.size(); ++i)
    result.etiquette.skipped.push_back("host key " + types[i] + ": --max-connections " +
                                       std::to_string(options.max_connections) + " reached");
  if (types.size() > left) types.resize(left);
  std::vector<Exchange> exchanges(types.size());
  std::vector<Job> jobs;
  for (std::size_t i = 0; i < types.size(); ++i)
    jobs.push_back(make_job(url, options, "ssh-host-key-" + types[i],
                            host_key_conversation(options.timeout, result.kex_used, types[i], exchanges[i])));
  auto finished = engine.run(std::move(jobs));
  for (std::size_t i = 0; i < types.size(); ++i) {
    HostKeyLook look{.type = types[i], .job = std::move(finished[i])};
    settle(look, exchanges[i]);
    retry_if_dropped(url, options, engine, result, look);
    distrust_if_throttled(result.etiquette, look);
    result.host_keys.push_back(std::move(look));
  }
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

Field server_summary(const Hello& hello) {
  Field f{.name = "server"};
  const auto& id = *hello.identification;
  f.add(leaf("software_version", id.software_version));
  f.add(leaf("comments", id.comments));
  f.add(leaf("proto_version", id.proto_version));
  if (const auto* k = hello.lists()) {
    f.add(leaf("strict_kex", k->strict_kex_server() ? "yes" : "no"));
    f.add(leaf("ext_info", k->ext_info_server() ? "yes" : "no"));
    f.add(leaf("compression", join(k->list(wire::KexList::compression_s2c).value)));
    for (std::size_t i = 0; i < wire::kKexListCount; ++i)
      f.add(leaf(std::string(wire::kKexListNames[i]), join(k->lists[i].value)));
  }
  return f;
}

Field host_key_field(const HostKeyLook& look) {
  if (!look.key) {
    Field f{.name = "host_key", .value = look.type};
    f.add(leaf("problem", look.problem));
    f.add(leaf("outcome", std::string(to_string(look.job.outcome))));
    return f;
  }
  Field f = wire::describe(*look.key);
  f.value = look.type;
  f.add(leaf("fingerprint", look.fingerprint));
  return f;
}

report::Section server_section(const Url& url, const Scan& result) {
  report::Section s{.kind = "probe", .title = "SSH server identification and algorithms", .source = url.text};
  const Hello& hello = result.hello;
  if (!hello.identification) {
    s.notes.push_back("no identification line: " + std::string(to_string(hello.job.outcome)) + ", " + hello.job.detail);
    s.fields.push_back(describe(hello.job));
    return s;
  }
  s.fields.push_back(server_summary(hello));
  s.fields.push_back(wire::describe(*hello.identification));
  if (hello.kexinit) s.fields.push_back(wire::describe(*hello.kexinit));
  else s.notes.push_back("no KEXINIT: " + std::string(to_string(hello.job.outcome)) + ", " + hello.job.detail);
  return s;
}

report::Section host_key_section(const Url& url, const Scan& result) {
  report::Section s{.kind = "probe", .title = "SSH host keys, one connection per type", .source = url.text};
  for (const auto& look : result.host_keys) s.fields.push_back(host_key_field(look));
  if (result.kex_used.empty())
    s.notes.push_back("the server offers no curve25519 key exchange, so host keys were not fetched");
  else
    s.notes.push_back("host keys read from the KEX_ECDH_REPLY of " + result.kex_used + "; signatures not checked");
  return s;
}

// The server's address as a client prints it ("Unable to negotiate with 127.0.0.1 port 22").
Endpoint endpoint_of(const Url& url, const JobResult& job) {
  std::string host = job.address.empty() ? url.host : job.address.substr(0, job.address.rfind(':'));
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  return Endpoint{.host = host, .port = url.port};
}

// What the behavioural probes learnt that the profiles' known behaviours depend on (the local-extension probe).
ServerTraits traits_of(const Scan& result) {
  return ServerTraits{.refuses_vendor_messages = refuses_vendor_messages(result.behaviour),
                      .vendor_evidence = vendor_evidence(result.behaviour)};
}

void add_client_predictions(const Url& url, const Scan& result, const wire::Kexinit& server, report::Report& out) {
  std::vector<const ClientProfile*> chosen;
  std::string unknown;
  if (!choose_profiles(result.profiles, chosen, unknown)) return;
  add_predictions(server, chosen, endpoint_of(url, result.hello.job), traits_of(result), url.text, out);
  const auto changes = whatif::parse_changes(result.what_if, whatif::Protocol::ssh, unknown);
  if (changes)
    whatif::add_ssh_what_if(*changes, chosen, server, endpoint_of(url, result.hello.job), url.text, out.sections, out.findings);
}

Finding throttle_finding(const Url& url, const Etiquette& etiquette) {
  Finding f{.id = "ssh.maxstartups-drop", .title = "sshd throttled the probe; later results were not used",
            .severity = Severity::medium, .confidence = 0.8, .cause = etiquette.reason, .change_side = "server"};
  f.evidence.push_back(Evidence{url.text, 0, "first throttled connection: " + etiquette.first_throttled_job, "",
                                std::nullopt, "server"});
  return f;
}

// The behavioural probes, when --max-connections leaves room for all of them (a partial set would mislead).
void run_behaviour(const Url& url, const ProbeOptions& options, Engine& engine, const wire::Kexinit& server,
                   Scan& result) {
  if (connections_left(options.max_connections, engine.stats()) < kBehaviourConnections) {
    result.behaviour.not_run = "--max-connections " + std::to_string(options.max_connections) + " reached";
    return;
  }
  result.behaviour = probe_behaviour(url, options, engine, server);
  for (const auto& name : result.behaviour.retried) result.etiquette.retried.push_back(name);
  for (const auto& r : result.behaviour.results)
    if (r.reaction == Reaction::throttled && note_throttle(result.etiquette, r.job, /*earlier_answered=*/true))
      result.etiquette.not_trusted.push_back(r.job.name);
}

}  // namespace

const sd::ssh::Kexinit* Hello::lists() const {
  return kexinit ? std::get_if<wire::Kexinit>(&kexinit->body) : nullptr;
}

std::string fingerprint_sha256(Bytes key_blob) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(key_blob.data(), key_blob.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return "SHA256:" + base64_unpadded(Bytes(digest.data(), size));
}

Scan scan(const Url& url, const ProbeOptions& options) {
  Scan result;
  Engine engine(engine_config(options));
  Exchange first;
  result.hello.job = engine.run_one(make_job(url, options, "ssh-kexinit", hello_conversation(options.timeout, first)));
  result.hello.identification = std::move(first.identification);
  if (!first.messages.empty() && std::holds_alternative<wire::Kexinit>(first.messages.front().body))
    result.hello.kexinit = std::move(first.messages.front());
  result.profiles = options.profiles;
  result.what_if = options.what_if;
  note_throttle(result.etiquette, result.hello.job);
  if (result.hello.lists() != nullptr) scan_host_keys(url, options, engine, result);
  if (const auto* server = result.hello.lists(); server != nullptr && !result.etiquette.throttled)
    run_behaviour(url, options, engine, *server, result);
  result.stats = engine.stats();
  return result;
}

void add_to_report(const Url& url, const Scan& result, report::Report& out) {
  out.sections.push_back(server_section(url, result));
  if (result.hello.lists() != nullptr) out.sections.push_back(host_key_section(url, result));
  // The KEXINIT came from the first connection: predictions hold even when later connections were throttled.
  if (const auto* server = result.hello.lists()) add_client_predictions(url, result, *server, out);
  else if (!result.what_if.empty())
    out.notes.push_back("--what-if: no KEXINIT was read from " + url.text + ", so there is nothing to change");
  if (result.hello.lists() != nullptr) out.sections.push_back(behaviour_section(url, result.behaviour));
  report::Section counts{.kind = "probe", .title = "SSH probe connections", .source = url.text};
  counts.fields.push_back(describe(result.stats));
  counts.fields.push_back(describe(result.etiquette));
  if (result.etiquette.throttled) out.findings.push_back(throttle_finding(url, result.etiquette));
  out.sections.push_back(std::move(counts));
  out.notes.push_back(std::to_string(result.stats.attempted) + " connection(s) made to " + url.host + " port " +
                      std::to_string(url.port));
}

bool run(const Url& url, const ProbeOptions& options, report::Report& out, std::string& error) {
  std::vector<const ClientProfile*> chosen;
  if (!choose_profiles(options.profiles, chosen, error)) return false;
  if (!whatif::parse_changes(options.what_if, whatif::Protocol::ssh, error)) return false;
  add_to_report(url, scan(url, options), out);
  return true;
}

}  // namespace sd::probe::ssh
