#!/bin/sh
# Produces real vsftpd logs and curl -v output for the FTPS data-channel rules, on 127.0.0.1.
# Usage: sh capture-ftps.sh OUTDIR   (writes OUTDIR/ftps-<case>/{vsftpd.log,client.log}); every step has a timeout.
set -u
out=$(cd "${1:-.}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
vsftpd=${VSFTPD:-/opt/shakedown-peers/vsftpd/usr/sbin/vsftpd}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=${SD_PORT:-42121}
mkdir -p "$work/anon" "$work/empty"
echo hello > "$work/anon/file.txt"
chmod 555 "$work/anon"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 30 \
  -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null

# ftps_case NAME "extra vsftpd lines" "curl options"
ftps_case() {
  dir="$out/ftps-$1"; mkdir -p "$dir"
  sed -e "s|@PORT@|$port|; s|@ANON_ROOT@|$work/anon|; s|@EMPTY_DIR@|$work/empty|; s|@PASV_MIN@|42130|" \
      -e "s|@PASV_MAX@|42139|; s|@CERT@|$work/cert.pem|; s|@KEY@|$work/key.pem|; s|@LOG@|$dir/vsftpd.log|" \
      -e "s|@EXTRA@|$2|" "$here/../../../peers/conf/vsftpd.conf.in" > "$work/vsftpd.conf"
  : > "$dir/vsftpd.log"
  timeout 15 "$vsftpd" "$work/vsftpd.conf" > /dev/null 2>&1 & pid=$!
  sleep 1
  # shellcheck disable=SC2086
  timeout 10 curl -v -k --max-time 8 $3 "ftp://127.0.0.1:$port/file.txt" > "$dir/client.log" 2>&1
  sleep 0.3; kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
}

# The client protects the login only and sends data in clear (no PROT P): vsftpd requires encrypted data.
ftps_case data-must-be-encrypted "require_ssl_reuse=NO" "--ftp-ssl-control"
# The client logs in without AUTH TLS on a server that requires TLS on the control connection.
ftps_case plain-login-refused "require_ssl_reuse=NO" ""
# The server announces a passive address the client cannot reach (NAT without the public address, or a wrong
# pasv_address): 127.0.0.2 on loopback, where nothing listens for the data port.
ftps_case pasv-unreachable "require_ssl_reuse=NO\\npasv_address=127.0.0.2" "--ssl-reqd --disable-epsv --no-ftp-skip-pasv-ip --connect-timeout 3"
# The client asks for CCC (clear the control channel after login), which vsftpd does not implement.
ftps_case ccc-refused "require_ssl_reuse=NO" "--ssl-reqd --ftp-ssl-ccc"
