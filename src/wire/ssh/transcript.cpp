#include "wire/ssh/transcript.h"

#include <algorithm>

namespace sd::ssh {

namespace {

bool is_marker(const std::string& name) {
  const AlgorithmInfo* a = find_algorithm(name, "kex");
  return a && a->family == "marker";
}

/// The kex family the sender of a KEXINIT most likely uses: its first non-marker kex name.
KexFamily guess_family(const Kexinit& k) {
  for (const auto& name : k.list(KexList::kex).value) {
    if (!is_marker(name)) return kex_family(name);
  }
  return KexFamily::unknown;
}

bool read_packets(Transcript& t, Bytes data, Context& context, const PacketLimits& limits) {
  auto packet = parse_packet(data.subspan(t.consumed), t.consumed, limits);
  if (!packet) {
    t.error = packet.error();
    return false;
  }
  auto message = parse_message(packet->payload.value, packet->payload.offset, context);
  if (!message) {
    t.error = message.error();
    return false;
  }
  t.consumed += packet->length;
  if (const auto* k = std::get_if<Kexinit>(&message->body); k && context.kex == KexFamily::unknown) {
    context.kex = guess_family(*k);
  }
  if (const auto* u = std::get_if<UserauthRequest>(&message->body)) context.auth_method = u->method.value;
  t.newkeys_seen = message->number.value == msg::newkeys;
  t.packets.push_back(std::move(packet).value());
  t.messages.push_back(std::move(message).value());
  return !t.newkeys_seen && t.consumed < data.size();
}

std::optional<std::string> mac_for(const std::optional<std::string>& cipher, const Names& client, const Names& server) {
  if (cipher) {
    const AlgorithmInfo* a = find_algorithm(*cipher, "cipher");
    if (a && a->family == "aead") return std::string("<implicit>");
  }
  return first_match(client, server);
}

}  // namespace

std::optional<std::string> first_match(const Names& client, const Names& server) {
  for (const auto& name : client.value) {
    if (!is_marker(name) && contains(server, name)) return name;
  }
  return std::nullopt;
}

Transcript read_transcript(Bytes data, Context context, const PacketLimits& limits) {
  Transcript t;
  auto id = parse_identification(data);
  if (!id) {
    t.error = id.error();
    return t;
  }
  t.consumed = id->consumed;
  t.identification = std::move(id).value();
  while (t.consumed < data.size() && read_packets(t, data, context, limits)) {
  }
  return t;
}

Negotiated negotiate(const Kexinit& client, const Kexinit& server) {
  auto pick = [&](KexList which) { return first_match(client.list(which), server.list(which)); };
  Negotiated n;
  n.kex = pick(KexList::kex);
  n.host_key = pick(KexList::host_key);
  n.cipher_c2s = pick(KexList::cipher_c2s);
  n.cipher_s2c = pick(KexList::cipher_s2c);
  n.mac_c2s = mac_for(n.cipher_c2s, client.list(KexList::mac_c2s), server.list(KexList::mac_c2s));
  n.mac_s2c = mac_for(n.cipher_s2c, client.list(KexList::mac_s2c), server.list(KexList::mac_s2c));
  n.compression_c2s = pick(KexList::compression_c2s);
  n.compression_s2c = pick(KexList::compression_s2c);
  n.strict_kex = client.strict_kex_client() && server.strict_kex_server();
  return n;
}

}  // namespace sd::ssh
