#include "wire/ssh/keys.h"

#include <string_view>

#include "wire/ssh/wire_reader.h"

namespace sd::ssh {

namespace {

constexpr std::string_view kCertSuffix = "-cert-v01@openssh.com";

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// The plain key type a certificate type wraps ("ssh-ed25519-cert-v01@openssh.com" -> "ssh-ed25519").
std::string base_type(std::string_view type) {
  if (!ends_with(type, kCertSuffix)) return std::string(type);
  return std::string(type.substr(0, type.size() - kCertSuffix.size()));
}

unsigned curve_bits(std::string_view curve) {
  if (curve == "nistp256") return 256;
  if (curve == "nistp384") return 384;
  if (curve == "nistp521") return 521;
  return 0;
}

void read_rsa(WireReader& w, HostKey& k) {
  w.blob("e");
  k.key = w.blob("n");
  k.bits = mpint_bits(k.key.value);
}

void read_dss(WireReader& w, HostKey& k) {
  k.key = w.blob("p");
  k.bits = mpint_bits(k.key.value);
  w.blob("q");
  w.blob("g");
  w.blob("y");
}

void read_ecdsa(WireReader& w, HostKey& k) {
  k.curve = w.text("curve");
  k.key = w.blob("q");
  if (const unsigned bits = curve_bits(k.curve.value)) k.bits = bits;
}

void read_edwards(WireReader& w, HostKey& k, unsigned bits) {
  k.key = w.blob("key");
  k.bits = bits;
}

/// Reads the key fields of a plain key type; false when the type is not one this parser knows.
bool read_key_fields(WireReader& w, std::string_view type, HostKey& k) {
  if (type == "ssh-rsa") {
    read_rsa(w, k);
  } else if (type == "ssh-dss") {
    read_dss(w, k);
  } else if (type.starts_with("ecdsa-sha2-") || type == "sk-ecdsa-sha2-nistp256@openssh.com") {
    read_ecdsa(w, k);
  } else if (type == "ssh-ed25519" || type == "sk-ssh-ed25519@openssh.com") {
    read_edwards(w, k, 256);
  } else if (type == "ssh-ed448") {
    read_edwards(w, k, 456);
  } else {
    return false;
  }
  if (type.starts_with("sk-")) w.text("application");
  return true;
}

}  // namespace

unsigned mpint_bits(Bytes magnitude) {
  std::size_t i = 0;
  while (i < magnitude.size() && magnitude[i] == 0) ++i;
  if (i == magnitude.size()) return 0;
  unsigned top = 0;
  for (std::uint8_t b = magnitude[i]; b != 0; b >>= 1) ++top;
  return static_cast<unsigned>((magnitude.size() - i - 1) * 8) + top;
}

Result<HostKey> parse_host_key(Bytes blob, std::size_t base, std::string path) {
  WireReader w(Reader::bounded(blob, base), std::move(path));
  HostKey k;
  k.offset = base;
  k.length = blob.size();
  k.raw.assign(blob.begin(), blob.end());
  k.type = w.text("type");
  k.certificate = ends_with(k.type.value, kCertSuffix);
  if (k.certificate) w.blob("nonce");
  const bool known = w.ok() && read_key_fields(w, base_type(k.type.value), k);
  if (!w.ok()) return w.error();
  if (known && !k.certificate) w.expect_end();  // certificates go on with serial, principals, validity …
  if (!w.ok()) return w.error();
  return k;
}

Result<Signature> parse_signature(Bytes blob, std::size_t base, std::string path) {
  WireReader w(Reader::bounded(blob, base), std::move(path));
  Signature s;
  s.offset = base;
  s.length = blob.size();
  s.algorithm = w.text("algorithm");
  s.signature = w.blob("blob");
  if (s.algorithm.value.starts_with("sk-")) w.rest();  // flags and counter of a security key signature
  w.expect_end();
  if (!w.ok()) return w.error();
  return s;
}

}  // namespace sd::ssh
