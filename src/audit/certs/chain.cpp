// Checks over certificates and keys read together: bundle order, chain completeness (OpenSSL X509_STORE), key usage
// against the role, private keys without their certificate, and serial numbers an issuer used twice.
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <memory>

#include "audit/certs/certs.h"
#include "audit/common/kb_finding.h"

namespace sd::audit::certs {
namespace {

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;

X509Ptr decode(const Cert& c) {
  const auto* p = reinterpret_cast<const unsigned char*>(c.der.data());
  return X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(c.der.size())), X509_free);
}

Evidence at(const Cert& c, const std::string& what) {
  return Evidence{c.file, 0, fmt::format("certificate #{} {}: {}", c.index + 1, c.subject, what), "", {}, ""};
}

Finding make(const std::string& id, const std::string& title, const std::string& cause, const std::string& fix) {
  Finding f = finding_for(id, title, cause);
  if (f.cause.empty()) f.cause = cause;
  f.change_side = "server";
  f.fixes.push_back(Fix{"server", fix, "", ""});
  return f;
}

// A file holding a chain is presented in its order: each certificate must be issued by the next one.
void order(const std::vector<Cert>& certs, std::vector<Finding>& out) {
  for (std::size_t i = 0; i + 1 < certs.size(); ++i) {
    const auto& a = certs[i];
    const auto& b = certs[i + 1];
    if (a.file != b.file || a.self_signed || a.issuer == b.subject) continue;
    Finding f = make("tls.chain-out-of-order", "Certificate chain file out of order",
                     "A chain file must list the server's certificate first and then each issuer in turn; strict "
                     "clients (System SSL, GSKit, older Java) refuse a chain sent out of order.",
                     "Reorder the file: leaf first, then its issuer, then that one's issuer.");
    f.severity = Severity::medium;
    f.evidence.push_back(at(a, "issued by " + a.issuer));
    f.evidence.push_back(at(b, fmt::format("comes next but is not the issuer of certificate #{}", a.index + 1)));
    out.push_back(std::move(f));
    return;
  }
}

struct Store {
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> trusted{X509_STORE_new(), X509_STORE_free};
  std::unique_ptr<STACK_OF(X509), void (*)(STACK_OF(X509)*)> untrusted{
      sk_X509_new_null(), [](STACK_OF(X509)* s) { sk_X509_pop_free(s, X509_free); }};
};

// Roots given in the files are trusted together with the system's store; every other certificate may serve as
// an intermediate.
Store store_of(const std::vector<Cert>& certs) {
  Store s;
  X509_STORE_set_default_paths(s.trusted.get());
  for (const auto& c : certs) {
    auto x = decode(c);
    if (!x) continue;
    if (c.self_signed)
      X509_STORE_add_cert(s.trusted.get(), x.get());
    else
      sk_X509_push(s.untrusted.get(), x.release());
  }
  ERR_clear_error();
  return s;
}

// The verification error for one certificate, dates ignored (expiry has its own finding).
int verify(const Store& s, const Cert& c) {
  auto x = decode(c);
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(), X509_STORE_CTX_free);
  if (!x || !ctx || X509_STORE_CTX_init(ctx.get(), s.trusted.get(), x.get(), s.untrusted.get()) != 1) return -1;
  X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx.get()), X509_V_FLAG_NO_CHECK_TIME);
  X509_verify_cert(ctx.get());
  const int err = X509_STORE_CTX_get_error(ctx.get());
  ERR_clear_error();
  return err;
}

void completeness(const std::vector<Cert>& certs, std::vector<Finding>& out) {
  const Store s = store_of(certs);
  for (const auto& c : certs) {
    if (c.is_ca || c.self_signed) continue;
    const int err = verify(s, c);
    if (err != X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY && err != X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT) continue;
    Finding f = make("tls.untrusted-issuer", "Certificate chain incomplete", "",
                     "Add the missing intermediate CA certificate(s) after the leaf in the file the server sends, "
                     "and the root to the partner's trust store or key ring.");
    f.evidence.push_back(at(c, fmt::format("no chain to a trusted root from the files given: {} (issuer {})",
                                           X509_verify_cert_error_string(err), c.issuer)));
    out.push_back(std::move(f));
  }
}

