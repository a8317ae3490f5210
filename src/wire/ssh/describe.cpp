#include "wire/ssh/describe.h"

#include <variant>

namespace sd::ssh {

namespace {

constexpr std::string_view kRedacted = "<redacted>";

Field text_field(std::string name, const Text& t) { return leaf(std::move(name), printable_text(t.value), t.offset, t.length); }

Field blob_field(std::string name, const Blob& b) { return leaf(std::move(name), to_hex(b.value), b.offset, b.length); }

Field u32_field(std::string name, const U32& v) {
  return leaf(std::move(name), std::to_string(v.value), v.offset, v.length, v.value);
}

Field flag_field(std::string name, const Flag& v) {
  return leaf(std::move(name), v.value ? "true" : "false", v.offset, v.length, v.value ? 1 : 0);
}

/// A name-list with one child per name, each at its own offset.
Field names_field(std::string name, const Names& list) {
  std::string joined;
  for (const auto& n : list.value) joined += (joined.empty() ? "" : ",") + n;
  Field f = leaf(std::move(name), joined, list.offset, list.length);
  std::size_t at = list.offset + 4;
  for (const auto& n : list.value) {
    f.add(leaf("name", n, at, n.size()));
    at += n.size() + 1;
  }
  return f;
}

Field secret_field(std::string name, const At<std::size_t>& secret) {
  return leaf(std::move(name), std::string(kRedacted), secret.offset, secret.length);
}

void add_body(Field&, const Generic& g) {}
void add_body(Field&, const Empty&) {}

/// A human-readable string and the language tag that follows it on the wire.
void add_localized(Field& f, std::string name, const Text& text, const Text& language) {
  f.add(text_field(std::move(name), text));
  f.add(text_field("language_tag", language));
}

/// A reason code (its registry name beside the number), then its description and language tag.
void add_reason(Field& f, const U32& code, const std::string& code_name, const Text& description,
                const Text& language) {
  Field& reason = f.add(u32_field("reason_code", code));
  if (!code_name.empty()) reason.value = code_name + " (" + reason.value + ")";
  add_localized(f, "description", description, language);
}

void add_body(Field& f, const Disconnect& d) { add_reason(f, d.reason, d.reason_name, d.description, d.language); }

void add_body(Field& f, const Ignore& i) { f.add(blob_field("data", i.data)); }
void add_body(Field& f, const Unimplemented& u) { f.add(u32_field("sequence_number", u.sequence)); }

void add_body(Field& f, const Debug& d) {
  f.add(flag_field("always_display", d.always_display));
  add_localized(f, "message", d.message, d.language);
}

void add_body(Field& f, const Service& s) { f.add(text_field("service_name", s.name)); }

void add_body(Field& f, const ExtInfo& x) {
  f.add(u32_field("nr_extensions", x.count));
  for (const auto& e : x.extensions) {
    Field& ext = f.add(text_field("extension", e.name));
    const bool is_text = printable(e.value.value) == std::string(e.value.value.begin(), e.value.value.end());
    ext.add(leaf("value", is_text ? printable(e.value.value) : to_hex(e.value.value), e.value.offset, e.value.length));
    for (const auto& n : e.names) ext.add(leaf("name", n));
  }
}

/// One "marker" field per strict-KEX / ext-info name in the kex list, at that name's bytes.
void add_markers(Field& f, const Field& kex_list) {
  for (const Field& name : kex_list.children) {
    const AlgorithmInfo* a = find_algorithm(name.value, "kex");
    if (a && a->family == "marker") f.add(leaf("marker", name.value, name.offset, name.length));
  }
}

void add_body(Field& f, const Kexinit& k) {
  f.add(blob_field("cookie", k.cookie));
  for (std::size_t i = 0; i < kKexListCount; ++i) f.add(names_field(std::string(kKexListNames[i]), k.lists[i]));
  f.add(flag_field("first_kex_packet_follows", k.first_kex_packet_follows));
  f.add(u32_field("reserved", k.reserved));
  const Field kex_list = *f.child(std::string(kKexListNames[0]));  // a copy: add_markers grows f
  add_markers(f, kex_list);
}

void add_value(Field& f, std::string name, const Blob& value, const std::optional<unsigned>& bits) {
  Field& v = f.add(blob_field(std::move(name), value));
  if (bits) v.add(leaf("bits", std::to_string(*bits), value.offset, value.length, *bits));
}

void add_body(Field& f, const KexPublic& p) { add_value(f, p.bits ? "e" : "public_value", p.value, p.bits); }

void add_body(Field& f, const KexReply& r) {
  f.add(describe(r.host_key));
  add_value(f, r.bits ? "f" : "public_value", r.value, r.bits);
  f.add(describe(r.signature));
}

void add_body(Field& f, const GexRequest& g) {
  if (g.min) f.add(u32_field("min", *g.min));
  f.add(u32_field("n", g.preferred));
  if (g.max) f.add(u32_field("max", *g.max));
}

void add_body(Field& f, const GexGroup& g) {
  Field& p = f.add(blob_field("p", g.prime));
  p.add(leaf("bits", std::to_string(g.prime_bits), g.prime.offset, g.prime.length, g.prime_bits));
  f.add(blob_field("g", g.generator));
}

void add_method_fields(Field& f, const UserauthRequest& u) {
  if (u.flag) f.add(flag_field(u.method.value == "password" ? "change" : "has_signature", *u.flag));
  if (u.password) f.add(secret_field("password", *u.password));
  if (u.new_password) f.add(secret_field("new_password", *u.new_password));
  if (u.algorithm) f.add(text_field("algorithm", *u.algorithm));
  if (u.key) f.add(describe(*u.key, "key"));
  if (u.signature) f.add(describe(*u.signature));
  if (u.language) f.add(text_field("language_tag", *u.language));
  if (u.submethods) f.add(text_field("submethods", *u.submethods));
  if (u.rest) f.add(blob_field("method_data", *u.rest));
}

void add_body(Field& f, const UserauthRequest& u) {
  f.add(text_field("user_name", u.user));
  f.add(text_field("service_name", u.service));
  f.add(text_field("method_name", u.method));
  add_method_fields(f, u);
}

void add_body(Field& f, const UserauthFailure& u) {
  f.add(names_field("authentications", u.methods));
  f.add(flag_field("partial_success", u.partial_success));
}

void add_body(Field& f, const UserauthBanner& b) { add_localized(f, "message", b.message, b.language); }

void add_body(Field& f, const PkOk& p) {
  f.add(text_field("algorithm", p.algorithm));
  f.add(describe(p.key, "key"));
}

void add_body(Field& f, const PasswordChangeRequest& p) { add_localized(f, "prompt", p.prompt, p.language); }

void add_body(Field& f, const InfoRequest& r) {
  f.add(text_field("name", r.name));
  add_localized(f, "instruction", r.instruction, r.language);
  f.add(u32_field("num_prompts", r.count));
  for (const auto& p : r.prompts) f.add(text_field("prompt", p.text)).add(flag_field("echo", p.echo));
}

void add_body(Field& f, const InfoResponse& r) {
  f.add(u32_field("num_responses", r.count));
  for (const auto& answer : r.responses) f.add(secret_field("response", answer));
}

void add_body(Field& f, const GlobalRequest& g) {
  f.add(text_field("request_name", g.name));
  f.add(flag_field("want_reply", g.want_reply));
  if (g.host_keys.empty() && !g.data.value.empty()) f.add(blob_field("data", g.data));
  for (const auto& k : g.host_keys) f.add(describe(k));
}

void add_channel_setup(Field& f, const U32& window, const U32& max_packet, const Blob& extra) {
  f.add(u32_field("initial_window_size", window));
  f.add(u32_field("maximum_packet_size", max_packet));
  if (!extra.value.empty()) f.add(blob_field("type_specific_data", extra));
}

void add_body(Field& f, const ChannelOpen& c) {
  f.add(text_field("channel_type", c.type));
  f.add(u32_field("sender_channel", c.sender));
  add_channel_setup(f, c.window, c.max_packet, c.extra);
}

void add_body(Field& f, const ChannelOpenConfirmation& c) {
  f.add(u32_field("recipient_channel", c.recipient));
  f.add(u32_field("sender_channel", c.sender));
  add_channel_setup(f, c.window, c.max_packet, c.extra);
}

void add_body(Field& f, const ChannelOpenFailure& c) {
  f.add(u32_field("recipient_channel", c.recipient));
  add_reason(f, c.reason, c.reason_name, c.description, c.language);
}

void add_body(Field& f, const ChannelRequest& c) {
  f.add(u32_field("recipient_channel", c.recipient));
  f.add(text_field("request_type", c.type));
  f.add(flag_field("want_reply", c.want_reply));
  if (!c.extra.value.empty()) f.add(blob_field("type_specific_data", c.extra));
}

void add_body(Field& f, const ChannelData& c) {
  f.add(u32_field("recipient_channel", c.recipient));
  if (c.data_type) f.add(u32_field("data_type_code", *c.data_type));
  f.add(leaf("data", "<" + std::to_string(c.data.value.size()) + " bytes>", c.data.offset, c.data.length));
}

void add_body(Field& f, const ChannelWindowAdjust& c) {
  f.add(u32_field("recipient_channel", c.recipient));
  f.add(u32_field("bytes_to_add", c.bytes));
}

void add_body(Field& f, const ChannelRef& c) { f.add(u32_field("recipient_channel", c.recipient)); }

void add_body(Field& f, const RequestSuccess& r) {
  if (!r.data.value.empty()) f.add(blob_field("data", r.data));
}

}  // namespace

std::string printable_text(std::string_view text) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out.push_back(c);
    } else {
      out += "\\x";
      out.push_back(kDigits[u >> 4]);
      out.push_back(kDigits[u & 0xf]);
    }
  }
  return out;
}

