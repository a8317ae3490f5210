#include "wire/decode/summarize.h"

#include <algorithm>

#include "wire/tls/describe.h"
#include "wire/tls/extensions.h"
#include "wire/tls/registry.h"

namespace sd::decode::detail {

namespace {

namespace reg = tls::registry;

/// Suites that say something about the connection (GREASE and signalling values aside).
std::vector<const reg::CipherSuite*> real_suites(const std::vector<std::uint16_t>& codes) {
  std::vector<const reg::CipherSuite*> out;
  for (const auto c : codes) {
    if (reg::is_grease(c) || reg::is_scsv(c)) continue;
    out.push_back(reg::find_cipher_suite(c));  // nullptr for unknown suites
  }
  return out;
}

bool forward_secret(const reg::CipherSuite& s) {
  return s.kx == "DHE" || s.kx == "ECDHE" || s.kx == "DHE_PSK" || s.kx == "ECDHE_PSK" || s.kx == "any" || s.kx == "DHE_EXPORT";
}

void suite_facts(Summary& s, const std::vector<std::uint16_t>& codes) {
  s.cipher_suites = codes;
  s.has_reneg_scsv = std::find(codes.begin(), codes.end(), tls::code::kRenegotiationScsv) != codes.end();
  const auto real = real_suites(codes);
  s.all_cbc = !real.empty() && std::all_of(real.begin(), real.end(), [](const auto* r) { return r && r->mode == "CBC"; });
  s.no_forward_secrecy = !real.empty() && std::none_of(real.begin(), real.end(), [](const auto* r) { return r && forward_secret(*r); });
}

void suite_notes(const Summary& s, Message& out) {
  const auto real = real_suites(s.cipher_suites);
  if (s.all_cbc) out.notes.push_back("All " + std::to_string(real.size()) + " cipher suites offered are CBC suites; no AEAD (GCM, CCM, ChaCha20) suite is offered.");
  if (s.no_forward_secrecy) out.notes.push_back("No suite offered has forward secrecy (no DHE or ECDHE key exchange): only static RSA or similar.");
  if (s.has_reneg_scsv) out.notes.push_back("TLS_EMPTY_RENEGOTIATION_INFO_SCSV is present: the client supports secure renegotiation (RFC 5746).");
  if (std::find(s.cipher_suites.begin(), s.cipher_suites.end(), tls::code::kFallbackScsv) != s.cipher_suites.end())
    out.notes.push_back("TLS_FALLBACK_SCSV is present: this is a fallback retry at a lower version (RFC 7507).");
  const auto unknown = std::count(real.begin(), real.end(), nullptr);
  if (unknown) out.notes.push_back(std::to_string(unknown) + " cipher suite code(s) are not in the registry.");
}

void client_hello(const tls::ClientHello& h, Message& out) {
  Summary& s = out.summary;
  s.message = "ClientHello";
  s.max_version = tls::highest_offered_version(h);
  for (const auto& e : h.extensions) s.extensions.push_back(e.type);
  s.has_sni = tls::find_extension(h.extensions, tls::code::kServerName) != nullptr;
  s.has_signature_algorithms = tls::find_extension(h.extensions, tls::code::kSignatureAlgorithms) != nullptr;
  s.has_supported_groups = tls::find_extension(h.extensions, tls::code::kSupportedGroups) != nullptr;
  suite_facts(s, h.cipher_suites);
  out.notes.push_back("Highest version offered: " + version_words(*s.max_version) + ".");
  if (h.extensions.empty()) {
    out.notes.push_back("No extensions at all: no SNI (server_name), no signature_algorithms, no supported_groups. "
                        "A server that needs SNI to pick its certificate, or that only allows TLS 1.2 and later, will refuse this hello.");
  } else {
    if (!s.has_sni) out.notes.push_back("No SNI (server_name): a server with several certificates cannot tell which host is wanted.");
    else out.notes.push_back("SNI host name: " + tls::server_name(h) + ".");
    if (!s.has_signature_algorithms && *s.max_version >= tls::code::kTls12)
      out.notes.push_back("No signature_algorithms extension although TLS 1.2 is offered: the server must assume SHA-1 signatures.");
  }
  suite_notes(s, out);
}

void server_hello(const tls::ServerHello& h, Message& out) {
  Summary& s = out.summary;
  s.message = h.hello_retry_request ? "HelloRetryRequest" : "ServerHello";
  s.max_version = tls::selected_version(h);
  s.cipher_suites = {h.cipher_suite};
  for (const auto& e : h.extensions) s.extensions.push_back(e.type);
  if (h.hello_retry_request) {
    out.notes.push_back("HelloRetryRequest: the server wants the client to retry with a different key share or cookie.");
    return;
  }
  out.notes.push_back("Server chose " + version_words(*s.max_version) + " and " + reg::cipher_suite_name(h.cipher_suite) + ".");
  s.all_cbc = reg::find_cipher_suite(h.cipher_suite) && reg::find_cipher_suite(h.cipher_suite)->mode == "CBC";
}

void certificate_request(const tls::CertificateRequest& c, Message& out) {
  out.summary.message = "CertificateRequest";
  out.summary.cert_request_empty_ca_list = !c.tls13 && c.ca_names.empty();
  if (out.summary.cert_request_empty_ca_list)
    out.notes.push_back("The server asks for a client certificate but names no CA: the client has no hint which certificate to send.");
  else if (!c.tls13)
    out.notes.push_back("The server asks for a client certificate issued by one of " + std::to_string(c.ca_names.size()) + " named CA(s).");
}

void server_key_exchange(const tls::ServerKeyExchange& k, Message& out) {
  out.summary.message = "ServerKeyExchange";
  if (k.kind == tls::ServerKeyExchange::Kind::dhe) {
    const std::size_t bits = 8 * k.dh_p.size();
    out.notes.push_back("DHE group size: " + std::to_string(bits) + " bits.");
    if (bits < 2048) out.notes.push_back("DH groups under 2048 bits are refused by current clients (for example Java and OpenSSL at security level 2).");
  } else {
    out.notes.push_back("ECDHE group: " + reg::group_name(k.group) + ".");
  }
}

}  // namespace

std::string version_words(std::uint16_t v) {
  std::string name = reg::version_name(v);
  if (name.starts_with("TLSv")) name = "TLS " + name.substr(4);
  if (name == "SSLv3") name = "SSL 3.0";
  return name + " (" + reg::hex16(v) + ")";
}

void summarize(const tls::Handshake& m, Message& out) {
  out.summary.message = tls::handshake_title(m.type);
  if (const auto* ch = std::get_if<tls::ClientHello>(&m.body)) client_hello(*ch, out);
  if (const auto* sh = std::get_if<tls::ServerHello>(&m.body)) server_hello(*sh, out);
  if (const auto* cr = std::get_if<tls::CertificateRequest>(&m.body)) certificate_request(*cr, out);
  if (const auto* ke = std::get_if<tls::ServerKeyExchange>(&m.body)) server_key_exchange(*ke, out);
  if (const auto* c = std::get_if<tls::Certificate>(&m.body))
    out.notes.push_back("The server sent " + std::to_string(c->entries.size()) + " certificate(s).");
}

void summarize(const tls::Sslv2ClientHello& h, Message& out) {
  Summary& s = out.summary;
  s.message = "ClientHello";
  s.max_version = h.version;
  std::vector<std::uint16_t> tls_suites;
  for (const auto spec : h.cipher_specs)
    if ((spec >> 16) == 0) tls_suites.push_back(static_cast<std::uint16_t>(spec));
  suite_facts(s, tls_suites);
  out.notes.push_back("SSLv2-format ClientHello: no extensions are possible in this format (no SNI). Highest version offered: " +
                      version_words(h.version) + ". Servers that have dropped SSLv2-format hellos will reset the connection.");
  suite_notes(s, out);
}

void summarize(const tls::Alert& a, Message& out) {
  out.summary.alert_level = reg::name_of(reg::Names::alert_level, a.level);
  const auto* d = reg::find_alert(a.description);
  out.summary.alert_description = d ? std::string(d->name) : "unknown_" + std::to_string(a.description);
  out.notes.push_back("TLS alert " + out.summary.alert_level + " " + out.summary.alert_description +
                      (d ? ": " + std::string(d->meaning) + "." : "."));
}

void summarize(const tls::PlaintextGuess& text, Message& out) {
  out.summary.plaintext = text.text;
  out.summary.plaintext_kind = text.kind;
  out.notes.push_back("Plaintext where a TLS record was expected: \"" + text.text + "\" looks like " + text.meaning + ".");
  if (!text.text.empty()) {
    const auto first = static_cast<unsigned char>(text.text[0]);
    out.notes.push_back("A TLS reader takes the first byte '" + text.text.substr(0, 1) + "' (0x" + reg::hex16(first).substr(4) +
                        ") as a record content type " + std::to_string(first) + ", which does not exist; the peer did not start TLS.");
  }
}

}  // namespace sd::decode::detail

