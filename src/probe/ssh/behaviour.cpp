#include "probe/ssh/behaviour.h"

#include <array>
#include <fstream>
#include <sstream>
#include <utility>

#include "probe/engine/describe.h"
#include "probe/engine/options.h"
#include "probe/ssh/throttle.h"
#include "wire/ssh/crypto.h"
#include "wire/ssh/writer.h"

namespace sd::probe::ssh {
namespace wire = sd::ssh;
namespace {

// Messages read while waiting for an answer (IGNORE, DEBUG, EXT_INFO, banners); more than this is no answer.
constexpr int kMaxMessagesPerAnswer = 8;
// The user named in USERAUTH_REQUEST "none" when --user is not given.
constexpr std::string_view kDefaultUser = "shakedown";

// One behavioural probe: its name, what it sends, in words and as payloads.
struct ProbeSpec {
  std::string_view name;
  std::string_view sent;
  std::vector<ByteVec> (*payloads)();
};

std::vector<ByteVec> unknown_message() { return {wire::write_message(150)}; }
std::vector<ByteVec> ignore_and_debug() {
  const ByteVec filler(16, 0x5a);
  return {wire::write_ignore(filler), wire::write_debug(false, "shakedown behavioural probe")};
}
std::vector<ByteVec> local_extension() { return {wire::write_message(199)}; }

constexpr std::array<ProbeSpec, 3> kProbes = {{
    {"unknown-message", "message 150 (unassigned, RFC 4250 §4.1) with an empty body, then SERVICE_REQUEST",
     unknown_message},
    {"ignore-and-debug", "IGNORE (16 bytes) and DEBUG (always_display false), then SERVICE_REQUEST", ignore_and_debug},
    {"local-extension",
     "message 199 (local extension range 192-255, RFC 4250 §4.1.2) with an empty body, then "
     "SERVICE_REQUEST",
     local_extension},
}};

static_assert(kBehaviourConnections == 1 + kProbes.size());

constexpr std::array<std::string_view, 3> kKexOrder = {"curve25519-sha256", "ecdh-sha2-nistp256",
                                                       "diffie-hellman-group14-sha256"};

Reaction reaction_of_failure(Outcome outcome) {
  if (outcome == Outcome::closed_by_peer || outcome == Outcome::reset_by_peer) return Reaction::closed;
  return Reaction::no_answer;
}

void note_disconnect(const wire::Message& message, BehaviourResult& out) {
  const auto* d = std::get_if<wire::Disconnect>(&message.body);
  if (d == nullptr) return;
  out.disconnect_reason = d->reason.value;
  out.disconnect_reason_name = d->reason_name;
  out.disconnect_description = d->description.value;
}

// Reads until a message numbered one of `wanted` arrives (kept in `out`, its name in result.answer), recording
// DISCONNECT, a closed connection or silence as the reaction. An UNIMPLEMENTED is recorded too; it ends the wait
// unless `past_unimplemented` (the server answered a probe and may still accept what followed it).
asio::awaitable<Step> await_reply(ClientTransport& transport, std::array<std::uint8_t, 2> wanted, wire::Message& out,
                                  BehaviourResult& result, bool past_unimplemented) {
  Step step;
  for (int i = 0; i < kMaxMessagesPerAnswer; ++i) {
    step = co_await transport.receive(out);
    if (step.outcome == Outcome::disconnected) {
      note_disconnect(out, result);
      result.reaction = Reaction::disconnected;
      co_return step;
    }
    if (!step.ok()) {
      result.reaction = reaction_of_failure(step.outcome);
      co_return step;
    }
    if (const auto* u = std::get_if<wire::Unimplemented>(&out.body)) {
      result.named_sequence = u->sequence.value;
      result.reaction = Reaction::unimplemented;
      if (!past_unimplemented) co_return step;
    } else if (out.number.value == wanted[0] || out.number.value == wanted[1]) {
      if (!past_unimplemented || result.reaction != Reaction::unimplemented) result.reaction = Reaction::answered;
      result.answer = out.name;
      co_return step;
    }
  }
  result.reaction = Reaction::no_answer;
  co_return Step{Outcome::protocol_error, "no reply among the first messages", {}};
}

// Reads until the server accepts the service request; a probe before it that drew no complaint was ignored.
asio::awaitable<Step> await_service_accept(ClientTransport& transport, BehaviourResult& out) {
  wire::Message message;
  const Step step =
      co_await await_reply(transport, {wire::msg::service_accept, wire::msg::service_accept}, message, out, true);
  if (!step.ok() || message.number.value != wire::msg::service_accept) co_return step;
  out.service_accepted = true;
  out.answer.clear();
  if (out.reaction == Reaction::answered) out.reaction = Reaction::ignored;
  co_return step;
}

// USERAUTH_REQUEST "none" and the USERAUTH_FAILURE (or SUCCESS) it gets.
asio::awaitable<Step> ask_none(ClientTransport& transport, const std::string& user, BehaviourResult& out) {
  ByteVec request = wire::write_userauth_none(user);
  transport.context().auth_method = "none";
  Step step = co_await transport.send(std::move(request));
  for (int i = 0; step.ok() && i < kMaxMessagesPerAnswer; ++i) {
    wire::Message message;
    step = co_await transport.receive(message);
    if (step.outcome == Outcome::disconnected) note_disconnect(message, out);
    if (!step.ok()) co_return step;
    if (const auto* f = std::get_if<wire::UserauthFailure>(&message.body)) {
      out.auth_methods = f->methods.value;
      co_return step;
    }
    if (message.number.value == wire::msg::userauth_success) {
      out.auth_methods = std::vector<std::string>{};
      co_return step;
    }
  }
  co_return step;
}

struct ProbePlan {
  TransportChoice choice;
  std::vector<ByteVec> payloads;
  std::string user;  ///< non-empty: ask "none" after the service is accepted
  Millis timeout;
};

Conversation behaviour_conversation(ProbePlan plan, BehaviourResult& out, Established* established) {
  return [plan = std::move(plan), &out, established](Session& session) -> asio::awaitable<Step> {
    ClientTransport transport(session, plan.timeout, plan.choice);
    Step step = co_await transport.handshake();
    if (!step.ok()) co_return step;
    if (established != nullptr) *established = transport.established();
    for (const auto& payload : plan.payloads) {
      out.sent_sequences.push_back(transport.next_send_sequence());
      ByteVec copy = payload;
      step = co_await transport.send(std::move(copy));
      if (!step.ok()) co_return step;
    }
    ByteVec request = wire::write_service_request("ssh-userauth");
    step = co_await transport.send(std::move(request));
    if (!step.ok()) co_return step;
    step = co_await await_service_accept(transport, out);
    if (!step.ok() || !out.service_accepted || plan.user.empty()) co_return step;
    co_return co_await ask_none(transport, plan.user, out);
  };
}

// RFC 4252 §7: the signed USERAUTH_REQUEST for publickey, signature over the session id and the request.
ByteVec publickey_request(const wire::UserKey& key, const std::string& algorithm, const std::string& user,
                          Bytes session_id) {
  const auto body = [&](Writer& w) {
    w.u8(wire::msg::userauth_request);
    for (const std::string_view text :
         {std::string_view(user), std::string_view("ssh-connection"), std::string_view("publickey")})
      w.prefixed(4, [&](Writer& b) { b.text(text); });
    w.u8(1);
    w.prefixed(4, [&](Writer& b) { b.text(algorithm); });
    w.prefixed(4, [&](Writer& b) { b.bytes(key.public_blob()); });
  };
  Writer signed_data;
  signed_data.prefixed(4, [&](Writer& b) { b.bytes(session_id); });
  body(signed_data);
  Writer request;
  body(request);
  const ByteVec signature = key.sign(signed_data.data(), algorithm);
  request.prefixed(4, [&](Writer& b) { b.bytes(signature); });
  return request.take();
}

struct AuthPlan {
  TransportChoice choice;
  std::shared_ptr<const wire::UserKey> key;
  std::string user;
  Millis timeout;
};

// Publickey login, trying each algorithm the key signs with (rsa-sha2-512, then rsa-sha2-256 for RSA) on the same
// connection; the one that got USERAUTH_SUCCESS goes in result.auth_algorithm.
asio::awaitable<Step> log_in(ClientTransport& transport, const AuthPlan& plan, wire::Message& reply,
                             BehaviourResult& result) {
  transport.context().auth_method = "publickey";
  Step step;
  for (const auto& algorithm : plan.key->algorithms()) {
    ByteVec login = publickey_request(*plan.key, algorithm, plan.user, transport.established().session_id);
    step = co_await transport.send(std::move(login));
    if (step.ok())
      step = co_await await_reply(transport, {wire::msg::userauth_success, wire::msg::userauth_failure}, reply, result,
                                  false);
    if (!step.ok()) co_return step;
    if (reply.number.value == wire::msg::userauth_success) {
      result.auth_algorithm = algorithm;
      co_return step;
    }
  }
  co_return Step{Outcome::protocol_error, "publickey authentication failed for " + plan.user, {}};
}

// Logs in with the key, then asks an unknown global request and an unknown channel request, both wanting a reply.
Conversation authenticated_conversation(AuthPlan plan, BehaviourResult& global, BehaviourResult& channel) {
  return [plan = std::move(plan), &global, &channel](Session& session) -> asio::awaitable<Step> {
    ClientTransport transport(session, plan.timeout, plan.choice);
    Step step = co_await transport.handshake();
    if (!step.ok()) co_return step;
    ByteVec service = wire::write_service_request("ssh-userauth");
    step = co_await transport.send(std::move(service));
    if (step.ok()) step = co_await await_service_accept(transport, global);
    if (!step.ok()) co_return step;
    wire::Message reply;
    step = co_await log_in(transport, plan, reply, global);
    if (!step.ok()) co_return step;
    channel.auth_algorithm = global.auth_algorithm;
    global.sent_sequences.push_back(transport.next_send_sequence());
    ByteVec unknown_global = wire::write_global_request("shakedown-unknown@shakedown.invalid", true);
    step = co_await transport.send(std::move(unknown_global));
    if (step.ok())
      step = co_await await_reply(transport, {wire::msg::request_success, wire::msg::request_failure}, reply, global,
                                  false);
    if (!step.ok()) co_return step;
    ByteVec open = wire::write_channel_open_session(0, 1 << 20, 32768);
    step = co_await transport.send(std::move(open));
    if (step.ok())
      step = co_await await_reply(transport, {wire::msg::channel_open_confirmation, wire::msg::channel_open_failure},
                                  reply, channel, false);
    const auto* confirmed = std::get_if<wire::ChannelOpenConfirmation>(&reply.body);
    if (!step.ok() || confirmed == nullptr) co_return step;
    channel.sent_sequences.push_back(transport.next_send_sequence());
    ByteVec unknown_channel =
        wire::write_channel_request(confirmed->sender.value, "shakedown-unknown@shakedown.invalid", true);
    step = co_await transport.send(std::move(unknown_channel));
    if (step.ok())
      step = co_await await_reply(transport, {wire::msg::channel_success, wire::msg::channel_failure}, reply, channel,
                                  false);
    co_return step;
  };
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Job behaviour_job(const Url& url, const ProbeOptions& options, std::string name, Conversation conversation) {
  return Job{.name = std::move(name),
             .target = Target{.transport = Transport::tcp, .host = url.host, .port = url.port},
             .limits = job_limits(options),
             .conversation = std::move(conversation)};
}

std::string user_of(const ProbeOptions& options) {
  return options.user.empty() ? std::string(kDefaultUser) : options.user;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

std::string join(const std::vector<std::uint32_t>& numbers) {
  std::string out;
  for (const auto n : numbers) out += (out.empty() ? "" : ",") + std::to_string(n);
  return out;
}

Field result_field(const BehaviourResult& r) {
  Field f{.name = r.name, .value = std::string(to_string(r.reaction))};
  f.add(leaf("sent", r.sent));
  if (!r.sent_sequences.empty()) f.add(leaf("sent_sequence", join(r.sent_sequences)));
  if (r.named_sequence) {
    f.add(leaf("unimplemented_names_sequence", std::to_string(*r.named_sequence)));
    f.add(leaf("sequence_matches", r.sequence_matches() ? "yes" : "no"));
  }
  if (r.disconnect_reason) {
    f.add(leaf("disconnect_reason",
               r.disconnect_reason_name.empty() ? std::to_string(*r.disconnect_reason) : r.disconnect_reason_name));
    f.add(leaf("disconnect_description", r.disconnect_description));
  }
  if (!r.answer.empty())
    f.add(leaf("answer", r.answer));
  else
    f.add(leaf("service_accepted", r.service_accepted ? "yes" : "no"));
  if (r.auth_methods) f.add(leaf("none_auth_lists", join(*r.auth_methods)));
  if (!r.auth_algorithm.empty()) f.add(leaf("logged_in_with", r.auth_algorithm));
  f.add(leaf("outcome", std::string(to_string(r.job.outcome))));
  if (!r.job.detail.empty()) f.add(leaf("detail", r.job.detail));
  return f;
}

Field transport_field(const ServerBehaviour& b) {
  Field f{.name = "transport", .value = b.choice ? b.choice->kex + " " + b.choice->cipher : "none possible"};
  if (b.established.kex.empty()) return f;
  f.add(leaf("kex", b.established.kex));
  f.add(leaf("host_key_signature", b.established.host_key_algorithm + " (verified)"));
  f.add(leaf("host_key_fingerprint", b.established.host_key_fingerprint));
  f.add(leaf("cipher", b.established.cipher));
  f.add(leaf("mac", b.established.mac.empty() ? "<implicit>" : b.established.mac));
  f.add(leaf("strict_kex", b.established.strict_kex ? "yes" : "no"));
  return f;
}

const BehaviourResult* find(const ServerBehaviour& b, std::string_view name) {
  for (const auto& r : b.results)
    if (r.name == name) return &r;
  return nullptr;
}

BehaviourResult blank_result(const ProbeSpec& spec) {
  return BehaviourResult{.name = std::string(spec.name), .sent = std::string(spec.sent)};
}

// The job of one behavioural probe; its conversation writes into `out`, which must outlive the run.
Job spec_job(const Url& url, const ProbeOptions& options, const TransportChoice& choice, const ProbeSpec& spec,
             BehaviourResult& out) {
  ProbePlan plan{.choice = choice, .payloads = spec.payloads(), .user = {}, .timeout = options.timeout};
  return behaviour_job(url, options, "ssh-behaviour-" + std::string(spec.name),
                       behaviour_conversation(std::move(plan), out, nullptr));
}

// True when sshd dropped the probe's connection as it does when throttling, not because of what the probe sent.
bool dropped(const BehaviourResult& r) {
  const bool ended_early = r.reaction == Reaction::not_run || r.reaction == Reaction::closed;
  return ended_early && throttle_sign(r.job, /*earlier_answered=*/true).throttled;
}

// Runs `again` once more, after a pause, when sshd dropped `result`'s connection (MaxStartups counts connections in
// progress, so one alone may pass) and --max-connections leaves room; dropped again, or no room: throttled.
template <class Again>
void retry_if_dropped(const ProbeOptions& options, Engine& engine, ServerBehaviour& behaviour, BehaviourResult& result,
                      Again&& again) {
  if (!dropped(result)) return;
  if (connections_left(options.max_connections, engine.stats()) > 0) {
    pause_before_retry();
    behaviour.retried.push_back(result.name);
    again();
  }
  if (dropped(result)) result.reaction = Reaction::throttled;
}

// Every behavioural probe the parallel batch lost to throttling, tried once more alone.
void retry_dropped(const Url& url, const ProbeOptions& options, Engine& engine, ServerBehaviour& behaviour) {
  for (std::size_t i = 0; i < kProbes.size(); ++i) {
    BehaviourResult& result = behaviour.results[i + 1];
    retry_if_dropped(options, engine, behaviour, result, [&] {
      result = blank_result(kProbes[i]);
      result.job = engine.run_one(spec_job(url, options, *behaviour.choice, kProbes[i], result));
    });
  }
}

}  // namespace

std::string_view to_string(Reaction reaction) {
  // In the order of the enum.
  constexpr std::array<std::string_view, 8> kNames = {"not-run", "ignored", "unimplemented", "answered",
                                                      "disconnected", "closed", "no-answer", "throttled"};
  const auto index = static_cast<std::size_t>(reaction);
  return index < kNames.size() ? kNames[index] : "not-run";
}

bool BehaviourResult::sequence_matches() const {
  return named_sequence && !sent_sequences.empty() && *named_sequence == sent_sequences.front();
}

std::optional<TransportChoice> choose_transport(const wire::Kexinit& server) {
  TransportChoice choice;
  choice.kex.clear();
  for (const auto kex : kKexOrder)
    if (wire::contains(server.list(wire::KexList::kex), kex)) {
      choice.kex = std::string(kex);
      break;
    }
  if (choice.kex.empty()) return std::nullopt;
  const auto has = [&](wire::KexList list, std::string_view name) { return wire::contains(server.list(list), name); };
  if (has(wire::KexList::cipher_c2s, "chacha20-poly1305@openssh.com") &&
      has(wire::KexList::cipher_s2c, "chacha20-poly1305@openssh.com"))
    return choice;
  choice.cipher = "aes128-ctr";
  choice.mac = "hmac-sha2-256";
  if (has(wire::KexList::cipher_c2s, "aes128-ctr") && has(wire::KexList::cipher_s2c, "aes128-ctr") &&
      has(wire::KexList::mac_c2s, "hmac-sha2-256") && has(wire::KexList::mac_s2c, "hmac-sha2-256"))
    return choice;
  return std::nullopt;
}

BehaviourResult probe_baseline(const Url& url, const ProbeOptions& options, Engine& engine,
                               const TransportChoice& choice, Established* established) {
  BehaviourResult result{
      .name = "baseline",
      .sent = "SERVICE_REQUEST ssh-userauth, then USERAUTH_REQUEST \"none\" for " + user_of(options)};
  ProbePlan plan{.choice = choice, .payloads = {}, .user = user_of(options), .timeout = options.timeout};
  result.job = engine.run_one(behaviour_job(url, options, "ssh-behaviour-baseline",
                                            behaviour_conversation(std::move(plan), result, established)));
  return result;
}

ServerBehaviour probe_behaviour(const Url& url, const ProbeOptions& options, Engine& engine,
                                const wire::Kexinit& server) {
  ServerBehaviour behaviour;
  behaviour.choice = choose_transport(server);
  if (!behaviour.choice) return behaviour;
  behaviour.results.reserve(kBehaviourConnections);  // the conversations keep references into it
  behaviour.results.push_back(probe_baseline(url, options, engine, *behaviour.choice, &behaviour.established));
  // It follows the host key connections at once, which sshd may still count as unauthenticated.
  retry_if_dropped(options, engine, behaviour, behaviour.results.front(), [&] {
    behaviour.results.front() = probe_baseline(url, options, engine, *behaviour.choice, &behaviour.established);
  });
  std::vector<Job> jobs;
  for (const auto& spec : kProbes) {
    behaviour.results.push_back(blank_result(spec));
    jobs.push_back(spec_job(url, options, *behaviour.choice, spec, behaviour.results.back()));
  }
  auto finished = engine.run(std::move(jobs));
  for (std::size_t i = 0; i < finished.size(); ++i) behaviour.results[i + 1].job = std::move(finished[i]);
  retry_dropped(url, options, engine, behaviour);
  auto authenticated = probe_authenticated(url, options, engine, *behaviour.choice, behaviour.key_problem);
  for (auto& r : authenticated) behaviour.results.push_back(std::move(r));
  return behaviour;
}

std::vector<BehaviourResult> probe_authenticated(const Url& url, const ProbeOptions& options, Engine& engine,
                                                 const TransportChoice& choice, std::string& problem) {
  if (options.user.empty() || options.key_file.empty()) return {};
  const auto text = read_file(options.key_file);
  if (!text) {
    problem = "--key-file cannot be read";
    return {};
  }
  auto key = wire::UserKey::parse_openssh(*text);
  if (!key) {
    problem = "--key-file is not usable: " + key.error().message;
    return {};
  }
  std::vector<BehaviourResult> results(2);
  results[0].name = "unknown-global-request";
  results[0].sent = "after publickey login: GLOBAL_REQUEST shakedown-unknown@shakedown.invalid, want reply";
  results[1].name = "unknown-channel-request";
  results[1].sent = "on a session channel: CHANNEL_REQUEST shakedown-unknown@shakedown.invalid, want reply";
  AuthPlan plan{.choice = choice,
                .key = std::make_shared<const wire::UserKey>(std::move(key.value())),
                .user = options.user,
                .timeout = options.timeout};
  const JobResult job =
      engine.run_one(behaviour_job(url, options, "ssh-behaviour-authenticated",
                                   authenticated_conversation(std::move(plan), results[0], results[1])));
  for (auto& r : results) r.job = job;
  return results;
}

std::optional<bool> refuses_vendor_messages(const ServerBehaviour& behaviour) {
  const BehaviourResult* r = find(behaviour, "local-extension");
  if (r == nullptr || r->reaction == Reaction::not_run || r->reaction == Reaction::no_answer ||
      r->reaction == Reaction::throttled)
    return std::nullopt;
  return r->reaction == Reaction::disconnected || r->reaction == Reaction::closed;
}

std::string vendor_evidence(const ServerBehaviour& behaviour) {
  const BehaviourResult* r = find(behaviour, "local-extension");
  if (r == nullptr) return {};
  std::string text =
      "after NEWKEYS, message 199 (local extension) was answered: " + std::string(to_string(r->reaction));
  if (r->disconnect_reason) text += " (" + r->disconnect_reason_name + " \"" + r->disconnect_description + "\")";
  return text;
}

report::Section behaviour_section(const Url& url, const ServerBehaviour& behaviour) {
  report::Section s{
      .kind = "behaviour", .title = "SSH server behaviour after NEWKEYS, one connection per probe", .source = url.text};
  s.fields.push_back(transport_field(behaviour));
  for (const auto& r : behaviour.results) s.fields.push_back(result_field(r));
  if (!behaviour.key_problem.empty())
    s.notes.push_back("the authenticated probes did not run: " + behaviour.key_problem);
  for (const auto& name : behaviour.retried)
    s.notes.push_back(name + ": sshd dropped its connection while the other probes ran; it was run again alone");
  if (!behaviour.not_run.empty())
    s.notes.push_back("the behavioural probes did not run: " + behaviour.not_run);
  else if (!behaviour.choice)
    s.notes.push_back("the server offers no key exchange and cipher this client implements, so no probe ran");
  if (const auto refuses = refuses_vendor_messages(behaviour); refuses && *refuses)
    s.notes.push_back(
        "the server drops clients that send vendor messages from the local-extension range, such as "
        "the AIX EFS keystore request (ssh.aix-efs-keystore-request)");
  return s;
}

}  // namespace sd::probe::ssh
