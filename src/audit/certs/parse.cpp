// Certificate reading through OpenSSL 3 from bounded in-memory text.
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "audit/certs/certs.h"

namespace sd::audit::certs {
namespace {

constexpr std::size_t kMaxFolderFiles = 10000;

std::string name_text(const X509_NAME* n) {
  std::unique_ptr<BIO, decltype(&BIO_free)> b(BIO_new(BIO_s_mem()), BIO_free);
  X509_NAME_print_ex(b.get(), n, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long len = BIO_get_mem_data(b.get(), &data);
  return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string();
}

std::time_t as_time(const ASN1_TIME* t) {
  struct tm tm {};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return timegm(&tm);
}

std::string serial_hex(const X509* x) {
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), nullptr), BN_free);
  if (!bn) return "";
  char* hex = BN_bn2hex(bn.get());
  std::string out = hex ? hex : "";
  OPENSSL_free(hex);
  return out;
}

std::string der_of(X509* x) {
  unsigned char* buf = nullptr;
  const int n = i2d_X509(x, &buf);
  std::string out = n > 0 ? std::string(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n)) : "";
  OPENSSL_free(buf);
  return out;
}

std::string spki_of(EVP_PKEY* k) {
  if (!k) return "";
  unsigned char* buf = nullptr;
  const int n = i2d_PUBKEY(k, &buf);
  std::string out = n > 0 ? std::string(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n)) : "";
  OPENSSL_free(buf);
  return out;
}

Cert describe(const std::string& file, std::size_t index, X509* x) {
  Cert c;
  c.file = file;
  c.index = index;
  c.subject = name_text(X509_get_subject_name(x));
  c.issuer = name_text(X509_get_issuer_name(x));
  c.serial = serial_hex(x);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (X509_digest(x, EVP_sha256(), md, &n) == 1)
    for (unsigned int i = 0; i < n; ++i) c.sha256 += fmt::format("{:02x}", md[i]);
  c.signature = OBJ_nid2ln(X509_get_signature_nid(x));
  if (EVP_PKEY* key = X509_get0_pubkey(x)) {
    c.key_type = EVP_PKEY_get0_type_name(key) ? EVP_PKEY_get0_type_name(key) : "";
    c.key_bits = EVP_PKEY_get_bits(key);
  }
  c.not_before = as_time(X509_get0_notBefore(x));
  c.not_after = as_time(X509_get0_notAfter(x));
  c.is_ca = X509_check_ca(x) > 0;
  c.self_signed = X509_self_signed(x, 1) == 1;
  c.server_ok = X509_check_purpose(x, X509_PURPOSE_SSL_SERVER, 0) == 1;
  c.client_ok = X509_check_purpose(x, X509_PURPOSE_SSL_CLIENT, 0) == 1;
  c.der = der_of(x);
  c.public_key = spki_of(X509_get0_pubkey(x));
  ERR_clear_error();
  return c;
}

Key key_of(const std::string& file, EVP_PKEY* k) {
  Key out;
  out.file = file;
  out.type = EVP_PKEY_get0_type_name(k) ? EVP_PKEY_get0_type_name(k) : "";
  out.public_key = spki_of(k);
  return out;
}

bool pem_key_label(const std::string& label) {
  return label == "PRIVATE KEY" || label == "RSA PRIVATE KEY" || label == "EC PRIVATE KEY" ||
         label == "DSA PRIVATE KEY";
}

// Each PEM block by its label: certificates and unencrypted private keys; other blocks are skipped.
void read_pem(const std::string& file, BIO* bio, Loaded& out) {
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long len = 0;
  while (PEM_read_bio(bio, &name, &header, &data, &len) == 1) {
    const std::string label = name;
    const unsigned char* p = data;
    if (label == "CERTIFICATE" || label == "X509 CERTIFICATE" || label == "TRUSTED CERTIFICATE") {
      if (X509* x = d2i_X509(nullptr, &p, len)) {
        out.certs.push_back(describe(file, out.certs.size(), x));
        X509_free(x);
      }
    } else if (pem_key_label(label)) {
      if (EVP_PKEY* k = d2i_AutoPrivateKey(nullptr, &p, len)) {
        out.keys.push_back(key_of(file, k));
        EVP_PKEY_free(k);
      }
    }
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
  }
  ERR_clear_error();
}