namespace sd::decode {

namespace {

void add_codes(Field& parent, const char* name, const char* item, const std::vector<std::uint16_t>& codes,
               std::string (*name_of)(std::uint16_t)) {
  Field& list = parent.add(leaf(name, std::to_string(codes.size())));
  for (const auto c : codes) list.add(leaf(item, name_of(c), 0, 0, c));
}

std::string extension_name(std::uint16_t c) { return tls::registry::name_of(tls::registry::Names::extension, c); }

}  // namespace

Field summary_field(const Message& m) {
  const Summary& s = m.summary;
  Field f = leaf("summary", s.message);
  if (s.record_version) f.add(leaf("record_version", tls::registry::version_name(*s.record_version), 0, 0, *s.record_version));
  if (s.max_version) f.add(leaf("max_version", tls::registry::version_name(*s.max_version), 0, 0, *s.max_version));
  if (!s.cipher_suites.empty()) add_codes(f, "cipher_suites", "cipher_suite", s.cipher_suites, tls::registry::cipher_suite_name);
  if (s.message == "ClientHello" || s.message == "ServerHello") {
    add_codes(f, "extensions", "extension", s.extensions, extension_name);
    f.add(leaf("has_sni", s.has_sni ? "true" : "false"));
    f.add(leaf("has_signature_algorithms", s.has_signature_algorithms ? "true" : "false"));
    f.add(leaf("all_cbc", s.all_cbc ? "true" : "false"));
    f.add(leaf("no_forward_secrecy", s.no_forward_secrecy ? "true" : "false"));
    f.add(leaf("has_reneg_scsv", s.has_reneg_scsv ? "true" : "false"));
  }
  if (!s.alert_description.empty()) f.add(leaf("alert", s.alert_level + " " + s.alert_description));
  if (!s.plaintext_kind.empty()) {
    f.add(leaf("plaintext", s.plaintext));
    f.add(leaf("plaintext_kind", s.plaintext_kind));
  }
  if (s.cert_request_empty_ca_list) f.add(leaf("cert_request_empty_ca_list", "true"));
  return f;
}

}  // namespace sd::decode
