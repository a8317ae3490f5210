#pragma once
// Starters for the real peers used by the live tests: each renders its config from tests/peers/conf/, starts
// the server in the foreground on 127.0.0.1 (or 127.0.0.2) high ports and waits until it is ready.

#include <cstdint>
#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness.h"

namespace sd::peers {

// A running server: its port, the log files it writes, and the process (stopped on destruction).
struct Server {
  std::uint16_t port = 0;
  fs::path log;                  // the server's own log (vsftpd_log_file, SystemLog, sshd -E output, charon filelog)
  fs::path tls_log;              // proftpd's TLSLog; empty for the others
  fs::path console;              // stdout and stderr of the process
  std::unique_ptr<Process> process;
};

// Runs one of the start_* functions below: the started server, or nullopt (the reason on stderr) when the peer cannot
// run here, so the test can skip — or fail on CI, where setup.sh installs every peer.
template <class Start>
std::optional<Server> started(Start&& start) {
  try {
    return start();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "peer did not start: %s\n", e.what());
    return std::nullopt;
  }
}

// vsftpd (the unpacked Debian binary) with anonymous FTPS login; `extra` lines are appended to its config.
Server start_vsftpd(const TempDir& dir, const CertFiles& cert, const std::string& extra);
// Where scripts/setup.sh unpacks Debian 12's pure-ftpd 1.0.50 and pure-ftpd-common (usr/sbin/pure-ftpd and the
// Debian usr/sbin/pure-ftpd-wrapper); it is an ftp-server package like proftpd, so it is not installed.
inline constexpr const char* kPureftpdRoot = "/opt/shakedown-peers/pureftpd";
// pure-ftpd (the unpacked binary) reading dir/pure-ftpd.conf, rendered from conf/pureftpd/pure-ftpd.conf.in with
// the certificate and key and `extra` lines (TLS, TLSCipherSuite …); in the foreground as root (it chroots
// anonymous sessions) with a private /run (its per-session scoreboard files), logging nowhere (no syslog). Throws
// when it is not unpacked.
Server start_pureftpd(const TempDir& dir, const CertFiles& cert, const std::string& extra);
// pure-ftpd started from a command line, as Debian's init script starts it with the wrapper's options: `options`,
// then the test's -S 127.0.0.1,PORT, -2 cert,key, -p passive range, -g pid file (the later -g wins), -f none, -H.
Server start_pureftpd_options(const TempDir& dir, const CertFiles& cert, const std::vector<std::string>& options);
// Debian's pure-ftpd-wrapper --show-options on a conf folder: `files` (name -> content) are written to
// dir/etc/pure-ftpd/conf and laid over /etc in a private mount namespace (the wrapper reads only
// /etc/pure-ftpd/conf and /etc/pure-ftpd/auth); its exit code, and its output in `log`.
int run_pureftpd_wrapper(const TempDir& dir, const std::map<std::string, std::string>& files, const fs::path& log);
// proftpd with mod_tls, TLSLog and DebugLevel 10; `extra` lines go inside the mod_tls block.
Server start_proftpd(const TempDir& dir, const CertFiles& cert, const std::string& extra);
// OpenSSH sshd -D -e at LogLevel DEBUG3 with its own ed25519 and ECDSA host keys; `extra` lines are appended.
Server start_sshd(const TempDir& dir, const std::string& extra);
// Where scripts/setup.sh unpacks OpenSSH 10.0 from bookworm-backports (usr/sbin/sshd, usr/bin/ssh, usr/lib/openssh).
inline constexpr const char* kOpenssh10Root = "/opt/shakedown-peers/openssh10";
// start_sshd with the unpacked OpenSSH 10.0 sshd, its SshdSessionPath/SshdAuthPath pointed at the unpacked helpers;
// throws when it is not there.
Server start_openssh10(const TempDir& dir, const std::string& extra);
// Dropbear -F -E (foreground, log to stderr) on 127.0.0.1 with its own ed25519 and ECDSA host keys
// (dir/dropbear_ed25519, dir/dropbear_ecdsa, made by dropbearkey), password logins off, pid file in dir.
Server start_dropbear(const TempDir& dir);
// openssl s_server -www (it would close on stdin EOF otherwise) on a free port; `args` are added.
Server start_s_server(const TempDir& dir, const CertFiles& cert, const std::vector<std::string>& args);
// gnutls-serv on a free port with the certificate, in its own network namespace (it binds every address and
// has no option to bind one): clients join it with Launch::join_net = net_namespace(*server.process).
Server start_gnutls_serv(const TempDir& dir, const CertFiles& cert, const std::vector<std::string>& args);

// Runs `ssh -vvv` in batch mode against 127.0.0.1:port with the extra -o options; returns its exit code
// and leaves its output in `log`.
int run_ssh(std::uint16_t port, const std::vector<std::string>& options, const fs::path& log);

// One IKEv2 end: a charon daemon in a private /run, its vici socket and its filelog.
struct IkeEnd {
  std::string name;      // "a" or "b"
  std::string address;   // 127.0.0.1 or 127.0.0.2
  std::uint16_t port = 0;
  fs::path vici;         // unix socket path
  Server server;
};

// The settings of one end's swanctl.conf (connection "t", child "c", PSK authentication).
struct IkeConn {
  std::string proposals = "aes256-sha256-x25519";
  std::string local_id;
  std::string remote_id;
  std::string psk = "shakedown-live-secret";
  std::string local_ts;   // defaults to the end's address/32
  std::string remote_ts;  // defaults to the peer's address/32
};

// Starts charon for one end; `port` is its IKE port (NAT-T uses port+1). charon binds every address, so the
// first end gets a private network namespace with only loopback, and the second end (`peer`) joins it.
IkeEnd start_charon(const TempDir& dir, const std::string& name, const std::string& address, std::uint16_t port,
                    const IkeEnd* peer = nullptr);
// Loads a connection to `peer` into `end` with swanctl --load-all; true on success.
bool load_conn(const TempDir& dir, const IkeEnd& end, const IkeEnd& peer, const IkeConn& conn);
// Runs swanctl --initiate for child "c" of connection "t" from `end`; output goes to `log`; returns the exit code.
int initiate(const IkeEnd& end, const fs::path& log);

}  // namespace sd::peers
