// Extension bodies. One handler per type, found through kHandlers; unknown and GREASE types stay opaque.
#include "wire/tls/extensions.h"

#include <algorithm>

#include "wire/tls/registry.h"

namespace sd::tls {

namespace {

using registry::Names;

/// A handler reads one extension body and adds its parts to the field; it returns an error when the body is bad.
using Handler = std::optional<ParseError> (*)(Reader& r, Place place, Field& out);

std::string ext_name(std::uint16_t type) { return registry::name_of(Names::extension, type); }

Field coded(std::string name, std::string value, std::size_t offset, std::size_t length, std::uint64_t code) {
  return leaf(std::move(name), std::move(value), offset, length, code);
}

/// Reads a length-prefixed list of 16-bit codes, naming each through `name_of`.
template <class NameOf>
std::optional<ParseError> code_list(Reader& r, unsigned len_bytes, const char* item, NameOf name_of, Field& out,
                                    const std::string& path) {
  auto list = r.vec(len_bytes, 2, 0xfffe);
  if (!list || list->remaining() % 2) return r.fail(path, "decode_error");
  while (!list->empty()) {
    const std::size_t at = list->offset();
    const std::uint16_t v = *list->u16();
    out.add(coded(item, name_of(v), at, 2, v));
  }
  return std::nullopt;
}

std::optional<ParseError> server_name_body(Reader& r, Place place, Field& out) {
  if (r.empty()) return std::nullopt;  // the server's acknowledgement is empty
  auto list = r.vec(2, 1, 0xffff);
  if (!list) return r.fail("server_name.server_name_list", "decode_error");
  while (!list->empty()) {
    const std::size_t at = list->offset();
    const auto type = list->u8();
    auto name = list->vec(2, 1, 0xffff);
    if (!type || !name) return list->fail("server_name.server_name_list", "decode_error");
    const Bytes host = name->take_rest();
    out.add(coded(*type == 0 ? "host_name" : "name_type_" + std::to_string(*type),
                  std::string(host.begin(), host.end()), at, 3 + host.size(), *type));
  }
  return std::nullopt;
}

std::optional<ParseError> max_fragment_length(Reader& r, Place, Field& out) {
  const std::size_t at = r.offset();
  const auto v = r.u8();
  if (!v) return r.fail("max_fragment_length", "decode_error");
  const bool known = *v >= 1 && *v <= 4;
  out.add(coded("max_fragment_length", known ? std::to_string(1u << (8 + *v)) : "invalid_" + std::to_string(*v), at, 1, *v));
  return std::nullopt;
}

std::optional<ParseError> status_request(Reader& r, Place place, Field& out) {
  if (r.empty()) return std::nullopt;
  const std::size_t at = r.offset();
  const auto type = r.u8();
  if (!type) return r.fail("status_request.status_type", "decode_error");
  out.add(coded("status_type", *type == 1 ? "ocsp" : "unknown_" + std::to_string(*type), at, 1, *type));
  if (place == Place::certificate) {
    auto response = r.vec(3, 1, 0xffffff);
    if (!response) return r.fail("status_request.ocsp_response", "decode_error");
    out.add(leaf("ocsp_response_length", std::to_string(response->remaining()), response->offset(), response->remaining()));
    response->take_rest();
    return std::nullopt;
  }
  auto ids = r.vec(2, 0, 0xffff);
  auto exts = ids ? r.vec(2, 0, 0xffff) : std::nullopt;
  if (!ids || !exts) return r.fail("status_request", "decode_error");
  ids->take_rest();
  exts->take_rest();
  return std::nullopt;
}

std::optional<ParseError> supported_groups(Reader& r, Place, Field& out) {
  return code_list(r, 2, "group", registry::group_name, out, "supported_groups");
}

std::optional<ParseError> signature_algorithms(Reader& r, Place, Field& out) {
  return code_list(r, 2, "signature_scheme", registry::signature_scheme_name, out, "signature_algorithms");
}

/// Reads a 1-byte-length list of 8-bit codes named from a names-only registry.
std::optional<ParseError> u8_list(Reader& r, const char* item, Names table, Field& out, const std::string& path) {
  auto list = r.vec(1, 1, 0xff);
  if (!list) return r.fail(path, "decode_error");
  while (!list->empty()) {
    const std::size_t at = list->offset();
    const std::uint8_t v = *list->u8();
    out.add(coded(item, registry::name_of(table, v), at, 1, v));
  }
  return std::nullopt;
}

std::optional<ParseError> ec_point_formats(Reader& r, Place, Field& out) {
  return u8_list(r, "ec_point_format", Names::ec_point_format, out, "ec_point_formats");
}

std::optional<ParseError> alpn(Reader& r, Place, Field& out) {
  auto list = r.vec(2, 2, 0xffff);
  if (!list) return r.fail("application_layer_protocol_negotiation", "decode_error");
  while (!list->empty()) {
    const std::size_t at = list->offset();
    auto proto = list->vec(1, 1, 0xff);
    if (!proto) return list->fail("application_layer_protocol_negotiation.protocol_name", "decode_error");
    const Bytes p = proto->take_rest();
    out.add(leaf("protocol", printable(p), at, 1 + p.size()));
  }
  return std::nullopt;
}

std::optional<ParseError> supported_versions(Reader& r, Place place, Field& out) {
  if (place == Place::client_hello) return code_list(r, 1, "version", registry::version_name, out, "supported_versions");
  const std::size_t at = r.offset();
  const auto v = r.u16();
  if (!v) return r.fail("supported_versions.selected_version", "decode_error");
  out.add(coded("selected_version", registry::version_name(*v), at, 2, *v));
  return std::nullopt;
}

std::optional<ParseError> key_share_entry(Reader& r, Field& out) {
  const std::size_t at = r.offset();
  const auto group = r.u16();
  auto key = group ? r.vec(2, 1, 0xffff) : std::nullopt;
  if (!group || !key) return r.fail("key_share.client_shares", "decode_error");
  Field& f = out.add(coded("key_share_entry", registry::group_name(*group), at, 4 + key->remaining(), *group));
  f.add(leaf("key_exchange_length", std::to_string(key->remaining()), key->offset(), key->remaining()));
  key->take_rest();
  return std::nullopt;
}

std::optional<ParseError> key_share(Reader& r, Place place, Field& out) {
  if (place == Place::hello_retry_request) {
    const std::size_t at = r.offset();
    const auto group = r.u16();
    if (!group) return r.fail("key_share.selected_group", "decode_error");
    out.add(coded("selected_group", registry::group_name(*group), at, 2, *group));
    return std::nullopt;
  }
  if (place == Place::server_hello) return key_share_entry(r, out);
  auto shares = r.vec(2, 0, 0xffff);
  if (!shares) return r.fail("key_share.client_shares", "decode_error");
  while (!shares->empty())
    if (auto e = key_share_entry(*shares, out)) return e;
  return std::nullopt;
}

std::optional<ParseError> psk_modes(Reader& r, Place, Field& out) {
  return u8_list(r, "mode", Names::psk_mode, out, "psk_key_exchange_modes");
}

std::optional<ParseError> renegotiation_info(Reader& r, Place, Field& out) {
  auto info = r.vec(1, 0, 0xff);
  if (!info) return r.fail("renegotiation_info", "decode_error");
  out.add(leaf("renegotiated_connection_length", std::to_string(info->remaining()), info->offset(), info->remaining()));
  info->take_rest();
  return std::nullopt;
}

std::optional<ParseError> must_be_empty(Reader& r, Place, Field&) {
  if (r.empty()) return std::nullopt;
  return malformed(r.offset(), "extension", "decode_error", "this extension must have an empty body");
}

std::optional<ParseError> opaque_length(Reader& r, Place, Field& out) {
  const std::size_t at = r.offset();
  const Bytes body = r.take_rest();
  out.add(leaf("length", std::to_string(body.size()), at, body.size()));
  return std::nullopt;
}

std::optional<ParseError> padding(Reader& r, Place place, Field& out) {
  const Bytes body = r.rest();
  const bool zeros = std::all_of(body.begin(), body.end(), [](std::uint8_t b) { return b == 0; });
  opaque_length(r, place, out);
  if (!zeros) return malformed(out.offset, "padding", "illegal_parameter", "padding bytes must be zero");
  return std::nullopt;
}

std::optional<ParseError> cookie(Reader& r, Place, Field& out) {
  auto c = r.vec(2, 1, 0xffff);
  if (!c) return r.fail("cookie", "decode_error");
  out.add(leaf("cookie_length", std::to_string(c->remaining()), c->offset(), c->remaining()));
  c->take_rest();
  return std::nullopt;
}

std::optional<ParseError> certificate_authorities(Reader& r, Place, Field& out) {
  auto names = r.vec(2, 3, 0xffff);
  if (!names) return r.fail("certificate_authorities", "decode_error");
  while (!names->empty()) {
    auto dn = names->vec(2, 1, 0xffff);
    if (!dn) return names->fail("certificate_authorities.distinguished_name", "decode_error");
    out.add(leaf("distinguished_name", to_hex(dn->rest()), dn->offset(), dn->remaining()));
    dn->take_rest();
  }
  return std::nullopt;
}

struct ExtensionHandler {
  std::uint16_t type;
  Handler describe;
};

/// The extensions decoded field by field; everything else is shown as type and length.
constexpr ExtensionHandler kHandlers[] = {
    {code::kServerName, server_name_body},
    {code::kMaxFragmentLength, max_fragment_length},
    {code::kStatusRequest, status_request},
    {code::kSupportedGroups, supported_groups},
    {code::kEcPointFormats, ec_point_formats},
    {code::kSignatureAlgorithms, signature_algorithms},
    {code::kAlpn, alpn},
    {code::kPadding, padding},
    {code::kEncryptThenMac, must_be_empty},
    {code::kExtendedMasterSecret, must_be_empty},
    {code::kSessionTicket, opaque_length},
    {code::kSupportedVersions, supported_versions},
    {code::kCookie, cookie},
    {code::kPskModes, psk_modes},
    {code::kCertificateAuthorities, certificate_authorities},
    {code::kSignatureAlgorithmsCert, signature_algorithms},
    {code::kKeyShare, key_share},
    {code::kRenegotiationInfo, renegotiation_info},
};

Handler handler_for(std::uint16_t type) {
  for (const auto& h : kHandlers)
    if (h.type == type) return h.describe;
  return opaque_length;
}

}  // namespace

const Extension* find_extension(const std::vector<Extension>& exts, std::uint16_t type) {
  const auto it = std::find_if(exts.begin(), exts.end(), [&](const Extension& e) { return e.type == type; });
  return it == exts.end() ? nullptr : &*it;
}

std::vector<std::uint16_t> offered_versions(const ClientHello& hello) {
  std::vector<std::uint16_t> out;
  const Extension* ext = find_extension(hello.extensions, code::kSupportedVersions);
  if (!ext) return out;
  Reader r = Reader::bounded(ext->data);
  auto list = r.vec(1, 2, 0xfe);
  if (!list || list->remaining() % 2) return out;
  while (!list->empty()) out.push_back(*list->u16());
  return out;
}

std::uint16_t highest_offered_version(const ClientHello& hello) {
  std::uint16_t best = 0;
  for (const auto v : offered_versions(hello))
    if (!registry::is_grease(v) && v > best && (v >> 8) == 3) best = v;
  return best ? best : hello.legacy_version;
}

std::uint16_t selected_version(const ServerHello& hello) {
  const Extension* ext = find_extension(hello.extensions, code::kSupportedVersions);
  if (!ext) return hello.legacy_version;
  Reader r = Reader::bounded(ext->data);
  const auto v = r.u16();
  return v && r.empty() ? *v : hello.legacy_version;
}

std::string server_name(const ClientHello& hello) {
  const Extension* ext = find_extension(hello.extensions, code::kServerName);
  if (!ext) return {};
  Field f;
  Reader r = Reader::bounded(ext->data, ext->data_offset);
  if (server_name_body(r, Place::client_hello, f)) return {};
  const Field* host = f.child("host_name");
  return host ? host->value : std::string();
}

std::vector<std::uint16_t> u16_list(const Extension& ext) {
  std::vector<std::uint16_t> out;
  Reader r = Reader::bounded(ext.data);
  auto list = r.vec(2, 2, 0xfffe);
  if (!list || list->remaining() % 2) return out;
  while (!list->empty()) out.push_back(*list->u16());
  return out;
}

Field describe_extension(const Extension& ext, Place place) {
  Field f = leaf("extension", ext_name(ext.type), ext.offset, 4 + ext.data.size(), ext.type);
  if (registry::is_grease(ext.type)) {
    f.add(leaf("length", std::to_string(ext.data.size()), ext.data_offset, ext.data.size()));
    return f;
  }
  Reader r = Reader::bounded(ext.data, ext.data_offset);
  auto error = handler_for(ext.type)(r, place, f);
  if (!error) error = r.expect_end(ext_name(ext.type));
  if (error) f.add(leaf("error", error->code + ": " + error->message + " (" + error->path + ")", error->offset, 0));
  return f;
}

}  // namespace sd::tls
