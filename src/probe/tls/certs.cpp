// X509 facts through OpenSSL (d2i_X509), the way the server sent them.
#include "probe/tls/certs.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>

namespace sd::probe::tls {
namespace {

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;

X509Ptr parse(Bytes der) {
  const unsigned char* p = der.data();
  return X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(der.size())), X509_free);
}

std::string name_text(const X509_NAME* name) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string iso_time(const ASN1_TIME* t) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return {};
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

long days_until(const ASN1_TIME* t) {
  int days = 0, seconds = 0;
  if (ASN1_TIME_diff(&days, &seconds, nullptr, t) != 1) return 0;
  return days;
}

std::vector<std::string> sans(X509* cert) {
  std::vector<std::string> out;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
    if (n->type == GEN_DNS) out.push_back("DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(n->d.dNSName)),
                                                               static_cast<std::size_t>(ASN1_STRING_length(n->d.dNSName))));
    if (n->type == GEN_IPADD) {
      const auto* ip = n->d.iPAddress;
      std::string text = "IP:";
      for (int b = 0; b < ASN1_STRING_length(ip); ++b)
        text += (b ? "." : "") + std::to_string(ASN1_STRING_get0_data(ip)[b]);
      out.push_back(text);
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

std::string key_type(const EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA: return "RSA";
    case EVP_PKEY_EC: return "EC";
    case EVP_PKEY_ED25519: return "Ed25519";
    case EVP_PKEY_ED448: return "Ed448";
    case EVP_PKEY_DSA: return "DSA";
    default: return "other";
  }
}

// Issuer equals subject and the certificate's own key verifies its signature.
bool self_signed(X509* cert) {
  if (X509_NAME_cmp(X509_get_subject_name(cert), X509_get_issuer_name(cert)) != 0) return false;
  EVP_PKEY* key = X509_get0_pubkey(cert);
  return key != nullptr && X509_verify(cert, key) == 1;
}

}  // namespace

CertFacts cert_facts(Bytes der) {
  CertFacts out;
  const X509Ptr cert = parse(der);
  if (!cert) {
    out.subject = "(certificate OpenSSL cannot parse)";
    return out;
  }
  out.subject = name_text(X509_get_subject_name(cert.get()));
  out.issuer = name_text(X509_get_issuer_name(cert.get()));
  out.sans = sans(cert.get());
  out.not_before = iso_time(X509_get0_notBefore(cert.get()));
  out.not_after = iso_time(X509_get0_notAfter(cert.get()));
  out.days_left = days_until(X509_get0_notAfter(cert.get()));
  if (const EVP_PKEY* key = X509_get0_pubkey(cert.get())) {
    out.key_type = key_type(key);
    out.key_bits = static_cast<unsigned>(EVP_PKEY_get_bits(key));
  }
  out.signature_algorithm = OBJ_nid2ln(X509_get_signature_nid(cert.get()));
  out.self_signed = self_signed(cert.get());
  return out;
}

bool chain_in_order(const std::vector<ByteVec>& ders) {
  for (std::size_t i = 0; i + 1 < ders.size(); ++i) {
    const X509Ptr cert = parse(ders[i]);
    const X509Ptr next = parse(ders[i + 1]);
    if (!cert || !next) return false;
    if (X509_NAME_cmp(X509_get_issuer_name(cert.get()), X509_get_subject_name(next.get())) != 0) return false;
  }
  return true;
}

std::string dn_text(Bytes der) {
  const unsigned char* p = der.data();
  std::unique_ptr<X509_NAME, decltype(&X509_NAME_free)> name(d2i_X509_NAME(nullptr, &p, static_cast<long>(der.size())),
                                                             X509_NAME_free);
  return name ? name_text(name.get()) : "(unparsable name)";
}

void fill_client_cert(const sd::tls::CertificateRequest& request, ClientCertRequest& out) {
  out.requested = true;
  out.ca_names.clear();
  for (const auto& dn : request.ca_names) out.ca_names.push_back(dn_text(dn.der));
  out.cert_types = request.certificate_types;
  out.signature_schemes = request.signature_schemes.value_or(std::vector<std::uint16_t>{});
}

}  // namespace sd::probe::tls
