// In-memory handshakes: a server context configured as the audited server, a permissive client limited to one
// version, both in a private OpenSSL library context so this process's own openssl.cnf plays no part.
#include "audit/tlsserver/tlsserver.h"

#include "audit/opensslcnf/opensslcnf.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <fmt/format.h>

#include <memory>

namespace sd::audit::tlsserver {
namespace {

constexpr std::uint16_t kVersions[] = {0x0300, 0x0301, 0x0302, 0x0303, 0x0304};
constexpr int kMaxRounds = 32;

using CtxPtr = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;
using SslPtr = std::unique_ptr<SSL, decltype(&SSL_free)>;

OSSL_LIB_CTX* libctx() {
  static OSSL_LIB_CTX* kCtx = OSSL_LIB_CTX_new();
  return kCtx;
}

// One RSA 2048 key and self-signed certificate for every audited server (RSA: the suites most servers carry).
struct Identity {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
};

const Identity& identity() {
  static const Identity kId = [] {
    Identity id;
    id.key = EVP_PKEY_Q_keygen(libctx(), nullptr, "RSA", static_cast<size_t>(2048));
    id.cert = X509_new_ex(libctx(), nullptr);
    ASN1_INTEGER_set(X509_get_serialNumber(id.cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(id.cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(id.cert), 3600);
    X509_NAME* n = X509_get_subject_name(id.cert);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("audit"), -1, -1, 0);
    X509_set_issuer_name(id.cert, n);
    X509_set_pubkey(id.cert, id.key);
    X509_sign(id.cert, id.key, EVP_sha256());
    return id;
  }();
  return kId;
}

int proto(const std::string& name) {
  if (name == "SSLv3") return SSL3_VERSION;
  if (name == "TLSv1" || name == "TLSv1.0") return TLS1_VERSION;
  if (name == "TLSv1.1") return TLS1_1_VERSION;
  if (name == "TLSv1.2") return TLS1_2_VERSION;
  if (name == "TLSv1.3") return TLS1_3_VERSION;
  return 0;
}

CtxPtr server_ctx(const Settings& s) {
  CtxPtr ctx(SSL_CTX_new_ex(libctx(), nullptr, TLS_server_method()), SSL_CTX_free);
  SSL_CTX_use_certificate(ctx.get(), identity().cert);
  SSL_CTX_use_PrivateKey(ctx.get(), identity().key);
  SSL_CTX_set_min_proto_version(ctx.get(), proto(s.min_protocol));
  SSL_CTX_set_max_proto_version(ctx.get(), proto(s.max_protocol));
  for (const auto& c : s.cipher_strings) SSL_CTX_set_cipher_list(ctx.get(), c.c_str());
  if (!s.ciphersuites.empty()) SSL_CTX_set_ciphersuites(ctx.get(), s.ciphersuites.c_str());
  const std::pair<std::uint16_t, std::uint64_t> off[] = {{0x0300, SSL_OP_NO_SSLv3}, {0x0301, SSL_OP_NO_TLSv1},
                                                         {0x0302, SSL_OP_NO_TLSv1_1}, {0x0303, SSL_OP_NO_TLSv1_2},
                                                         {0x0304, SSL_OP_NO_TLSv1_3}};
  for (const auto& [v, op] : off)
    if (s.disabled_versions.contains(v)) SSL_CTX_set_options(ctx.get(), op);
  if (s.request_client_cert)
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER | (s.require_client_cert ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0),
                       [](int, X509_STORE_CTX*) { return 1; });
  ERR_clear_error();
  return ctx;
}

struct Seen {
  std::optional<std::uint8_t> alert;
  bool cert_request = false;
};

void on_message(int write_p, int, int type, const void* buf, size_t len, SSL*, void* arg) {
  auto* seen = static_cast<Seen*>(arg);
  const auto* b = static_cast<const unsigned char*>(buf);
  if (!write_p && type == SSL3_RT_ALERT && len >= 2 && !seen->alert) seen->alert = b[1];
  if (!write_p && type == SSL3_RT_HANDSHAKE && len >= 1 && b[0] == SSL3_MT_CERTIFICATE_REQUEST) seen->cert_request = true;
}

CtxPtr client_ctx(std::uint16_t v, Seen& seen) {
  CtxPtr ctx(SSL_CTX_new_ex(libctx(), nullptr, TLS_client_method()), SSL_CTX_free);
  SSL_CTX_set_min_proto_version(ctx.get(), v);
  SSL_CTX_set_max_proto_version(ctx.get(), v);
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_cipher_list(ctx.get(), "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
  SSL_CTX_set_msg_callback(ctx.get(), on_message);
  SSL_CTX_set_msg_callback_arg(ctx.get(), &seen);
  return ctx;
}

// Drives both ends until the client finishes or either fails; true when the client completed the handshake.
bool handshake(SSL* client, SSL* server) {
  for (int i = 0; i < kMaxRounds; ++i) {
    const int c = SSL_do_handshake(client);
    const int s = SSL_do_handshake(server);
    if (c == 1 && s == 1) return true;
    const int ce = SSL_get_error(client, c);
    const int se = SSL_get_error(server, s);
    if ((c != 1 && ce != SSL_ERROR_WANT_READ && ce != SSL_ERROR_WANT_WRITE) ||
        (s != 1 && se != SSL_ERROR_WANT_READ && se != SSL_ERROR_WANT_WRITE))
      return false;
  }
  return false;
}

struct Attempt {
  probe::tls::Answer answer;
  std::vector<std::uint16_t> suites;
  bool cert_request = false;
};

// True for a suite a server holding only the RSA identity can choose (RSA, TLS 1.3 or anonymous
// authentication); ECDSA, DSS, PSK and SRP suites need a key or callback such a server does not have.
bool usable_with_rsa_identity(const SSL_CIPHER* c) {
  const int auth = SSL_CIPHER_get_auth_nid(c);
  return auth == NID_auth_rsa || auth == NID_auth_any || auth == NID_auth_null;
}

std::vector<std::uint16_t> suites_at(SSL* server) {
  std::vector<std::uint16_t> out;
  STACK_OF(SSL_CIPHER)* list = SSL_get1_supported_ciphers(server);
  for (int i = 0; list && i < sk_SSL_CIPHER_num(list); ++i)
    if (const SSL_CIPHER* c = sk_SSL_CIPHER_value(list, i); usable_with_rsa_identity(c))
      out.push_back(static_cast<std::uint16_t>(SSL_CIPHER_get_protocol_id(c)));
  sk_SSL_CIPHER_free(list);
  return out;
}

Attempt attempt(SSL_CTX* server_ctx, std::uint16_t v) {
  Attempt out;
  Seen seen;
  auto cctx = client_ctx(v, seen);
  SslPtr client(SSL_new(cctx.get()), SSL_free);
  SslPtr server(SSL_new(server_ctx), SSL_free);
  BIO* a = nullptr;
  BIO* b = nullptr;
  BIO_new_bio_pair(&a, 0, &b, 0);
  SSL_set_bio(client.get(), a, a);
  SSL_set_bio(server.get(), b, b);
  SSL_set_connect_state(client.get());
  SSL_set_accept_state(server.get());
  const bool ok = handshake(client.get(), server.get());
  out.cert_request = seen.cert_request;
  if (ok) {
    out.answer.refusal = probe::tls::Refusal::none;
    out.answer.detail = fmt::format("{} handshake completed with {}", version_name(v),
                                    SSL_CIPHER_standard_name(SSL_get_current_cipher(client.get())));
    out.suites = suites_at(server.get());
  } else {
    out.answer.refusal = seen.alert ? probe::tls::Refusal::alert : probe::tls::Refusal::closed;
    out.answer.alert_code = seen.alert;
    out.answer.detail = fmt::format("{} refused by the server's OpenSSL settings", version_name(v));
  }
  ERR_clear_error();
  return out;
}

}  // namespace

std::string version_name(std::uint16_t v) {
  switch (v) {
    case 0x0300: return "SSLv3";
    case 0x0301: return "TLSv1.0";
    case 0x0302: return "TLSv1.1";
    case 0x0303: return "TLSv1.2";
    case 0x0304: return "TLSv1.3";
    default: return fmt::format("0x{:04x}", v);
  }
}

Settings from_system(const opensslcnf::SystemDefault* system) {
  Settings s;
  if (!system) return s;
  if (system->min_protocol) s.min_protocol = system->min_protocol->value;
  if (system->max_protocol) s.max_protocol = system->max_protocol->value;
  if (system->cipher_string) s.cipher_strings.push_back(system->cipher_string->value);
  if (system->ciphersuites) s.ciphersuites = system->ciphersuites->value;
  return s;
}

std::optional<std::string> unusable_cipher_string(const Settings& s) {
  CtxPtr ctx(SSL_CTX_new_ex(libctx(), nullptr, TLS_server_method()), SSL_CTX_free);
  for (const auto& c : s.cipher_strings)
    if (SSL_CTX_set_cipher_list(ctx.get(), c.c_str()) != 1) {
      ERR_clear_error();
      return c;
    }
  return std::nullopt;
}

probe::tls::ServerFacts facts(const Settings& s, const std::string& source) {
  probe::tls::ServerFacts f;
  f.source = source;
  if (const auto bad = unusable_cipher_string(s)) {
    for (const auto v : kVersions)
      f.versions[v] = probe::tls::Answer{probe::tls::Refusal::plaintext, std::nullopt, s.bad_cipher_reply,
                                         fmt::format("cipher list '{}' matches no cipher in OpenSSL {}: the server "
                                                     "cannot start TLS", *bad, OPENSSL_VERSION_STR)};
    return f;
  }
  const auto ctx = server_ctx(s);
  for (const auto v : kVersions) {
    auto a = attempt(ctx.get(), v);
    if (a.answer.refusal == probe::tls::Refusal::none) {
      f.suites[v] = std::move(a.suites);
      f.client_cert.requested = f.client_cert.requested || a.cert_request;
    }
    f.versions[v] = std::move(a.answer);
  }
  if (s.request_client_cert) {
    f.client_cert.requested = true;
    f.client_cert.required = s.require_client_cert;
  }
  f.server_preference = false;
  return f;
}

}  // namespace sd::audit::tlsserver