// PKCS#12: the leaf, its key and the CA certificates, opened with the given password (never echoed).
std::optional<ConfigError> read_p12(const std::string& file, BIO* bio, const ReadOptions& o, Loaded& out) {
  std::unique_ptr<PKCS12, decltype(&PKCS12_free)> p12(d2i_PKCS12_bio(bio, nullptr), PKCS12_free);
  if (!p12) return ConfigError{file, 0, "not a PKCS#12 file"};
  if (!o.have_p12_password)
    return ConfigError{file, 0, "PKCS#12 file needs a password: give --p12-pass-env NAME or --p12-pass-file FILE"};
  EVP_PKEY* key = nullptr;
  X509* leaf = nullptr;
  STACK_OF(X509)* cas = nullptr;
  if (PKCS12_parse(p12.get(), o.p12_password.c_str(), &key, &leaf, &cas) != 1) {
    ERR_clear_error();
    return ConfigError{file, 0, "PKCS#12 file could not be opened: wrong password or unsupported encryption"};
  }
  if (leaf) out.certs.push_back(describe(file, out.certs.size(), leaf));
  for (int i = 0; cas && i < sk_X509_num(cas); ++i) out.certs.push_back(describe(file, out.certs.size(), sk_X509_value(cas, i)));
  if (key) out.keys.push_back(key_of(file, key));
  EVP_PKEY_free(key);
  X509_free(leaf);
  sk_X509_pop_free(cas, X509_free);
  return std::nullopt;
}

bool p12_name(const std::string& path) {
  const auto ext = lower(std::filesystem::path(path).extension().string());
  return ext == ".p12" || ext == ".pfx";
}

}  // namespace

bool looks_like(const std::string& path, std::string_view text) {
  const auto ext = lower(std::filesystem::path(path).extension().string());
  return ext == ".pem" || ext == ".crt" || ext == ".cer" || ext == ".der" || ext == ".key" || p12_name(path) ||
         text.find("-----BEGIN CERTIFICATE-----") != std::string_view::npos ||
         text.find("PRIVATE KEY-----") != std::string_view::npos;
}

Loaded parse(const std::string& file, std::string_view bytes, const ReadOptions& options) {
  Loaded out;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())), BIO_free);
  if (bytes.find("-----BEGIN") != std::string_view::npos) {
    read_pem(file, bio.get(), out);
  } else if (p12_name(file)) {
    out.error = read_p12(file, bio.get(), options, out);
    return out;
  } else if (X509* x = d2i_X509_bio(bio.get(), nullptr)) {
    out.certs.push_back(describe(file, 0, x));
    X509_free(x);
  }
  ERR_clear_error();
  if (out.certs.empty() && out.keys.empty())
    out.error = ConfigError{file, 0, "no certificate could be read (neither PEM nor DER)"};
  return out;
}

Loaded load_folder(const std::string& dir, const ReadOptions& options) {
  Loaded out;
  std::error_code ec;
  std::size_t seen = 0;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec); !ec && it != decltype(it){};
       it.increment(ec)) {
    if (!it->is_regular_file(ec) || ++seen > kMaxFolderFiles) continue;
    const auto path = it->path().string();
    const auto text = read_config_file(path);
    if (text.error || !looks_like(path, text.text)) continue;
    auto one = parse(path, text.text, options);
    for (auto& c : one.certs) out.certs.push_back(std::move(c));
    for (auto& k : one.keys) out.keys.push_back(std::move(k));
  }
  if (ec) out.error = ConfigError{dir, 0, "cannot read the folder: " + ec.message()};
  return out;
}

}  // namespace sd::audit::certs
