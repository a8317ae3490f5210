// Certificate reading through OpenSSL 3 from bounded in-memory text.
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

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
  return c;
}

}  // namespace

bool looks_like(const std::string& path, std::string_view text) {
  const auto ext = lower(std::filesystem::path(path).extension().string());
  return ext == ".pem" || ext == ".crt" || ext == ".cer" || ext == ".der" ||
         text.find("-----BEGIN CERTIFICATE-----") != std::string_view::npos;
}

Loaded parse(const std::string& file, std::string_view bytes) {
  Loaded out;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())), BIO_free);
  if (bytes.find("-----BEGIN") != std::string_view::npos) {
    while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
      out.certs.push_back(describe(file, out.certs.size(), x));
      X509_free(x);
    }
  } else if (X509* x = d2i_X509_bio(bio.get(), nullptr)) {
    out.certs.push_back(describe(file, 0, x));
    X509_free(x);
  }
  if (out.certs.empty()) out.error = ConfigError{file, 0, "no certificate could be read (neither PEM nor DER)"};
  return out;
}

Loaded load_folder(const std::string& dir) {
  Loaded out;
  std::error_code ec;
  std::size_t seen = 0;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec); !ec && it != decltype(it){};
       it.increment(ec)) {
    if (!it->is_regular_file(ec) || ++seen > kMaxFolderFiles) continue;
    const auto path = it->path().string();
    const auto text = read_config_file(path);
    if (text.error || !looks_like(path, text.text)) continue;
    auto one = parse(path, text.text);
    for (auto& c : one.certs) out.certs.push_back(std::move(c));
  }
  if (ec) out.error = ConfigError{dir, 0, "cannot read the folder: " + ec.message()};
  return out;
}

}  // namespace sd::audit::certs
