#include "probe/ssh/transport.h"

#include <openssl/rand.h>

#include <algorithm>
#include <utility>

#include "probe/ssh/ssh_probe.h"
#include "wire/ssh/kex_hash.h"
#include "wire/ssh/writer.h"

namespace sd::probe::ssh {
namespace wire = sd::ssh;
namespace {

constexpr std::size_t kBannerCap = 64 * 1024;
constexpr std::size_t kPacketCap = wire::kMaxPacketLength + 4 + 64;
constexpr std::string_view kStrictClient = "kex-strict-c-v00@openssh.com";

Step failed(Outcome outcome, std::string detail) { return Step{outcome, std::move(detail), {}}; }

// Says where the next packet ends, reading its length through the protection in force (a pure look, no state change).
Framer protected_packet_framer(const wire::PacketProtection& protection) {
  return [&protection](Bytes buffered) -> Frame {
    const auto size = protection.frame_size(buffered);
    if (!size && size.error().need_more()) return Frame::more(1);
    if (!size)
      return Frame::bad(size.error().code == "oversized" ? Outcome::oversized : Outcome::protocol_error,
                        size.error().message);
    if (buffered.size() < *size) return Frame::more(*size - buffered.size());
    return Frame::done(*size);
  };
}

bool offers(const wire::Kexinit& server, wire::KexList list, std::string_view name) {
  return wire::contains(server.list(list), name);
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

// What of the choice the server's KEXINIT lacks ("key exchange X", "cipher Y" …); empty when it offers all of it.
std::string not_offered(const TransportChoice& choice, const wire::Kexinit& server, wire::Protection protection) {
  using L = wire::KexList;
  if (!offers(server, L::kex, choice.kex)) return "key exchange " + choice.kex;
  if (!offers(server, L::cipher_c2s, choice.cipher) || !offers(server, L::cipher_s2c, choice.cipher))
    return "cipher " + choice.cipher;
  const bool needs_mac = protection == wire::Protection::aes128_ctr_hmac_sha256;
  if (needs_mac && (!offers(server, L::mac_c2s, choice.mac) || !offers(server, L::mac_s2c, choice.mac)))
    return "MAC " + choice.mac;
  for (const auto& type : choice.host_keys)
    if (offers(server, L::host_key, type)) return {};
  return "any of the host key types " + join(choice.host_keys);
}

// Our KEXINIT: one kex (and the strict-KEX marker), the host key types the server has, one cipher, one MAC
// (the server's first when the cipher carries its own tag), no compression.
wire::KexinitOffer make_offer(const TransportChoice& choice, const wire::Kexinit& server, wire::Protection protection) {
  using L = wire::KexList;
  wire::KexinitOffer offer;
  RAND_bytes(offer.cookie.data(), static_cast<int>(offer.cookie.size()));
  offer.list(L::kex) = {choice.kex};
  if (choice.strict_kex) offer.list(L::kex).emplace_back(kStrictClient);
  for (const auto& type : choice.host_keys)
    if (offers(server, L::host_key, type)) offer.list(L::host_key).push_back(type);
  offer.list(L::cipher_c2s) = offer.list(L::cipher_s2c) = {choice.cipher};
  const auto& theirs = server.list(L::mac_c2s).value;
  const bool own_tag = protection == wire::Protection::chacha20_poly1305;
  const std::string mac = own_tag && !theirs.empty() ? theirs.front() : choice.mac;
  offer.list(L::mac_c2s) = offer.list(L::mac_s2c) = {mac};
  offer.list(L::compression_c2s) = offer.list(L::compression_s2c) = {"none"};
  return offer;
}

// The signature blob as it came on the wire: string algorithm, string signature.
ByteVec signature_blob(const wire::Signature& s) {
  Writer w;
  w.prefixed(4, [&](Writer& b) { b.text(s.algorithm.value); });
  w.prefixed(4, [&](Writer& b) { b.bytes(s.signature.value); });
  return w.take();
}

std::string describe_disconnect(const wire::Disconnect& d) {
  const std::string name = d.reason_name.empty() ? "reason " + std::to_string(d.reason.value) : d.reason_name;
  return "the server disconnected: " + name + " \"" + d.description.value + "\"";
}

}  // namespace

// Everything one key exchange needs between its steps.
struct ClientTransport::Kex {
  wire::KexMethod method{};
  std::optional<wire::KexKeyPair> pair;
  wire::Protection protection{};
  std::string client_id;
  ByteVec client_kexinit;
  ByteVec server_kexinit;
  bool strict = false;
};

ClientTransport::ClientTransport(Session& session, Millis timeout, TransportChoice choice)
    : session_(session), timeout_(timeout), choice_(std::move(choice)) {}

asio::awaitable<Step> ClientTransport::exchange_identification(std::string& client_id) {
  const ByteVec line = wire::write_identification(kSoftware);
  client_id.assign(line.begin(), line.end() - 2);
  Step step = co_await session_.send(line);
  if (!step.ok()) co_return step;
  step = co_await session_.read_until(ssh_banner_framer(), kBannerCap, timeout_);
  if (!step.ok()) co_return step;
  auto parsed = wire::parse_identification(step.bytes);
  if (!parsed)
    co_return failed(Outcome::protocol_error, "the identification line does not parse: " + parsed.error().message);
  established_.server = std::move(parsed.value());
  co_return step;
}

asio::awaitable<Step> ClientTransport::read_payload(ByteVec& payload) {
  Step step = co_await session_.read_until(protected_packet_framer(in_), kPacketCap, timeout_);
  if (!step.ok()) co_return step;
  auto opened = in_.open(step.bytes);
  if (!opened) {
    step.outcome = Outcome::protocol_error;
    step.detail = "the packet does not open: " + opened.error().message;
    co_return step;
  }
  payload = std::move(opened->payload);
  co_return step;
}

asio::awaitable<Step> ClientTransport::receive(wire::Message& out) {
  ByteVec payload;
  Step step = co_await read_payload(payload);
  if (!step.ok()) co_return step;
  auto message = wire::parse_message(payload, 0, context_);
  if (!message) {
    step.outcome = Outcome::protocol_error;
    step.detail = "the message does not parse: " + message.error().message;
    co_return step;
  }
  out = std::move(message.value());
  if (const auto* d = std::get_if<wire::Disconnect>(&out.body)) {
    step.outcome = Outcome::disconnected;
    step.detail = describe_disconnect(*d);
  }
  co_return step;
}

asio::awaitable<Step> ClientTransport::send(ByteVec payload) {
  ByteVec sealed = out_.seal(payload);
  co_return co_await session_.send(std::move(sealed));
}

asio::awaitable<Step> ClientTransport::handshake() {
  Kex kex;
  Step step = co_await exchange_identification(kex.client_id);
  if (!step.ok()) co_return step;
  wire::Message first;
  step = co_await receive(first);
  if (!step.ok()) co_return step;
  const auto* server = std::get_if<wire::Kexinit>(&first.body);
  if (server == nullptr)
    co_return failed(Outcome::protocol_error, "the first packet was " + first.name + ", not KEXINIT");
  kex.server_kexinit = first.payload;
  const auto method = wire::kex_method(choice_.kex);
  const auto protection = wire::protection_for(choice_.cipher, choice_.mac);
  if (!method || !protection)
    co_return failed(Outcome::protocol_error,
                     "this client does not implement " + choice_.kex + " with " + choice_.cipher);
  if (const std::string missing = not_offered(choice_, *server, *protection); !missing.empty())
    co_return failed(Outcome::protocol_error, "the server does not offer " + missing);
  kex.method = *method;
  kex.protection = *protection;
  kex.strict = choice_.strict_kex && server->strict_kex_server();
  kex.pair = wire::KexKeyPair::generate(*method);
  if (!kex.pair) co_return failed(Outcome::protocol_error, "OpenSSL could not make a key pair for " + choice_.kex);
  const wire::KexinitOffer offer = make_offer(choice_, *server, *protection);
  kex.client_kexinit = wire::write_kexinit(offer);
  ByteVec request = out_.seal(kex.client_kexinit);
  const ByteVec init =
      out_.seal(wire::values_are_mpints(*method) ? wire::write_kexdh_init(kex.pair->public_value())
                                                 : wire::write_kex_ecdh_init(kex.pair->public_value()));
  request.insert(request.end(), init.begin(), init.end());
  step = co_await session_.send(std::move(request));
  if (!step.ok()) co_return step;
  context_.kex = wire::kex_family(*method);
  co_return co_await finish_kex(kex);
}

// The server's reply: K, H, the signature check, keys, then NEWKEYS both ways.
asio::awaitable<Step> ClientTransport::finish_kex(Kex& kex) {
  wire::Message reply;
  Step step = co_await receive(reply);
  if (!step.ok()) co_return step;
  const auto* r = std::get_if<wire::KexReply>(&reply.body);
  if (r == nullptr) co_return failed(Outcome::protocol_error, "expected the key exchange reply, got " + reply.name);
  const auto secret = kex.pair->shared_secret(r->value.value);
  if (!secret)
    co_return failed(Outcome::protocol_error, "the server's exchange value is refused: " + secret.error().message);
  const wire::ExchangeInputs inputs{.client_id = kex.client_id,
                                    .server_id = established_.server.line,
                                    .client_kexinit = kex.client_kexinit,
                                    .server_kexinit = kex.server_kexinit,
                                    .host_key = r->host_key.raw,
                                    .client_value = kex.pair->public_value(),
                                    .server_value = r->value.value,
                                    .shared_secret = *secret};
  const ByteVec h = wire::exchange_hash(inputs, wire::values_are_mpints(kex.method));
  const auto verified = wire::verify_host_signature(r->host_key.raw, signature_blob(r->signature), h);
  if (!verified)
    co_return failed(Outcome::protocol_error, "the host key signature is refused: " + verified.error().message);
  established_.host_key_algorithm = *verified;
  established_.host_key_fingerprint = fingerprint_sha256(r->host_key.raw);
  step = take_keys(kex, h, *secret);
  if (!step.ok()) co_return step;
  const ByteVec newkeys = out_.seal(wire::write_message(wire::msg::newkeys));
  step = co_await session_.send(newkeys);
  if (!step.ok()) co_return step;
  out_ = wire::PacketProtection(kex.protection, std::move(next_out_), kex.strict ? 0 : out_.sequence());
  wire::Message theirs;
  step = co_await receive(theirs);
  if (!step.ok()) co_return step;
  if (theirs.number.value != wire::msg::newkeys)
    co_return failed(Outcome::protocol_error, "expected NEWKEYS, got " + theirs.name);
  in_ = wire::PacketProtection(kex.protection, std::move(next_in_), kex.strict ? 0 : in_.sequence());
  co_return step;
}

Step ClientTransport::take_keys(const Kex& kex, const ByteVec& h, const ByteVec& shared_secret) {
  established_.session_id = h;
  established_.kex = choice_.kex;
  established_.cipher = choice_.cipher;
  established_.mac = kex.protection == wire::Protection::chacha20_poly1305 ? "" : choice_.mac;
  established_.strict_kex = kex.strict;
  const wire::KeySizes sizes = wire::key_sizes(kex.protection);
  const auto keys = [&](char iv, char key, char mac) {
    return wire::DirectionKeys{.iv = wire::derive_key(shared_secret, h, iv, h, sizes.iv),
                               .key = wire::derive_key(shared_secret, h, key, h, sizes.key),
                               .mac = wire::derive_key(shared_secret, h, mac, h, sizes.mac)};
  };
  next_out_ = keys('A', 'C', 'E');
  next_in_ = keys('B', 'D', 'F');
  return Step{};
}

}  // namespace sd::probe::ssh
