#include "servers.h"

#include <stdexcept>

namespace sd::peers {
namespace {

constexpr auto kStartLimit = milliseconds(10000);
constexpr int kPassivePorts = 8;
const char* const kVsftpd = "/opt/shakedown-peers/vsftpd/usr/sbin/vsftpd";

// Starts the launch, waits until the TCP port listens, and fails with the console output otherwise.
void start_tcp(Server& s, const Launch& l) {
  s.console = l.output;
  s.process = std::make_unique<Process>(l);
  if (!wait_tcp(s.port, kStartLimit, s.process.get()))
    throw std::runtime_error(l.argv[0] + " did not listen on port " + std::to_string(s.port) + ": " +
                             read_text(s.console));
}

std::map<std::string, std::string> cert_vars(const CertFiles& cert) {
  return {{"CERT", cert.cert.string()}, {"KEY", cert.key.string()}};
}

void add_passive_range(std::map<std::string, std::string>& vars) {
  const std::uint16_t first = free_port_range(kPassivePorts);
  vars["PASV_MIN"] = std::to_string(first);
  vars["PASV_MAX"] = std::to_string(first + kPassivePorts - 1);
}

void make_ssh_host_key(const TempDir& dir, const std::string& type, const std::string& file) {
  Launch l;
  l.argv = {"/usr/bin/ssh-keygen", "-q", "-t", type, "-N", "", "-f", (dir / file).string()};
  l.output = dir / "ssh-keygen.out";
  if (run(l, milliseconds(20000)) != 0) throw std::runtime_error("ssh-keygen failed: " + read_text(l.output));
}

}  // namespace

Server start_vsftpd(const TempDir& dir, const CertFiles& cert, const std::string& extra) {
  Server s;
  s.port = free_port();
  s.log = dir / "vsftpd.log";
  auto vars = cert_vars(cert);
  add_passive_range(vars);
  vars["PORT"] = std::to_string(s.port);
  vars["ANON_ROOT"] = dir.subdir("anon").string();
  vars["EMPTY_DIR"] = dir.subdir("empty").string();
  vars["LOG"] = s.log.string();
  vars["EXTRA"] = extra;
  write_text(dir.subdir("anon") / "README", "shakedown live test\n");
  const fs::path conf = dir / "vsftpd.conf";
  write_text(conf, render_template("vsftpd.conf.in", vars));
  start_tcp(s, Launch{.argv = {kVsftpd, conf.string()}, .output = dir / "vsftpd.console"});
  return s;
}

namespace {

fs::path pureftpd_binary() {
  const fs::path binary = fs::path(kPureftpdRoot) / "usr/sbin/pure-ftpd";
  if (!fs::exists(binary)) throw std::runtime_error(binary.string() + " is not unpacked (scripts/setup.sh)");
  return binary;
}

// pure-ftpd keeps one scoreboard file per session in /var/run/pure-ftpd (built in): a private /run keeps them here.
void start_pureftpd_argv(const TempDir& dir, Server& s, std::vector<std::string> argv) {
  s.log = dir / "pure-ftpd.console";  // no syslog: nothing else is written
  start_tcp(s, Launch{.argv = std::move(argv), .output = s.log, .private_run = dir.subdir("run")});
}

}  // namespace

Server start_pureftpd(const TempDir& dir, const CertFiles& cert, const std::string& extra) {
  const fs::path binary = pureftpd_binary();
  Server s;
  s.port = free_port();
  auto vars = cert_vars(cert);
  add_passive_range(vars);
  vars["PORT"] = std::to_string(s.port);
  vars["DIR"] = dir.path().string();
  vars["EXTRA"] = extra;
  const fs::path conf = dir / "pure-ftpd.conf";
  write_text(conf, render_template("pureftpd/pure-ftpd.conf.in", vars));
  start_pureftpd_argv(dir, s, {binary.string(), conf.string()});
  return s;
}

Server start_pureftpd_options(const TempDir& dir, const CertFiles& cert, const std::vector<std::string>& options) {
  Server s;
  s.port = free_port();
  std::vector<std::string> argv = {pureftpd_binary().string()};
  argv.insert(argv.end(), options.begin(), options.end());
  const std::uint16_t pasv = free_port_range(kPassivePorts);
  const std::vector<std::string> own = {"-S", "127.0.0.1," + std::to_string(s.port),
                                        "-2", cert.cert.string() + "," + cert.key.string(),
                                        "-p", std::to_string(pasv) + ":" + std::to_string(pasv + kPassivePorts - 1),
                                        "-g", (dir / "pure-ftpd.pid").string(), "-f", "none", "-H"};
  argv.insert(argv.end(), own.begin(), own.end());
  start_pureftpd_argv(dir, s, std::move(argv));
  return s;
}

int run_pureftpd_wrapper(const TempDir& dir, const std::map<std::string, std::string>& files, const fs::path& log) {
  const fs::path wrapper = fs::path(kPureftpdRoot) / "usr/sbin/pure-ftpd-wrapper";
  if (!fs::exists(wrapper)) throw std::runtime_error(wrapper.string() + " is not unpacked (scripts/setup.sh)");
  const fs::path upper = dir.subdir("etc");
  fs::create_directories(upper / "pure-ftpd/conf");
  fs::create_directories(upper / "pure-ftpd/auth");
  for (const auto& [name, content] : files) write_text(upper / "pure-ftpd/conf" / name, content);
  const std::string overlay = "mount -t overlay overlay -o lowerdir=/etc,upperdir=" + upper.string() +
                              ",workdir=" + dir.subdir("etc-work").string() + " /etc && exec " + wrapper.string() +
                              " --show-options";
  return run(Launch{.argv = {"/usr/bin/unshare", "--mount", "/bin/sh", "-c", overlay}, .output = log},
             milliseconds(20000));
}

Server start_proftpd(const TempDir& dir, const CertFiles& cert, const std::string& extra) {
  Server s;
  s.port = free_port();
  s.log = dir / "proftpd.log";  // with -n proftpd logs to stderr
  s.tls_log = dir / "proftpd-tls.log";
  auto vars = cert_vars(cert);
  add_passive_range(vars);
  vars["PORT"] = std::to_string(s.port);
  vars["DIR"] = dir.path().string();
  vars["TLS_LOG"] = s.tls_log.string();
  vars["EXTRA"] = extra;
  const fs::path conf = dir / "proftpd.conf";
  write_text(conf, render_template("proftpd.conf.in", vars));
  start_tcp(s, Launch{.argv = {"/usr/sbin/proftpd", "-n", "-c", conf.string()}, .output = s.log});
  return s;
}

namespace {

// Any sshd binary with the shared sshd_config.in; `extra` lines are appended.
Server start_sshd_binary(const TempDir& dir, const fs::path& sshd, const std::string& extra) {
  if (!fs::exists(sshd)) throw std::runtime_error(sshd.string() + " is not installed (scripts/setup.sh)");
  Server s;
  s.port = free_port();
  s.log = dir / "sshd.log";
  make_ssh_host_key(dir, "ed25519", "host_ed25519");
  make_ssh_host_key(dir, "ecdsa", "host_ecdsa");
  const fs::path conf = dir / "sshd_config";
  write_text(conf, render_template("sshd_config.in", {{"DIR", dir.path().string()}, {"EXTRA", extra}}));
  // sshd insists on its privilege-separation directory /run/sshd: give it one in a private /run.
  const fs::path run_dir = dir.subdir("run");
  fs::create_directories(run_dir / "sshd");
  Launch l{.argv = {sshd.string(), "-D", "-e", "-f", conf.string(), "-p", std::to_string(s.port)},
           .output = s.log,
           .private_run = run_dir};
  start_tcp(s, l);
  return s;
}

}  // namespace

Server start_sshd(const TempDir& dir, const std::string& extra) { return start_sshd_binary(dir, "/usr/sbin/sshd", extra); }

Server start_openssh10(const TempDir& dir, const std::string& extra) {
  const fs::path helpers = fs::path(kOpenssh10Root) / "usr/lib/openssh";
  return start_sshd_binary(dir, fs::path(kOpenssh10Root) / "usr/sbin/sshd",
                           "SshdSessionPath " + (helpers / "sshd-session").string() + "\nSshdAuthPath " +
                               (helpers / "sshd-auth").string() + "\n" + extra);
}

Server start_dropbear(const TempDir& dir) {
  Server s;
  s.port = free_port();
  s.log = dir / "dropbear.log";
  std::vector<std::string> argv = {"/usr/sbin/dropbear", "-F", "-E", "-s", "-p",
                                   "127.0.0.1:" + std::to_string(s.port), "-P", (dir / "dropbear.pid").string()};
  for (const std::string type : {"ed25519", "ecdsa"}) {
    const fs::path key = dir / ("dropbear_" + type);
    Launch keygen{.argv = {"/usr/bin/dropbearkey", "-t", type, "-f", key.string()}, .output = dir / "dropbearkey.out"};
    if (run(keygen, milliseconds(20000)) != 0)
      throw std::runtime_error("dropbearkey failed: " + read_text(keygen.output));
    argv.insert(argv.end(), {"-r", key.string()});
  }
  start_tcp(s, Launch{.argv = std::move(argv), .output = s.log});
  return s;
}

namespace {

// A TLS test server given its full command line except the extra arguments; stdout and stderr form its log.
Server start_tls_tool(const TempDir& dir, const std::string& log_name, std::uint16_t port,
                      std::vector<std::string> argv, const std::vector<std::string>& args, bool private_net) {
  Server s;
  s.port = port;
  s.log = dir / log_name;
  argv.insert(argv.end(), args.begin(), args.end());
  start_tcp(s, Launch{.argv = std::move(argv), .output = s.log, .private_net = private_net});
  return s;
}

}  // namespace

Server start_s_server(const TempDir& dir, const CertFiles& cert, const std::vector<std::string>& args) {
  const std::uint16_t port = free_port();
  return start_tls_tool(dir, "s_server.log", port,
                        {"/usr/bin/openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port), "-cert",
                         cert.cert.string(), "-key", cert.key.string(), "-naccept", "16", "-www"},
                        args, false);
}

Server start_gnutls_serv(const TempDir& dir, const CertFiles& cert, const std::vector<std::string>& args) {
  const std::uint16_t port = free_port();
  return start_tls_tool(dir, "gnutls-serv.log", port,
                        {"/usr/bin/gnutls-serv", "--port", std::to_string(port), "--x509certfile",
                         cert.cert.string(), "--x509keyfile", cert.key.string()},
                        args, true);
}

int run_ssh(std::uint16_t port, const std::vector<std::string>& options, const fs::path& log) {
  Launch l{.argv = {"/usr/bin/ssh", "-vvv", "-F", "/dev/null", "-o", "BatchMode=yes", "-o",
                    "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=10",
                    "-p", std::to_string(port)},
           .output = log};
  for (const auto& o : options) l.argv.insert(l.argv.end(), {"-o", o});
  l.argv.insert(l.argv.end(), {"nobody@127.0.0.1", "true"});
  return run(l, milliseconds(30000));
}

IkeEnd start_charon(const TempDir& dir, const std::string& name, const std::string& address, std::uint16_t port,
                    const IkeEnd* peer) {
  IkeEnd e{.name = name, .address = address, .port = port, .vici = dir / (name + ".vici")};
  e.server.port = port;
  e.server.log = dir / ("charon-" + name + ".log");
  e.server.console = dir / ("charon-" + name + ".console");
  const fs::path conf = dir / ("strongswan-" + name + ".conf");
  write_text(conf, render_template("strongswan.conf.in", {{"PORT", std::to_string(port)},
                                                          {"PORT_NAT_T", std::to_string(port + 1)},
                                                          {"VICI", e.vici.string()},
                                                          {"LOG", e.server.log.string()}}));
  // charon always writes /var/run/charon.pid: each instance gets a private /run so two can run at once.
  Launch l{.argv = {"/usr/lib/ipsec/charon"},
           .env = {"STRONGSWAN_CONF=" + conf.string()},
           .output = e.server.console,
           .private_run = dir.subdir("run-" + name),
           .private_net = peer == nullptr};
  if (peer != nullptr) l.join_net = net_namespace(*peer->server.process);
  e.server.process = std::make_unique<Process>(l);
  if (!wait_exists(e.vici, kStartLimit))
    throw std::runtime_error("charon " + name + " did not open its vici socket: " + read_text(e.server.console));
  return e;
}

bool load_conn(const TempDir& dir, const IkeEnd& end, const IkeEnd& peer, const IkeConn& c) {
  const fs::path conf = dir / ("swanctl-" + end.name + ".conf");
  write_text(conf, render_template("swanctl.conf.in",
                                   {{"LOCAL_ADDR", end.address},
                                    {"REMOTE_ADDR", peer.address},
                                    {"REMOTE_PORT", std::to_string(peer.port)},
                                    {"PROPOSALS", c.proposals},
                                    {"LOCAL_ID", c.local_id},
                                    {"REMOTE_ID", c.remote_id},
                                    {"PSK", c.psk},
                                    {"LOCAL_TS", c.local_ts.empty() ? end.address + "/32" : c.local_ts},
                                    {"REMOTE_TS", c.remote_ts.empty() ? peer.address + "/32" : c.remote_ts}}));
  Launch l{.argv = {"/usr/sbin/swanctl", "--load-all", "--noprompt", "--file", conf.string(), "--uri",
                    "unix://" + end.vici.string()},
           .output = dir / ("swanctl-load-" + end.name + ".out")};
  return run(l, milliseconds(20000)) == 0;
}

int initiate(const IkeEnd& end, const fs::path& log) {
  Launch l{.argv = {"/usr/sbin/swanctl", "--initiate", "--ike", "t", "--child", "c", "--timeout", "15", "--uri",
                    "unix://" + end.vici.string()},
           .output = log};
  return run(l, milliseconds(30000));
}

}  // namespace sd::peers
