#pragma once
// A private strongSwan charon for the IKE probe's live tests: own strongswan.conf and swanctl.conf, a high port on
// the host's loopback (the probe runs in the test process), a private /run, a PSK responder connection "resp".

#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace sd::probe::ike {

/// charon responding on 127.0.0.1:port with `proposals`; `settings` are extra lines inside charon { }. The default
/// never blocks or challenges the probe's half-open IKE SAs (block and cookie thresholds high), so counts are exact.
class Charon {
 public:
  /// Starts charon and loads the connection; ok() says whether both worked (root and charon are needed).
  Charon(std::uint16_t port, const std::string& proposals,
         const std::string& settings =
             "block_threshold = 1000\n  cookie_threshold = 1000\n  cookie_threshold_ip = 1000") {
    namespace fs = std::filesystem;
    if (geteuid() != 0 || !fs::exists("/usr/lib/ipsec/charon")) return;
    char tmpl[] = "/tmp/sd-ikeprobe-XXXXXX";
    if (!mkdtemp(tmpl)) return;
    dir_ = tmpl;
    fs::create_directories(dir_ + "/run");
    std::ofstream(dir_ + "/strongswan.conf")
        << "charon {\n  port = " << port << "\n  port_nat_t = " << port + 1
        << "\n  load = random nonce aes sha1 sha2 hmac gmp curve25519 x509 pem pkcs1 pubkey openssl kdf kernel-netlink "
           "socket-default vici\n  send_vendor_id = yes\n  "
        << settings << "\n  filelog {\n    lab {\n      path = " << dir_
        << "/charon.log\n      default = 1\n      ike = 2\n      net = 2\n      flush_line = yes\n    }\n  }\n"
        << "  plugins {\n    vici {\n      socket = unix://" << dir_ << "/charon.vici\n    }\n  }\n}\n";
    std::ofstream(dir_ + "/swanctl.conf")
        << "connections {\n  resp {\n    version = 2\n    proposals = " << proposals
        << "\n    local { auth = psk\n id = resp.example }\n    remote { auth = psk\n id = init.example }\n"
           "    children { c { esp_proposals = aes256-sha256 } }\n  }\n}\n"
           "secrets { ike-1 { id-1 = init.example\n id-2 = resp.example\n secret = live-secret } }\n";
    const std::string start = "STRONGSWAN_CONF=" + dir_ + "/strongswan.conf unshare -m sh -c \"mount --bind " + dir_ +
                              "/run /run && exec /usr/lib/ipsec/charon\" >" + dir_ + "/charon.out 2>&1 &";
    if (std::system(start.c_str()) != 0) return;
    for (int i = 0; i < 50 && !fs::exists(dir_ + "/charon.vici"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ok_ = std::system(("swanctl --load-all --noprompt --file " + dir_ + "/swanctl.conf --uri unix://" + dir_ +
                       "/charon.vici >/dev/null 2>&1")
                          .c_str()) == 0;
  }
  /// Stops charon (SIGTERM to the pid in its private /run) and removes its folder.
  ~Charon() {
    if (dir_.empty()) return;
    std::ifstream pid_file(dir_ + "/run/charon.pid");
    pid_t pid = 0;
    if (pid_file >> pid && pid > 1) kill(pid, SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  Charon(const Charon&) = delete;
  Charon& operator=(const Charon&) = delete;

  /// True when charon runs with the connection loaded.
  bool ok() const { return ok_; }
  /// charon's filelog so far.
  std::string log() const {
    std::ifstream in(dir_ + "/charon.log");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  std::string dir_;
  bool ok_ = false;
};

}  // namespace sd::probe::ike

// Skips without root or charon; CI machines are set up by scripts/setup.sh, so there a missing peer is a failure.
#define SD_NEED_CHARON(c)                                                 \
  if (!(c).ok()) {                                                        \
    if (std::getenv("CI")) FAIL() << "charon did not start";              \
    GTEST_SKIP() << "needs root and strongSwan charon";                   \
  }