void purpose(const std::vector<Cert>& certs, const std::string& role, std::vector<Finding>& out) {
  const bool server = role != "client";
  for (const auto& c : certs) {
    if (c.is_ca || (server ? c.server_ok : c.client_ok)) continue;
    const std::string eku = server ? "serverAuth" : "clientAuth";
    Finding f = make("tls.cert-wrong-purpose", "Certificate not valid for a TLS " + role,
                     fmt::format("The certificate's key usage or extended key usage does not allow a TLS {} "
                                 "({} missing, or a key usage without digitalSignature/keyEncipherment); the "
                                 "partner rejects it with unsupported_certificate or bad_certificate.",
                                 role, eku),
                     fmt::format("Reissue the certificate with extendedKeyUsage {} (and keyUsage digitalSignature, "
                                 "keyEncipherment).", eku));
    f.evidence.push_back(at(c, "key usage does not allow " + eku));
    out.push_back(std::move(f));
  }
}

// A key belongs with a leaf certificate in its own folder; no leaf there carrying its public key is a mismatch.
void keys_match(const std::vector<Cert>& certs, const std::vector<Key>& keys, std::vector<Finding>& out) {
  namespace fs = std::filesystem;
  for (const auto& k : keys) {
    const auto folder = fs::path(k.file).parent_path();
    std::vector<const Cert*> beside;
    bool matched = false;
    for (const auto& c : certs) {
      if (c.public_key == k.public_key) matched = true;
      if (!c.is_ca && fs::path(c.file).parent_path() == folder) beside.push_back(&c);
    }
    if (matched || beside.empty()) continue;
    Finding f = make("tls.cert-key-mismatch", "Private key does not match the certificate",
                     "The private key configured beside the certificate belongs to another certificate; the server "
                     "fails to load them together (OpenSSL: \"key values mismatch\") or cannot complete a handshake.",
                     "Configure the key that was generated with this certificate's request, or reissue the "
                     "certificate for this key.");
    f.severity = Severity::high;
    f.evidence.push_back(Evidence{k.file, 0, fmt::format("{} private key: public half matches no certificate given", k.type), "", {}, ""});
    for (const auto* c : beside) f.evidence.push_back(at(*c, "carries another public key"));
    out.push_back(std::move(f));
  }
}

void serials(const std::vector<Cert>& certs, std::vector<Finding>& out) {
  std::map<std::string, std::vector<const Cert*>> by;
  for (const auto& c : certs) {
    auto& group = by[c.issuer + "\n" + c.serial];
    bool same = false;
    for (const auto* g : group) same = same || g->sha256 == c.sha256;
    if (!same) group.push_back(&c);
  }
  for (const auto& [key, group] : by) {
    if (group.size() < 2) continue;
    Finding f = make("tls.cert-duplicate-serial", "Issuer used the same serial number twice",
                     "Two different certificates carry the same issuer and serial number. Browsers and NSS refuse "
                     "the second (SEC_ERROR_REUSED_ISSUER_AND_SERIAL), and revocation by serial hits both.",
                     "Reissue one of them with a fresh serial number (a CA must never reuse one).");
    for (const auto* c : group) f.evidence.push_back(at(*c, "serial " + c->serial + " from " + c->issuer));
    out.push_back(std::move(f));
  }
}

}  // namespace

std::vector<Finding> audit_set(const std::vector<Cert>& certs, const std::vector<Key>& keys, const std::string& role) {
  std::vector<Finding> out;
  order(certs, out);
  completeness(certs, out);
  purpose(certs, role, out);
  keys_match(certs, keys, out);
  serials(certs, out);
  return out;
}

}  // namespace sd::audit::certs
