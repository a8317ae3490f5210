#include "wire/ssh/messages.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "wire/ssh/wire_reader.h"

namespace sd::ssh {

namespace {

/// A reason code named from the registry `find` reads, then its description and language tag.
template <class Refusal, class Find>
Body with_reason(WireReader& w, Refusal m, Find find) {
  m.reason = w.u32("reason_code");
  m.description = w.text("description");
  m.language = w.text("language_tag");
  if (const ReasonInfo* r = find(m.reason.value)) m.reason_name = r->name;
  return m;
}

Body parse_disconnect(WireReader& w, KexFamily) { return with_reason(w, Disconnect{}, find_reason); }

Body parse_ignore(WireReader& w, KexFamily) { return Ignore{w.blob("data")}; }

Body parse_unimplemented(WireReader& w, KexFamily) { return Unimplemented{w.u32("sequence_number")}; }

Body parse_debug(WireReader& w, KexFamily) {
  Debug d;
  d.always_display = w.boolean("always_display");
  d.message = w.text("message");
  d.language = w.text("language_tag");
  return d;
}

Body parse_service(WireReader& w, KexFamily) { return Service{w.text("service_name")}; }

/// Splits a value on commas when it reads as a name-list; empty when it does not.
std::vector<std::string> as_names(const ByteVec& value) {
  Writer framed;
  framed.prefixed(4, [&](Writer& b) { b.bytes(value); });
  WireReader r(Reader::bounded(framed.data()), {});
  Names n = r.names("value");
  return r.ok() ? n.value : std::vector<std::string>{};
}

Body parse_ext_info(WireReader& w, KexFamily) {
  ExtInfo x;
  x.count = w.u32("nr_extensions");
  for (std::uint32_t i = 0; i < x.count.value && w.ok(); ++i) {
    Extension e;
    e.name = w.text("extension_name");
    e.value = w.blob("extension_value");
    if (e.name.value == "server-sig-algs") e.names = as_names(e.value.value);
    if (w.ok()) x.extensions.push_back(std::move(e));
  }
  return x;
}

Body parse_kexinit(WireReader& w, KexFamily) {
  Kexinit k;
  k.cookie = w.fixed(16, "cookie");
  for (std::size_t i = 0; i < kKexListCount; ++i) k.lists[i] = w.names(kKexListNames[i]);
  k.first_kex_packet_follows = w.boolean("first_kex_packet_follows");
  k.reserved = w.u32("reserved");
  return k;
}

Body parse_empty(WireReader&, KexFamily) { return Empty{}; }

bool carries_mpint(KexFamily f) { return f == KexFamily::dh || f == KexFamily::gex; }

Body parse_kex_public(WireReader& w, KexFamily f) {
  KexPublic p;
  p.value = w.blob(carries_mpint(f) ? "e" : "public_value");
  if (carries_mpint(f)) p.bits = mpint_bits(p.value.value);
  return p;
}

/// Parses a string holding a nested blob with parse, recording its error in w.
template <class T, class Parse>
T nested_blob(WireReader& w, std::string_view field, Parse parse) {
  const Blob b = w.blob(field);
  if (!w.ok()) return T{};
  auto r = parse(b.value, b.offset + 4, w.prefix() + "." + std::string(field));
  if (!r) {
    w.adopt(r.error());
    return T{};
  }
  return std::move(r).value();
}

Result<HostKey> key_at(Bytes b, std::size_t at, std::string path) { return parse_host_key(b, at, std::move(path)); }
Result<Signature> sig_at(Bytes b, std::size_t at, std::string path) { return parse_signature(b, at, std::move(path)); }

Body parse_kex_reply(WireReader& w, KexFamily f) {
  KexReply r;
  r.host_key = nested_blob<HostKey>(w, "host_key", key_at);
  r.value = w.blob(carries_mpint(f) ? "f" : "public_value");
  if (carries_mpint(f)) r.bits = mpint_bits(r.value.value);
  r.signature = nested_blob<Signature>(w, "signature", sig_at);
  return r;
}

Body parse_gex_request_old(WireReader& w, KexFamily) { return GexRequest{std::nullopt, w.u32("n"), std::nullopt}; }

Body parse_gex_request(WireReader& w, KexFamily) {
  GexRequest g;
  g.min = w.u32("min");
  g.preferred = w.u32("n");
  g.max = w.u32("max");
  return g;
}

Body parse_gex_group(WireReader& w, KexFamily) {
  GexGroup g;
  g.prime = w.blob("p");
  g.prime_bits = mpint_bits(g.prime.value);
  g.generator = w.blob("g");
  return g;
}

/// Marks where a secret sat without keeping it.
At<std::size_t> skip_secret(WireReader& w, std::string_view field) {
  const std::size_t at = w.offset();
  auto body = w.nested(field);
  return {body ? body->remaining() : 0, at, w.offset() - at};
}

void parse_publickey(WireReader& w, UserauthRequest& u, bool hostbased) {
  if (!hostbased) u.flag = w.boolean("has_signature");
  u.algorithm = w.text("algorithm");
  u.key = nested_blob<HostKey>(w, "key", key_at);
  if (hostbased) {
    w.text("client_host");
    w.text("client_user");
  }
  if (hostbased || u.flag->value) u.signature = nested_blob<Signature>(w, "signature", sig_at);
}

Body parse_userauth_request(WireReader& w, KexFamily) {
  UserauthRequest u;
  u.user = w.text("user_name");
  u.service = w.text("service_name");
  u.method = w.text("method_name");
  const std::string& m = u.method.value;
  if (m == "password") {
    u.flag = w.boolean("change");
    u.password = skip_secret(w, "password");
    if (u.flag->value) u.new_password = skip_secret(w, "new_password");
  } else if (m == "publickey" || m == "hostbased") {
    parse_publickey(w, u, m == "hostbased");
  } else if (m == "keyboard-interactive") {
    u.language = w.text("language_tag");
    u.submethods = w.text("submethods");
  } else if (m != "none") {
    u.rest = w.rest();
  }
  return u;
}

Body parse_userauth_failure(WireReader& w, KexFamily) {
  UserauthFailure f;
  f.methods = w.names("authentications");
  f.partial_success = w.boolean("partial_success");
  return f;
}

Body parse_userauth_banner(WireReader& w, KexFamily) {
  UserauthBanner b;
  b.message = w.text("message");
  b.language = w.text("language_tag");
  return b;
}

bool carries_host_keys(std::string_view name) {
  return name == "hostkeys-00@openssh.com" || name == "hostkeys-prove-00@openssh.com";
}

Body parse_pk_ok(WireReader& w, KexFamily) {
  PkOk p;
  p.algorithm = w.text("algorithm");
  p.key = nested_blob<HostKey>(w, "key", key_at);
  return p;
}

Body parse_passwd_changereq(WireReader& w, KexFamily) {
  PasswordChangeRequest p;
  p.prompt = w.text("prompt");
  p.language = w.text("language_tag");
  return p;
}

Body parse_info_request(WireReader& w, KexFamily) {
  InfoRequest r;
  r.name = w.text("name");
  r.instruction = w.text("instruction");
  r.language = w.text("language_tag");
  r.count = w.u32("num_prompts");
  for (std::uint32_t i = 0; i < r.count.value && w.ok(); ++i) {
    Prompt p;
    p.text = w.text("prompt");
    p.echo = w.boolean("echo");
    if (w.ok()) r.prompts.push_back(std::move(p));
  }
  return r;
}

Body parse_info_response(WireReader& w, KexFamily) {
  InfoResponse r;
  r.count = w.u32("num_responses");
  for (std::uint32_t i = 0; i < r.count.value && w.ok(); ++i) {
    const auto secret = skip_secret(w, "response");
    if (w.ok()) r.responses.push_back(secret);
  }
  return r;
}

Body parse_global_request(WireReader& w, KexFamily) {
  GlobalRequest g;
  g.name = w.text("request_name");
  g.want_reply = w.boolean("want_reply");
  if (!carries_host_keys(g.name.value)) {
    g.data = w.rest();
    return g;
  }
  g.data.offset = w.offset();
  while (w.ok() && !w.empty()) g.host_keys.push_back(nested_blob<HostKey>(w, "host_key", key_at));
  g.data.length = w.offset() - g.data.offset;
  return g;
}

Body parse_request_success(WireReader& w, KexFamily) { return RequestSuccess{w.rest()}; }

/// The fields CHANNEL_OPEN and its confirmation end with: sender channel, window, maximum packet, the rest.
template <class Open>
Body with_channel_terms(WireReader& w, Open c) {
  c.sender = w.u32("sender_channel");
  c.window = w.u32("initial_window_size");
  c.max_packet = w.u32("maximum_packet_size");
  c.extra = w.rest();
  return c;
}

Body parse_channel_open(WireReader& w, KexFamily) {
  ChannelOpen c;
  c.type = w.text("channel_type");
  return with_channel_terms(w, std::move(c));
}

Body parse_channel_open_confirmation(WireReader& w, KexFamily) {
  ChannelOpenConfirmation c;
  c.recipient = w.u32("recipient_channel");
  return with_channel_terms(w, std::move(c));
}

Body parse_channel_open_failure(WireReader& w, KexFamily) {
  ChannelOpenFailure c;
  c.recipient = w.u32("recipient_channel");
  return with_reason(w, std::move(c), find_channel_failure);
}

Body parse_channel_request(WireReader& w, KexFamily) {
  ChannelRequest c;
  c.recipient = w.u32("recipient_channel");
  c.type = w.text("request_type");
  c.want_reply = w.boolean("want_reply");
  c.extra = w.rest();
  return c;
}

/// CHANNEL_DATA, or with `extended` CHANNEL_EXTENDED_DATA, whose data type code stands before the data.
ChannelData channel_data(WireReader& w, bool extended) {
  ChannelData c;
  c.recipient = w.u32("recipient_channel");
  if (extended) c.data_type = w.u32("data_type_code");
  c.data = w.blob("data");
  return c;
}

Body parse_channel_data(WireReader& w, KexFamily) { return channel_data(w, false); }

Body parse_channel_extended_data(WireReader& w, KexFamily) { return channel_data(w, true); }

Body parse_channel_window_adjust(WireReader& w, KexFamily) {
  ChannelWindowAdjust c;
  c.recipient = w.u32("recipient_channel");
  c.bytes = w.u32("bytes_to_add");
  return c;
}

Body parse_channel_ref(WireReader& w, KexFamily) { return ChannelRef{w.u32("recipient_channel")}; }

/// Families a parser row applies to, as a bit set; kAny covers every family and the unknown one.
constexpr unsigned bit(KexFamily f) { return 1u << static_cast<unsigned>(f); }
constexpr unsigned kAny = 0xffu;
constexpr unsigned kDhOrEcdh = bit(KexFamily::unknown) | bit(KexFamily::dh) | bit(KexFamily::ecdh);
constexpr unsigned kGex = bit(KexFamily::unknown) | bit(KexFamily::gex);

struct ParserRow {
  std::uint8_t number;
  unsigned families;
  Body (*parse)(WireReader&, KexFamily);
  std::string_view auth_method = {};  ///< for 60–79: the method giving the number this meaning
};

constexpr ParserRow kParsers[] = {
    {msg::disconnect, kAny, parse_disconnect},
    {msg::ignore, kAny, parse_ignore},
    {msg::unimplemented, kAny, parse_unimplemented},
    {msg::debug, kAny, parse_debug},
    {msg::service_request, kAny, parse_service},
    {msg::service_accept, kAny, parse_service},
    {msg::ext_info, kAny, parse_ext_info},
    {msg::kexinit, kAny, parse_kexinit},
    {msg::newkeys, kAny, parse_empty},
    {msg::kex_30, kDhOrEcdh, parse_kex_public},
    {msg::kex_31, kDhOrEcdh, parse_kex_reply},
    {msg::kex_30, bit(KexFamily::gex), parse_gex_request_old},
    {msg::kex_31, bit(KexFamily::gex), parse_gex_group},
    {msg::gex_init, kGex, parse_kex_public},
    {msg::gex_reply, kGex, parse_kex_reply},
    {msg::gex_request, kGex, parse_gex_request},
    {msg::userauth_request, kAny, parse_userauth_request},
    {msg::userauth_failure, kAny, parse_userauth_failure},
    {msg::userauth_success, kAny, parse_empty},
    {msg::userauth_banner, kAny, parse_userauth_banner},
    {msg::userauth_60, kAny, parse_pk_ok, "publickey"},
    {msg::userauth_60, kAny, parse_passwd_changereq, "password"},
    {msg::userauth_60, kAny, parse_info_request, "keyboard-interactive"},
    {msg::userauth_61, kAny, parse_info_response, "keyboard-interactive"},
    {msg::global_request, kAny, parse_global_request},
    {msg::request_success, kAny, parse_request_success},
    {msg::request_failure, kAny, parse_empty},
    {msg::channel_open, kAny, parse_channel_open},
    {msg::channel_open_confirmation, kAny, parse_channel_open_confirmation},
    {msg::channel_open_failure, kAny, parse_channel_open_failure},
    {msg::channel_window_adjust, kAny, parse_channel_window_adjust},
    {msg::channel_data, kAny, parse_channel_data},
    {msg::channel_extended_data, kAny, parse_channel_extended_data},
    {msg::channel_eof, kAny, parse_channel_ref},
    {msg::channel_close, kAny, parse_channel_ref},
    {msg::channel_request, kAny, parse_channel_request},
    {msg::channel_success, kAny, parse_channel_ref},
    {msg::channel_failure, kAny, parse_channel_ref},
};

const ParserRow* find_parser(std::uint8_t number, KexFamily family, std::string_view auth_method) {
  for (const auto& row : kParsers) {
    if (row.number != number) continue;
    if (row.auth_method.empty() ? (row.families & bit(family)) != 0 : row.auth_method == auth_method) return &row;
  }
  return nullptr;
}

bool method_specific(std::uint8_t number) { return number >= msg::userauth_60 && number <= 79; }

/// The family whose rows name a kex-range number when the context does not know the method.
KexFamily assumed_family(std::uint8_t number, KexFamily known) {
  if (known != KexFamily::unknown || number < msg::gex_init || number > 49) return known;
  return KexFamily::gex;  // 32–34 are used only by group exchange among the common methods
}

void name_overloaded(Message& m, const std::vector<const MessageInfo*>& rows, KexFamily family) {
  const bool dh_or_ecdh_shape = m.number.value <= msg::kex_31 && family == KexFamily::unknown;
  for (const MessageInfo* row : rows) {
    if (dh_or_ecdh_shape && row->family != "dh" && row->family != "ecdh") continue;
    if (!m.name.empty()) m.name += "/";
    m.name += row->name;
    m.layer = row->layer;
  }
}

/// Names the message from the registry; selector is the kex family or auth method that decides overloaded numbers.
void name_message(Message& m, KexFamily family, std::string_view selector) {
  const std::uint8_t n = m.number.value;
  const MessageInfo* row = find_message(n, selector.empty() ? "-" : selector);
  if (!row) row = find_message(n, "-");
  if (row) {
    m.name = row->name;
    m.layer = row->layer;
    m.registered = true;
    return;
  }
  const auto rows = find_messages(n);
  if (!rows.empty()) {
    name_overloaded(m, rows, family);
    m.registered = true;
    return;
  }
  m.name = "UNKNOWN_" + std::to_string(n);
  if (const RangeInfo* r = find_range(n)) m.layer = r->layer;
}

std::string path_prefix(const std::string& name) {
  std::string out;
  for (const char c : name) out.push_back(c == '/' ? '|' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

void blank(ByteVec& payload, std::size_t base, const std::optional<At<std::size_t>>& secret) {
  if (!secret || secret->length < 4) return;
  const std::size_t from = secret->offset - base + 4;
  std::fill_n(payload.begin() + static_cast<std::ptrdiff_t>(from), secret->value, std::uint8_t{0});
}

/// Zeroes password bytes in the kept payload, so no copy of a secret outlives the parse.
void redact(Message& m) {
  if (const auto* u = std::get_if<UserauthRequest>(&m.body)) {
    blank(m.payload, m.offset, u->password);
    blank(m.payload, m.offset, u->new_password);
  }
  if (const auto* r = std::get_if<InfoResponse>(&m.body)) {
    for (const auto& answer : r->responses) blank(m.payload, m.offset, answer);
  }
}

}  // namespace

const Extension* ExtInfo::find(std::string_view name) const {
  for (const auto& e : extensions) {
    if (e.name.value == name) return &e;
  }
  return nullptr;
}

Result<Message> parse_message(Bytes payload, std::size_t base, const Context& context) {
  Message m;
  m.offset = base;
  m.length = payload.size();
  m.payload.assign(payload.begin(), payload.end());
  auto r = Reader::bounded(payload, base);
  const auto number = r.u8();
  if (!number) return malformed(base, "message.number", "empty_payload", "the packet carries no message number");
  m.number = {*number, base, 1};
  const KexFamily family = assumed_family(*number, context.kex);
  const std::string_view selector = method_specific(*number) ? std::string_view(context.auth_method) : family_name(family);
  name_message(m, family, selector);
  WireReader w(r, path_prefix(m.name));
  const ParserRow* row = find_parser(*number, family, method_specific(*number) ? context.auth_method : "");
  m.body = row ? row->parse(w, family) : Body{Generic{w.rest()}};
  w.expect_end();
  if (!w.ok()) return w.error();
  redact(m);
  return m;
}

}  // namespace sd::ssh
