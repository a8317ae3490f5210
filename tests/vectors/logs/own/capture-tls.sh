#!/bin/sh
# Produces real OpenSSL/GnuTLS/curl client output and s_server output for the KB test cases, on 127.0.0.1.
# Usage: sh capture-tls.sh OUTDIR   (writes OUTDIR/tls-<case>/{client.log,server.log}); every step has a timeout.
set -u
out=$(cd "${1:-.}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=${SD_PORT:-42443}
cd "$work" || exit 1

# A small CA with openssl ca, so that validity dates can be set in the past or the future.
mkdir -p ca/new && touch ca/index.txt && echo 01 > ca/serial
cat > ca.cnf <<CNF
[ca]
default_ca = dflt
[dflt]
dir = ca
database = ca/index.txt
new_certs_dir = ca/new
serial = ca/serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
[ext]
subjectAltName = DNS:localhost,IP:127.0.0.1
[ku_ca_only]
subjectAltName = DNS:localhost,IP:127.0.0.1
keyUsage = critical,keyCertSign,cRLSign
CNF
openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.pem -days 3650 -subj /CN=Shakedown-Root 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem -days 3650 -subj /CN=Other-Root 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout inter.key -out inter.pem -days 3650 -subj /CN=Shakedown-Inter \
  -CA root.pem -CAkey root.key -addext basicConstraints=critical,CA:TRUE 2>/dev/null

# leaf NAME BITS MD START END [CA-prefix] [extensions section]
leaf() {
  openssl req -newkey "rsa:$2" -nodes -keyout "$1.key" -out "$1.csr" -subj /CN=localhost 2>/dev/null
  openssl ca -batch -config ca.cnf -extensions "${7:-ext}" -cert "${6:-root}.pem" -keyfile "${6:-root}.key" -md "$3" \
    -startdate "$4" -enddate "$5" -in "$1.csr" -out "$1.pem" >/dev/null 2>&1
}
leaf good 2048 sha256 20240101000000Z 20340101000000Z
leaf expired 2048 sha256 20200101000000Z 20210101000000Z
leaf future 2048 sha256 20400101000000Z 20410101000000Z
leaf weak 1024 sha256 20240101000000Z 20340101000000Z
leaf sha1 2048 sha1 20240101000000Z 20340101000000Z
leaf chained 2048 sha256 20240101000000Z 20340101000000Z inter
leaf wrong-ku 2048 sha256 20240101000000Z 20340101000000Z root ku_ca_only
openssl req -x509 -newkey rsa:2048 -nodes -keyout client.key -out client.pem -days 365 -subj /CN=client 2>/dev/null
openssl dhparam -out dh1024.pem 1024 2>/dev/null

# tls_case NAME CERT "s_server args" "s_client args"
tls_case() {
  dir="$out/tls-$1"; mkdir -p "$dir"
  # shellcheck disable=SC2086
  # s_server stops when its standard input ends: keep it open; one connection, then it exits.
  (sleep 6 | timeout 12 openssl s_server -naccept 1 -accept "$port" -cert "$2.pem" -key "$2.key" $3) \
    > "$dir/server.log" 2>&1 &
  pid=$!
  sleep 0.7
  # shellcheck disable=SC2086
  # stay connected a moment so that an alert sent after the client's Finished (TLS 1.3) is read and reported
  (sleep 1; echo Q) | timeout 8 openssl s_client -connect "127.0.0.1:$port" -CAfile root.pem $4 > "$dir/client.log" 2>&1
  sleep 0.3
  wait "$pid" 2>/dev/null
}

tls_case client-version-too-old good "-min_protocol TLSv1.2" "-tls1 -cipher DEFAULT:@SECLEVEL=0"
tls_case no-shared-cipher good "-no_tls1_3 -cipher AES128-SHA" "-no_tls1_3 -cipher ECDHE-RSA-AES256-GCM-SHA384"
tls_case cert-expired expired "" "-verify_return_error"
tls_case cert-not-yet-valid future "" "-verify_return_error"
tls_case unknown-ca good "" "-verify_return_error -CAfile other.pem"
tls_case incomplete-chain chained "" "-verify_return_error"
tls_case hostname-mismatch good "" "-verify_return_error -verify_hostname wrong.example.com"
tls_case client-cert-required good "-Verify 1 -CAfile root.pem" ""
tls_case client-cert-rejected good "-Verify 1 -CAfile root.pem -verify_return_error" "-cert client.pem -key client.key"
tls_case key-too-small weak "-cipher DEFAULT:@SECLEVEL=0" "-verify_return_error"
tls_case sha1-signature sha1 "-cipher DEFAULT:@SECLEVEL=0" "-verify_return_error"
tls_case key-usage wrong-ku "" "-verify_return_error"
tls_case dh-too-small good "-no_tls1_3 -cipher DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0 -dhparam dh1024.pem" "-no_tls1_3 -cipher DHE-RSA-AES128-GCM-SHA256"
# A TLS 1.0-only server picking ECDHE: its ServerKeyExchange is signed with MD5+SHA-1, which OpenSSL 3 refuses by default.
tls_case legacy-ske-signature good "-tls1 -cipher DEFAULT:@SECLEVEL=0" ""

# A plaintext FTP greeting where a TLS server was expected (implicit FTPS port mixed up with explicit).
dir="$out/tls-plaintext-reply"; mkdir -p "$dir"
python3 -c "
import socket
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1',$port)); s.listen(1)
s.settimeout(8)
c,_=s.accept(); c.sendall(b'220 (vsFTPd 3.0.3)\r\n'); c.settimeout(3)
try: c.recv(4096)
except Exception: pass
c.close()" & pid=$!
sleep 2
echo Q | timeout 8 openssl s_client -connect "127.0.0.1:$port" > "$dir/client.log" 2>&1
wait "$pid" 2>/dev/null

# GnuTLS and curl against an expired certificate and an unknown CA.
for c in expired:gnutls-cert-expired good:gnutls-unknown-ca; do
  cert=${c%%:*}; name=${c#*:}; dir="$out/tls-$name"; mkdir -p "$dir"
  (sleep 6 | timeout 10 openssl s_server -naccept 1 -accept "$port" -cert "$cert.pem" -key "$cert.key") \
    > "$dir/server.log" 2>&1 & pid=$!
  sleep 0.7
  ca=root.pem; [ "$name" = gnutls-unknown-ca ] && ca=other.pem
  timeout 8 gnutls-cli --x509cafile "$ca" -p "$port" localhost < /dev/null > "$dir/client.log" 2>&1
  wait "$pid" 2>/dev/null
done
dir="$out/tls-curl-cert-expired"; mkdir -p "$dir"
(sleep 6 | timeout 10 openssl s_server -naccept 1 -accept "$port" -cert expired.pem -key expired.key -www) \
  > "$dir/server.log" 2>&1 & pid=$!
sleep 0.7
timeout 8 curl -v --cacert root.pem "https://localhost:$port/" > "$dir/client.log" 2>&1
wait "$pid" 2>/dev/null

# A server that still answers TLS 1.0 (gnutls-serv) and a client whose minimum is TLS 1.2.
dir="$out/tls-server-version-too-old"; mkdir -p "$dir"
(sleep 6 | timeout 10 gnutls-serv -p "$port" --x509certfile good.pem --x509keyfile good.key \
  --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.0:%COMPAT') > "$dir/server.log" 2>&1 & pid=$!
sleep 1
echo Q | timeout 8 openssl s_client -connect "127.0.0.1:$port" -CAfile root.pem -min_protocol TLSv1.2 > "$dir/client.log" 2>&1
wait "$pid" 2>/dev/null
