#!/bin/sh
# Prints cipher-suite rows (the columns of data/registry/tls-cipher-suites.tsv) from this machine's OpenSSL:
#   openssl ciphers -V -stdname ALL:COMPLEMENTOFALL:@SECLEVEL=0
# Key exchange and authentication come from the IANA name; cipher, mode and MAC from OpenSSL's Enc=/Mac= columns.
# Suites OpenSSL does not build (3DES, RC4, DES, export, static DH) are kept by hand below the generated rows.
set -eu
ver=$(openssl version | awk '{print $1" "$2}')
openssl ciphers -V -stdname 'ALL:COMPLEMENTOFALL:@SECLEVEL=0' | awk -v src="$ver ciphers -V -stdname; IANA TLS Cipher Suites" '
function kx_auth(iana,   core, n, parts) {
  if (iana !~ /_WITH_/) { KX = "any"; AU = "any"; return }
  core = iana; sub(/^TLS_/, "", core); sub(/_WITH_.*/, "", core)
  if (core == "RSA") { KX = "RSA"; AU = "RSA"; return }
  if (core == "PSK") { KX = "PSK"; AU = "PSK"; return }
  if (core == "DH_anon") { KX = "DHE"; AU = "anon"; return }
  if (core == "ECDH_anon") { KX = "ECDHE"; AU = "anon"; return }
  if (core == "SRP_SHA") { KX = "SRP"; AU = "SRP"; return }
  if (core ~ /^SRP_SHA_/) { KX = "SRP"; AU = substr(core, 9); return }
  if (core ~ /_PSK$/) { KX = core; AU = "PSK"; if (core == "RSA_PSK") AU = "RSA"; return }
  if (core == "PSK_DHE") { KX = "DHE_PSK"; AU = "PSK"; return }
  n = split(core, parts, "_"); KX = parts[1]; AU = parts[2]
}
{
  code = $1; gsub(/0x|,/, "", code); code = "0x" code
  iana = $3; ossl = $5; minv = $6
  if (minv == "TLSv1") minv = "TLSv1.0"
  enc = $9; sub(/^Enc=/, "", enc); mac = $10; sub(/^Mac=/, "", mac)
  bits = enc; sub(/^[^(]*\(/, "", bits); sub(/\)$/, "", bits); alg = enc; sub(/\(.*/, "", alg)
  if (alg == "None") { cipher = "NULL"; mode = "NULL" }
  else if (alg == "AES") { cipher = "AES_" bits; mode = "CBC" }
  else if (alg == "AESGCM") { cipher = "AES_" bits; mode = "GCM" }
  else if (alg == "AESCCM") { cipher = "AES_" bits; mode = "CCM" }
  else if (alg == "AESCCM8") { cipher = "AES_" bits; mode = "CCM_8" }
  else if (alg == "ARIAGCM") { cipher = "ARIA_" bits; mode = "GCM" }
  else if (alg == "Camellia") { cipher = "CAMELLIA_" bits; mode = "CBC" }
  else if (alg == "CHACHA20/POLY1305") { cipher = "CHACHA20_POLY1305"; mode = "CHACHA" }
  else { cipher = alg; mode = "CBC" }
  if (mac == "SHA1") mac = "SHA"
  kx_auth(iana)
  printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", code, iana, ossl, KX, AU, cipher, mode, mac, minv, src
}' | sort
