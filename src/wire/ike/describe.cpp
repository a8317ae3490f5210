#include "wire/ike/describe.h"

#include <cstdio>

#include "wire/ike/dn.h"
#include "wire/ike/registry.h"

namespace sd::ike {
namespace {

std::string flag_text(std::uint8_t flags) {
  std::string out;
  const auto add = [&](std::uint8_t bit, const char* name) {
    if (!(flags & bit)) return;
    if (!out.empty()) out += "|";
    out += name;
  };
  add(kFlagInitiator, "INITIATOR");
  add(kFlagVersion, "VERSION");
  add(kFlagResponse, "RESPONSE");
  return out.empty() ? "none" : out;
}

std::string hex_u64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

Field header_field(const Header& h, std::size_t base) {
  Field f = leaf("header", "", base, kHeaderSize);
  f.add(leaf("initiator_spi", hex_u64(h.initiator_spi), base, 8));
  f.add(leaf("responder_spi", hex_u64(h.responder_spi), base + 8, 8));
  f.add(leaf("next_payload", payload_label(h.next_payload), base + 16, 1, h.next_payload));
  f.add(leaf("version", std::to_string(h.major_version) + "." + std::to_string(h.minor_version), base + 17, 1));
  f.add(leaf("exchange_type", code_label("exchange", h.exchange_type), base + 18, 1, h.exchange_type));
  f.add(leaf("flags", flag_text(h.flags), base + 19, 1, h.flags));
  f.add(leaf("message_id", std::to_string(h.message_id), base + 20, 4, h.message_id));
  f.add(leaf("length", std::to_string(h.length), base + 24, 4, h.length));
  return f;
}

Field transform_field(const Transform& t) {
  Field f = leaf("transform", transform_id_label(t.type, t.id), t.offset, t.length, t.id);
  f.add(leaf("type", code_label("transform-type", t.type), t.offset + 4, 1, t.type));
  f.add(leaf("id", transform_id_label(t.type, t.id), t.offset + 6, 2, t.id));
  if (t.key_length) f.add(leaf("key_length", std::to_string(*t.key_length), t.offset + 8, 4, *t.key_length));
  for (const auto& a : t.attributes)
    if (!(a.tv && a.type == 14))
      f.add(leaf("attribute", code_label("attribute", a.type) + "=" + (a.tv ? std::to_string(a.value) : to_hex(a.data)),
                 a.offset, a.tv ? 4 : 4 + a.data.size(), a.type));
  return f;
}

Field proposal_field(const Proposal& p) {
  Field f = leaf("proposal", std::to_string(p.number), p.offset, p.length, p.number);
  f.add(leaf("protocol", code_label("protocol", p.protocol), p.offset + 5, 1, p.protocol));
  if (!p.spi.empty()) f.add(leaf("spi", to_hex(p.spi), p.offset + 8, p.spi.size()));
  for (const auto& t : p.transforms) f.add(transform_field(t));
  return f;
}

Field notify_field(const NotifyPayload& n, std::size_t at) {
  Field f = leaf("notify", notify_label(n.type), at, 0, n.type);
  f.add(leaf("type", notify_label(n.type), at + 6, 2, n.type));
  f.add(leaf("kind", n.type < 16384 ? "error" : "status", at + 6, 2));
  if (n.protocol != 0) f.add(leaf("protocol", code_label("protocol", n.protocol), at + 4, 1, n.protocol));
  if (!n.spi.empty()) f.add(leaf("spi", to_hex(n.spi), at + 8, n.spi.size()));
  const std::size_t data_at = at + 8 + n.spi.size();
  if (n.requested_group) f.add(leaf("requested_group", dh_group_label(*n.requested_group), data_at, 2, *n.requested_group));
  for (std::size_t i = 0; i < n.hash_algorithms.size(); ++i)
    f.add(leaf("hash_algorithm", code_label("hash-algorithm", n.hash_algorithms[i]), data_at + 2 * i, 2,
               n.hash_algorithms[i]));
  if (!n.data.empty() && !n.requested_group && n.hash_algorithms.empty())
    f.add(leaf("data", to_hex(n.data), data_at, n.data.size()));
  return f;
}

Field selector_field(const TrafficSelector& s) {
  Field f = leaf("selector", code_label("ts-type", s.type), 0, 0, s.type);
  if (s.type == 7 || s.type == 8) {
    const std::uint8_t id_type = s.type == 7 ? 1 : 5;
    f.value += " " + identity_text(id_type, s.start_address) + "-" + identity_text(id_type, s.end_address);
    f.add(leaf("ip_protocol", std::to_string(s.ip_protocol), 0, 0, s.ip_protocol));
    f.add(leaf("ports", std::to_string(s.start_port) + "-" + std::to_string(s.end_port)));
  } else if (!s.data.empty()) {
    f.add(leaf("data", to_hex(s.data)));
  }
  return f;
}

// Adds the body-specific children of one payload.
struct BodyFields {
  Field& f;
  const Payload& p;
  std::size_t at() const { return p.offset + 4; }
  void operator()(const RawPayload& b) const { f.add(leaf("data", to_hex(b.data), at(), b.data.size())); }
  void operator()(const SaPayload& b) const {
    for (const auto& pr : b.proposals) f.add(proposal_field(pr));
  }
  void operator()(const KePayload& b) const {
    f.value = dh_group_label(b.group);
    f.add(leaf("group", dh_group_label(b.group), at(), 2, b.group));
    f.add(leaf("data_length", std::to_string(b.data.size()), at() + 4, b.data.size()));
    if (!b.size_ok()) f.add(leaf("expected_length", std::to_string(*b.expected_bytes), at() + 4, b.data.size()));
  }
  void operator()(const NoncePayload& b) const { f.add(leaf("nonce", to_hex(b.data), at(), b.data.size())); }
  void operator()(const NotifyPayload& b) const {
    Field n = notify_field(b, p.offset);
    f.value = n.value;
    f.code = n.code;
    for (auto& c : n.children) f.add(std::move(c));
  }
  void operator()(const IdPayload& b) const {
    f.value = identity_text(b.type, b.data);
    f.add(leaf("id_type", code_label("id-type", b.type), at(), 1, b.type));
    f.add(leaf("id", identity_text(b.type, b.data), at() + 4, b.data.size()));
  }
  void operator()(const CertPayload& b) const {
    f.value = code_label("cert-encoding", b.encoding);
    f.add(leaf("encoding", f.value, at(), 1, b.encoding));
    f.add(leaf("data_length", std::to_string(b.data.size()), at() + 1, b.data.size()));
    if (p.type == kCERTREQ && b.encoding == 4 && b.data.size() % 20 == 0)
      for (std::size_t i = 0; i < b.data.size(); i += 20)
        f.add(leaf("ca_key_hash", to_hex(Bytes(b.data).subspan(i, 20)), at() + 1 + i, 20));
  }
  void operator()(const AuthPayload& b) const {
    f.value = code_label("auth-method", b.method);
    f.add(leaf("method", f.value, at(), 1, b.method));
    f.add(leaf("data_length", std::to_string(b.data.size()), at() + 4, b.data.size()));
  }
  void operator()(const TsPayload& b) const {
    for (const auto& s : b.selectors) f.add(selector_field(s));
  }
  void operator()(const DeletePayload& b) const {
    f.value = code_label("protocol", b.protocol);
    f.add(leaf("protocol", f.value, at(), 1, b.protocol));
    for (const auto& s : b.spis) f.add(leaf("spi", to_hex(s)));
  }
  void operator()(const VendorPayload& b) const {
    const auto* v = match_vendor_id(b.data);
    f.value = v ? v->name : "unknown";
    f.add(leaf("vendor_id", to_hex(b.data), at(), b.data.size()));
    if (v) f.add(leaf("vendor", v->vendor, at(), v->prefix.size()));
  }
  void operator()(const EncryptedPayload& b) const {
    f.add(leaf("inner_next_payload", payload_label(b.inner_next), p.offset, 1, b.inner_next));
    f.add(leaf("encrypted_length", std::to_string(b.data.size()), at(), b.data.size()));
  }
  void operator()(const FragmentPayload& b) const {
    f.value = std::to_string(b.number) + "/" + std::to_string(b.total);
    f.add(leaf("inner_next_payload", payload_label(b.inner_next), p.offset, 1, b.inner_next));
    f.add(leaf("fragment_number", std::to_string(b.number), at(), 2, b.number));
    f.add(leaf("total_fragments", std::to_string(b.total), at() + 2, 2, b.total));
    f.add(leaf("encrypted_length", std::to_string(b.data.size()), at() + 4, b.data.size()));
  }
};

// The payload's short name; the nonce is Ni in a request and Nr in a response.
std::string payload_name(const Payload& p, bool response) {
  if (p.type == kNonce) return response ? "Nr" : "Ni";
  return payload_label(p.type);
}

std::string payload_word(const Payload& p, bool response) {
  if (const auto* n = std::get_if<NotifyPayload>(&p.body)) return "N(" + notify_label(n->type) + ")";
  return payload_name(p, response);
}

Field ikev1_payload_field(const Ikev1Payload& p) {
  Field f = leaf(code_label("ikev1-payload", p.type), "", p.offset, p.length, p.type);
  if (p.notify_type) f.value = code_label("ikev1-notify", *p.notify_type);
  if (p.type == kIkev1VendorId) {
    const auto* v = match_vendor_id(p.data);
    f.value = v ? v->name : "unknown";
    f.add(leaf("vendor_id", to_hex(p.data), p.offset + 4, p.data.size()));
  }
  return f;
}

Field ikev1_header_field(const Header& h, std::size_t base) {
  Field f = header_field(h, base);
  f.children[2].value = code_label("ikev1-payload", h.next_payload);
  f.children[4].value = code_label("ikev1-exchange", h.exchange_type);
  return f;
}

// Error notifies that observations() explains in words of their own.
bool explained_error(std::uint16_t type) {
  return type == kNoProposalChosen || type == kInvalidKePayload || type == kAuthenticationFailed ||
         type == kTsUnacceptable;
}

}  // namespace

std::string identity_text(std::uint8_t id_type, Bytes data) {
  if (id_type == 1 && data.size() == 4)
    return std::to_string(data[0]) + "." + std::to_string(data[1]) + "." + std::to_string(data[2]) + "." +
           std::to_string(data[3]);
  if (id_type == 5 && data.size() == 16) {
    std::string out;
    for (std::size_t i = 0; i < 16; i += 2) {
      char buf[6];
      std::snprintf(buf, sizeof buf, "%x", (data[i] << 8) | data[i + 1]);
      out += (i ? ":" : "") + std::string(buf);
    }
    return out;
  }
  if (id_type == 2 || id_type == 3) return printable(data);
  if (id_type == 9)
    if (auto dn = dn_text(data)) return *dn;
  return to_hex(data);
}

Field describe(const Message& m) {
  const std::size_t base = m.non_esp_marker ? 4 : 0;
  Field root = leaf("ike", summary(m), base, m.raw.size());
  if (m.non_esp_marker) root.add(leaf("non_esp_marker", "00000000", 0, 4));
  root.add(m.ikev1() ? ikev1_header_field(m.header, base) : header_field(m.header, base));
  for (const auto& p : m.ikev1_payloads) root.add(ikev1_payload_field(p));
  for (const auto& p : m.payloads) {
    Field f = leaf(payload_name(p, m.header.response()), "", p.offset, p.length, p.type);
    if (p.critical) f.add(leaf("critical", "yes", p.offset + 1, 1));
    std::visit(BodyFields{f, p}, p.body);
    root.add(std::move(f));
  }
  return root;
}

std::string summary(const Message& m) {
  if (m.ikev1()) return "IKEv1 (ISAKMP) " + code_label("ikev1-exchange", m.header.exchange_type) + " message";
  std::string out = code_label("exchange", m.header.exchange_type) + (m.header.response() ? " response " : " request ") +
                    std::to_string(m.header.message_id) + " [";
  for (const auto& p : m.payloads) out += " " + payload_word(p, m.header.response());
  return out + " ]";
}

std::vector<std::string> observations(const Message& m) {
  std::vector<std::string> out;
  if (m.ikev1()) {
    out.push_back("The peer speaks IKEv1 (major version 1), not IKEv2: configure an IKEv1 connection on this side "
                  "or enable IKEv2 on the peer.");
    for (const auto& p : m.ikev1_payloads) {
      if (p.notify_type) out.push_back("IKEv1 notification " + code_label("ikev1-notify", *p.notify_type) + ".");
      if (p.type == kIkev1VendorId)
        if (const auto* known = match_vendor_id(p.data)) out.push_back("Vendor ID: " + known->name + ".");
    }
    return out;
  }
  for (const auto& p : m.payloads) {
    if (const auto* n = std::get_if<NotifyPayload>(&p.body)) {
      if (n->type == kNoProposalChosen)
        out.push_back("The responder accepted none of the offered proposals (NO_PROPOSAL_CHOSEN).");
      if (n->requested_group)
        out.push_back("The responder wants key exchange group " + dh_group_label(*n->requested_group) +
                      " (INVALID_KE_PAYLOAD); the initiator should retry with that group's KE.");
      if (n->type == kCookie) out.push_back("The responder asks for a cookie before it commits state (COOKIE).");
      if (n->type == kAuthenticationFailed) out.push_back("The peer rejected the authentication (AUTHENTICATION_FAILED).");
      if (n->type == kTsUnacceptable) out.push_back("The peer rejected the traffic selectors (TS_UNACCEPTABLE).");
      if (n->type < 16384 && !explained_error(n->type))
        out.push_back("The peer reports the error " + notify_label(n->type) + ".");
    }
    if (const auto* k = std::get_if<KePayload>(&p.body); k && !k->size_ok())
      out.push_back("The KE payload for " + dh_group_label(k->group) + " carries " + std::to_string(k->data.size()) +
                    " bytes where the group needs " + std::to_string(*k->expected_bytes) + ".");
    if (const auto* v = std::get_if<VendorPayload>(&p.body))
      if (const auto* known = match_vendor_id(v->data)) out.push_back("Vendor ID: " + known->name + ".");
  }
  return out;
}

}  // namespace sd::ike
