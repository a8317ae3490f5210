// The OpenSSL client driven record by record: its output goes out through the Session, each record read
// comes back into its memory BIO, so the engine's budget, timeouts and counts apply as for raw hellos.
#include "probe/tls/openssl_check.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <fmt/format.h>

#include <memory>
#include <utility>

#include "probe/engine/options.h"
#include "probe/tls/certs.h"
#include "probe/tls/hello.h"
#include "probe/tls/scan.h"
#include "wire/tls/registry.h"

namespace sd::probe::tls {
namespace {

using CtxPtr = std::shared_ptr<SSL_CTX>;
using SessionPtr = std::shared_ptr<SSL_SESSION>;
using SslPtr = std::unique_ptr<SSL, decltype(&SSL_free)>;

constexpr int kMaxRounds = 64;
constexpr Millis kAfterHandshakeWait{1500};
constexpr std::size_t kRecordCap = 5 + kTlsMaxRecordBody;

/// What one OpenSSL connection saw.
struct SslOutcome {
  bool handshake_done = false;
  bool cert_requested = false;
  std::vector<std::string> ca_names;
  std::vector<std::uint16_t> request_schemes;  ///< the CertificateRequest's signature_algorithms
  std::vector<ByteVec> chain;                  ///< the server's certificates (DER, leaf first) once the handshake is done
  std::optional<std::uint8_t> alert_received;
  bool failed_after_handshake = false;  ///< an alert came right after our Finished (TLS 1.3 certificate_required)
  bool reused = false;
  std::uint16_t version = 0;
  SessionPtr session;
  std::string error;
};

// The signature schemes the server listed (from its CertificateRequest, when called from the certificate callback).
std::vector<std::uint16_t> peer_signature_schemes(SSL* ssl) {
  std::vector<std::uint16_t> out;
  const int count = SSL_get_sigalgs(ssl, 0, nullptr, nullptr, nullptr, nullptr, nullptr);
  for (int i = 0; i < count; ++i) {
    unsigned char signature = 0, hash = 0;
    SSL_get_sigalgs(ssl, i, nullptr, nullptr, nullptr, &signature, &hash);
    out.push_back(static_cast<std::uint16_t>(hash << 8 | signature));
  }
  return out;
}

// The certificates the server sent, leaf first, as DER.
std::vector<ByteVec> peer_chain(SSL* ssl) {
  std::vector<ByteVec> out;
  const STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);
  for (int i = 0; chain != nullptr && i < sk_X509_num(chain); ++i) {
    unsigned char* der = nullptr;
    const int n = i2d_X509(sk_X509_value(chain, i), &der);
    if (n > 0) out.emplace_back(der, der + n);
    OPENSSL_free(der);
  }
  return out;
}

int on_certificate_request(SSL* ssl, X509** /*cert*/, EVP_PKEY** /*key*/) {
  auto* out = static_cast<SslOutcome*>(SSL_get_app_data(ssl));
  out->cert_requested = true;
  out->ca_names.clear();
  const STACK_OF(X509_NAME)* names = SSL_get_client_CA_list(ssl);
  for (int i = 0; names != nullptr && i < sk_X509_NAME_num(names); ++i) {
    unsigned char* der = nullptr;
    const int n = i2d_X509_NAME(sk_X509_NAME_value(names, i), &der);
    if (n > 0) out->ca_names.push_back(dn_text(Bytes(der, static_cast<std::size_t>(n))));
    OPENSSL_free(der);
  }
  out->request_schemes = peer_signature_schemes(ssl);
  return 0;  // no certificate: the point is to see whether the server insists
}

// OpenSSL hands each new session here once it is resumable (in TLS 1.3, one per NewSessionTicket).
int on_new_session(SSL* ssl, SSL_SESSION* session) {
  auto* out = static_cast<SslOutcome*>(SSL_get_app_data(ssl));
  if (out->session) return 0;
  out->session = SessionPtr(session, SSL_SESSION_free);
  return 1;  // we keep the reference
}

void on_info(const SSL* ssl, int where, int value) {
  if ((where & SSL_CB_READ_ALERT) == 0) return;
  auto* out = static_cast<SslOutcome*>(SSL_get_app_data(ssl));
  if (!out->alert_received && (value & 0xff) != 0) out->alert_received = static_cast<std::uint8_t>(value & 0xff);
}

CtxPtr make_context(std::uint16_t max_version, bool tickets) {
  CtxPtr ctx(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_min_proto_version(ctx.get(), kSsl3);
  SSL_CTX_set_max_proto_version(ctx.get(), max_version);
  SSL_CTX_set_cipher_list(ctx.get(), "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  SSL_CTX_set_client_cert_cb(ctx.get(), on_certificate_request);
  SSL_CTX_set_info_callback(ctx.get(), on_info);
  SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  SSL_CTX_sess_set_new_cb(ctx.get(), on_new_session);
  if (!tickets) SSL_CTX_set_options(ctx.get(), SSL_OP_NO_TICKET);
  return ctx;
}

std::string openssl_error() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "no OpenSSL error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

ByteVec pending_output(SSL* ssl) {
  BIO* out = SSL_get_wbio(ssl);
  ByteVec bytes(static_cast<std::size_t>(BIO_ctrl_pending(out)));
  if (!bytes.empty()) BIO_read(out, bytes.data(), static_cast<int>(bytes.size()));
  return bytes;
}

// Sends whatever OpenSSL wrote; true when the send worked (or there was nothing to send).
asio::awaitable<bool> flush(Session& session, SSL* ssl) {
  ByteVec bytes = pending_output(ssl);
  if (bytes.empty()) co_return true;
  const Step sent = co_await session.send(std::move(bytes));
  co_return sent.ok();
}

// Reads one record into OpenSSL's input; false when none came (the step says why).
asio::awaitable<bool> feed(Session& session, SSL* ssl, Millis timeout, Step& step) {
  const Framer framer = tls_record_framer();
  step = co_await session.read_until(framer, kRecordCap, timeout);
  const bool record = step.ok() || step.outcome == Outcome::handshake_alert;
  if (record) BIO_write(SSL_get_rbio(ssl), step.bytes.data(), static_cast<int>(step.bytes.size()));
  co_return record;
}

asio::awaitable<Step> handshake(Session& session, SSL* ssl, Millis timeout, SslOutcome& out) {
  Step step;
  for (int i = 0; i < kMaxRounds; ++i) {
    const int rc = SSL_do_handshake(ssl);
    if (!co_await flush(session, ssl)) co_return Step{Outcome::reset_by_peer, "sending failed", {}};
    if (rc == 1) {
      out.handshake_done = true;
      co_return Step{};
    }
    if (SSL_get_error(ssl, rc) != SSL_ERROR_WANT_READ) {
      out.error = openssl_error();
      co_return Step{out.alert_received ? Outcome::handshake_alert : Outcome::protocol_error, out.error, {}};
    }
    if (!co_await feed(session, ssl, timeout, step)) co_return step;
  }
  co_return Step{Outcome::protocol_error, "the handshake did not finish", {}};
}

// TLS 1.3 servers answer our Finished with tickets, or with an alert when they wanted a certificate.
asio::awaitable<void> after_handshake(Session& session, SSL* ssl, SslOutcome& out) {
  Step step;
  for (int i = 0; i < 4 && !out.session; ++i) {
    if (!co_await feed(session, ssl, kAfterHandshakeWait, step)) break;
    unsigned char byte = 0;
    const int rc = SSL_read(ssl, &byte, 1);
    if (rc <= 0 && SSL_get_error(ssl, rc) != SSL_ERROR_WANT_READ) {
      out.failed_after_handshake = true;
      break;
    }
  }
}

Conversation openssl_conversation(Upgrade upgrade, Millis timeout, CtxPtr ctx, SessionPtr resume, std::string sni,
                                  SslOutcome& out) {
  return [=, &out](Session& session) -> asio::awaitable<Step> {
    UpgradeLog log;
    Step step = co_await run_upgrade(session, upgrade, timeout, log);
    if (!step.ok()) co_return step;
    SslPtr ssl(SSL_new(ctx.get()), SSL_free);
    SSL_set_bio(ssl.get(), BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
    SSL_set_app_data(ssl.get(), &out);
    SSL_set_connect_state(ssl.get());
    if (!sni.empty()) SSL_set_tlsext_host_name(ssl.get(), sni.c_str());
    if (resume) SSL_set_session(ssl.get(), resume.get());
    step = co_await handshake(session, ssl.get(), timeout, out);
    if (!step.ok()) co_return step;
    out.version = static_cast<std::uint16_t>(SSL_version(ssl.get()));
    out.chain = peer_chain(ssl.get());
    if (out.version == kTls13) co_await after_handshake(session, ssl.get(), out);
    out.reused = SSL_session_reused(ssl.get()) == 1;
    SSL_shutdown(ssl.get());  // a close_notify: servers drop sessions of connections that end uncleanly
    co_await flush(session, ssl.get());
    co_return Step{};
  };
}

/// Runs one OpenSSL connection as an engine job.
struct Checker {
  Engine& engine;
  const Url& url;
  Upgrade upgrade;
  const ProbeOptions& options;
  std::string sni;

  SslOutcome connect(const std::string& name, const CtxPtr& ctx, const SessionPtr& resume) {
    SslOutcome out;
    engine.run_one(Job{.name = name,
                       .target = Target{.transport = Transport::tcp, .host = url.host, .port = url.port},
                       .limits = job_limits(options),
                       .conversation = openssl_conversation(upgrade, options.timeout, ctx, resume, sni, out)});
    return out;
  }
};

std::string describe(const std::string& what, const SslOutcome& o) {
  if (!o.handshake_done) return fmt::format("{}: handshake failed ({})", what, o.error.empty() ? "no answer" : o.error);
  return fmt::format("{}: {}{}{}", what, sd::tls::registry::version_name(o.version), o.reused ? ", session resumed" : "",
                     o.failed_after_handshake ? ", then an alert" : "");
}

void take_client_cert(const SslOutcome& full, ServerFacts& facts) {
  auto& cc = facts.client_cert;
  if (full.cert_requested) {
    cc.requested = true;
    if (full.version == kTls13 || cc.ca_names.empty()) cc.ca_names = full.ca_names;
    if (full.version == kTls13 || cc.signature_schemes.empty()) cc.signature_schemes = full.request_schemes;
    if (full.version == kTls13) cc.cert_types.clear();  // TLS 1.3 requests carry no certificate types
  }
  if (!cc.requested) {
    if (full.handshake_done) cc.required = false;
    return;
  }
  if (full.handshake_done && !full.failed_after_handshake) cc.required = false;
  else if (full.alert_received) cc.required = true;
}

// A TLS 1.3-only server sends its certificates encrypted: the raw hellos saw none, the OpenSSL handshake did.
void take_chain(const SslOutcome& full, Scan& out) {
  if (!out.facts.chain.empty() || full.chain.empty()) return;
  for (const auto& der : full.chain) out.facts.chain.push_back(cert_facts(der));
  out.facts.chain_in_order = chain_in_order(full.chain);
  out.notes.push_back(fmt::format("certificate chain read through a complete OpenSSL handshake at {} (sent encrypted)",
                                  sd::tls::registry::version_name(full.version)));
}

}  // namespace

void run_openssl_checks(Engine& engine, const Url& url, Upgrade upgrade, const ProbeOptions& options,
                        const std::string& sni, Scan& out) {
  ServerFacts& facts = out.facts;
  const bool tls13 = facts.versions[kTls13].refusal == Refusal::none;
  const bool tls12 = facts.versions[kTls12].refusal == Refusal::none;
  Checker checker{engine, url, upgrade, options, sni};
  out.openssl.ran = true;
  const SslOutcome full = checker.connect("openssl-full", make_context(tls13 ? kTls13 : kTls12, true), nullptr);
  out.openssl.notes.push_back(describe("full handshake without a client certificate", full));
  take_client_cert(full, facts);
  take_chain(full, out);
  if (!full.handshake_done || full.failed_after_handshake) {
    out.notes.push_back("resumption not tested: a handshake without a client certificate does not complete");
    return;
  }
  if (full.session && SSL_SESSION_has_ticket(full.session.get())) {
    const SslOutcome again = checker.connect("openssl-resume-ticket", make_context(full.version, true), full.session);
    facts.resumption_by_ticket = again.reused;
    out.openssl.notes.push_back(describe("resumption by ticket", again));
  } else {
    facts.resumption_by_ticket = false;
    out.openssl.notes.push_back("the server issued no session ticket");
  }
  if (!tls12) return;
  const CtxPtr ticketless = make_context(kTls12, false);
  const SslOutcome first = checker.connect("openssl-session-id", ticketless, nullptr);
  unsigned int id_length = 0;
  if (first.session) SSL_SESSION_get_id(first.session.get(), &id_length);
  if (id_length == 0) {
    facts.resumption_by_id = false;
    out.openssl.notes.push_back(describe("TLS 1.2 handshake without tickets (no session id given)", first));
    return;
  }
  const SslOutcome again = checker.connect("openssl-resume-id", ticketless, first.session);
  facts.resumption_by_id = again.reused;
  out.openssl.notes.push_back(describe("resumption by session id (TLS 1.2, no ticket)", again));
}

}  // namespace sd::probe::tls