Field describe(const Identification& id) {
  Field f = leaf("identification", printable_text(id.line), id.offset, id.length);
  for (const auto& line : id.pre_banner) f.add(leaf("pre_banner_line", printable_text(line.text), line.offset, line.length));
  f.add(leaf("proto_version", printable_text(id.proto_version), id.offset + 4, id.proto_version.size()));
  const std::size_t sw_at = id.offset + 5 + id.proto_version.size();
  f.add(leaf("software_version", printable_text(id.software_version), sw_at, id.software_version.size()));
  if (!id.comments.empty()) {
    f.add(leaf("comments", printable_text(id.comments), sw_at + id.software_version.size() + 1, id.comments.size()));
  }
  for (const auto& d : id.deviations) f.add(leaf("deviation", d));
  return f;
}

Field describe(const Packet& p) {
  Field f = leaf("packet", "", p.offset, p.length);
  f.add(u32_field("packet_length", p.packet_length));
  f.add(leaf("padding_length", std::to_string(p.padding_length.value), p.padding_length.offset, 1,
             p.padding_length.value));
  f.add(blob_field("payload", p.payload));
  f.add(blob_field("padding", p.padding));
  if (!p.mac.value.empty()) f.add(blob_field("mac", p.mac));
  return f;
}

Field describe(const Message& m) {
  Field f = leaf("message", m.name, m.offset, m.length, m.number.value);
  f.add(leaf("number", std::to_string(m.number.value) + " " + m.name, m.number.offset, 1, m.number.value));
  if (!m.layer.empty()) f.add(leaf("layer", m.layer));
  if (const auto* g = std::get_if<Generic>(&m.body)) {
    if (!g->body.value.empty()) f.add(blob_field("body", g->body));
  }
  std::visit([&](const auto& body) { add_body(f, body); }, m.body);
  return f;
}

Field describe(const HostKey& k, std::string name) {
  Field f = leaf(std::move(name), printable_text(k.type.value), k.offset, k.length);
  f.add(text_field("type", k.type));
  if (k.certificate) f.add(leaf("certificate", "true"));
  if (!k.curve.value.empty()) f.add(text_field("curve", k.curve));
  if (k.bits) f.add(leaf("bits", std::to_string(*k.bits), k.key.offset, k.key.length, *k.bits));
  if (!k.key.value.empty()) f.add(blob_field("key", k.key));
  return f;
}

Field describe(const Signature& s, std::string name) {
  Field f = leaf(std::move(name), printable_text(s.algorithm.value), s.offset, s.length);
  f.add(text_field("algorithm", s.algorithm));
  f.add(blob_field("blob", s.signature));
  return f;
}

}  // namespace sd::ssh
