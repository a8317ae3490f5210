#!/bin/sh
# Runs a private strongSwan charon for tests: its own strongswan.conf, ports, log, vici socket and pid file.
#   charon-lab.sh start DIR PORT [SEND_VENDOR_ID [COOKIE_THRESHOLD [BLOCK_THRESHOLD]]]
#       DIR/swanctl.conf must exist; the log is DIR/charon.log; COOKIE_THRESHOLD is how many half-open
#       IKE SAs make charon ask for cookies (default 30); BLOCK_THRESHOLD how many half-open IKE SAs from one
#       address make charon drop its IKE_SA_INITs (default 5, charon's own)
#   charon-lab.sh stop DIR
# charon always writes /var/run/charon.pid, so each instance runs in its own mount namespace with DIR/run on /run.
set -eu
cmd=$1 dir=$2
case "$cmd" in
start)
  port=$3 vid=${4:-no} cookies=${5:-30} block=${6:-5}
  mkdir -p "$dir/run"
  rm -f "$dir/run/charon.pid" "$dir/charon.vici" "$dir/charon.log"
  cat > "$dir/strongswan.conf" <<CONF
charon {
  port = $port
  port_nat_t = $((port + 1))
  load = random nonce aes sha1 sha2 hmac gmp curve25519 x509 pem pkcs1 pubkey openssl kdf socket-default vici kernel-netlink
  install_routes = no
  install_virtual_ip = no
  send_vendor_id = $vid
  cookie_threshold = $cookies
  block_threshold = $block
  retransmit_tries = 2
  retransmit_timeout = 1
  retransmit_base = 1
  filelog {
    lab {
      path = $dir/charon.log
      default = 1
      ike = 2
      net = 2
      enc = 2
      cfg = 1
      flush_line = yes
    }
  }
  plugins {
    vici {
      socket = unix://$dir/charon.vici
    }
  }
}
CONF
  STRONGSWAN_CONF="$dir/strongswan.conf" unshare -m sh -c "mount --bind '$dir/run' /run && exec /usr/lib/ipsec/charon" \
    > "$dir/charon.out" 2>&1 &
  i=0
  while [ ! -S "$dir/charon.vici" ]; do
    i=$((i + 1))
    [ $i -gt 50 ] && { echo "charon did not start, see $dir/charon.out" >&2; exit 1; }
    sleep 0.1
  done
  swanctl --load-all --noprompt --file "$dir/swanctl.conf" --uri "unix://$dir/charon.vici" > "$dir/swanctl.out" 2>&1
  ;;
stop)
  [ -f "$dir/run/charon.pid" ] && kill "$(cat "$dir/run/charon.pid")" 2>/dev/null || true
  ;;
esac
