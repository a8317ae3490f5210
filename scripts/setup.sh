#!/usr/bin/env bash
# Installs everything shakedown needs to build, test and benchmark, from Debian 12 packages only.
# Idempotent: when every package is already there it returns in about a second.
set -euo pipefail

BUILD_PKGS=(cmake ninja-build g++ clang libclang-rt-14-dev pkg-config
  libssl-dev libvectorscan-dev libasio-dev libcli11-dev nlohmann-json3-dev libyaml-cpp-dev libfmt-dev
  libsqlite3-dev libgtest-dev libgmock-dev libbenchmark-dev)
# Real peers the tests start on loopback, and real clients they drive.
PEER_PKGS=(openssl gnutls-bin curl lftp openssh-server openssh-client proftpd-core proftpd-mod-crypto
  strongswan-charon strongswan-swanctl strongswan-pki charon-cmd libstrongswan-standard-plugins
  libstrongswan-extra-plugins dropbear-bin python3-paramiko putty-tools libwrap0 libpam0g libcap2 libcap-ng0 iproute2 procps
  psmisc tcpdump tshark libsodium23)
# Tools the benchmarks compare against.
BENCH_PKGS=(sslscan testssl.sh nmap ssh-audit ike-scan valgrind hyperfine time bc python3)
# vsftpd conflicts with proftpd, so it is unpacked beside it instead of installed.
UNPACKED_PKGS=(vsftpd)
PEERS_ROOT=/opt/shakedown-peers
# OpenSSH 10 (PerSourcePenalties, sshd-session/sshd-auth) from bookworm-backports, unpacked beside the system's 9.2
# into $PEERS_ROOT/openssh10; the live tests point its sshd at the unpacked helpers with SshdSessionPath/SshdAuthPath.
OPENSSH10_PKGS=(openssh-server openssh-client openssh-sftp-server)
OPENSSH10_ROOT=$PEERS_ROOT/openssh10
# pure-ftpd is an ftp-server too (conflicts with proftpd and vsftpd, and its package starts a service): the binary
# and Debian's pure-ftpd-wrapper are unpacked together into $PEERS_ROOT/pureftpd (libraries are the system's).
PUREFTPD_PKGS=(pure-ftpd pure-ftpd-common)
PUREFTPD_ROOT=$PEERS_ROOT/pureftpd
BACKPORTS_SOURCES=/etc/apt/sources.list.d/shakedown-backports.sources

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi

missing=()
for p in "${BUILD_PKGS[@]}" "${PEER_PKGS[@]}" "${BENCH_PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then missing+=("$p"); fi
done
need_unpack=0
for p in "${UNPACKED_PKGS[@]}"; do
  [ -e "$PEERS_ROOT/$p/.unpacked" ] || need_unpack=1
done
[ -e "$OPENSSH10_ROOT/.unpacked" ] || need_unpack=1
[ -e "$PUREFTPD_ROOT/.unpacked" ] || need_unpack=1

if [ ${#missing[@]} -eq 0 ] && [ $need_unpack -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# Packages with daemons must not start them on the machine's standard ports: the tests start their own.
policy=/usr/sbin/policy-rc.d
had_policy=0; [ -e "$policy" ] && had_policy=1
if [ $had_policy -eq 0 ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
fi
cleanup() { if [ $had_policy -eq 0 ]; then $SUDO rm -f "$policy"; fi; }
trap cleanup EXIT

# The backports suite is only downloaded from (its packages have priority 100, so nothing installed changes).
if [ ! -e "$BACKPORTS_SOURCES" ]; then
  printf '%s\n' "Types: deb" "URIs: http://deb.debian.org/debian" "Suites: bookworm-backports" "Components: main" \
    "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" | $SUDO tee "$BACKPORTS_SOURCES" >/dev/null
fi
echo "setup: installing ${#missing[@]} packages: ${missing[*]}"
$SUDO apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ $need_unpack -eq 1 ]; then
  tmp=$(mktemp -d)
  for p in "${UNPACKED_PKGS[@]}"; do
    (cd "$tmp" && apt-get download "$p" >/dev/null 2>&1)
    $SUDO mkdir -p "$PEERS_ROOT/$p"
    $SUDO dpkg-deb -x "$tmp"/"$p"_*.deb "$PEERS_ROOT/$p"
    $SUDO touch "$PEERS_ROOT/$p/.unpacked"
  done
  if [ ! -e "$OPENSSH10_ROOT/.unpacked" ]; then
    for p in "${OPENSSH10_PKGS[@]}"; do (cd "$tmp" && apt-get download "$p/bookworm-backports" >/dev/null 2>&1); done
    $SUDO mkdir -p "$OPENSSH10_ROOT"
    for p in "${OPENSSH10_PKGS[@]}"; do $SUDO dpkg-deb -x "$tmp"/"$p"_*.deb "$OPENSSH10_ROOT"; done
    $SUDO touch "$OPENSSH10_ROOT/.unpacked"
  fi
  if [ ! -e "$PUREFTPD_ROOT/.unpacked" ]; then
    for p in "${PUREFTPD_PKGS[@]}"; do (cd "$tmp" && apt-get download "$p" >/dev/null 2>&1); done
    $SUDO mkdir -p "$PUREFTPD_ROOT"
    for p in "${PUREFTPD_PKGS[@]}"; do $SUDO dpkg-deb -x "$tmp"/"$p"_*.deb "$PUREFTPD_ROOT"; done
    $SUDO touch "$PUREFTPD_ROOT/.unpacked"
  fi
  rm -rf "$tmp"
fi
# Daemons some packages may have started despite the policy: stop them, the tests use their own.
for d in sshd proftpd charon vsftpd pure-ftpd; do $SUDO pkill -x "$d" 2>/dev/null || true; done
echo "setup: done"
