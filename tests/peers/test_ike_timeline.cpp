// Live IKE rekey collision: two charons (rand_time = 0, short rekey_time) rekey the same IKE SA at the same
// moment; the logs they write must read as "collision resolved" in the per-SA timeline, while seed 004 reads as
// stuck (tests/unit/logs/ike_timeline_test.cpp).
//
// How the collision is made: both ends run with rand_time = 0s and a short rekey_time, and the test asks both
// charons to rekey over vici at the same instant (two sockets connected beforehand, the two requests written back
// to back). The proposal uses MODP-4096, whose key generation takes longer than the gap between the two requests,
// so each end has sent its own rekey before the peer's CREATE_CHILD_SA request arrives. Tried first and dropped:
// timers alone (the responder's SA is up earlier by about one DH computation, so its rekey finishes before the
// initiator's timer fires) and two `swanctl --rekey` processes at once (their start-up jitter is larger than the
// window; six attempts often gave no collision). netem, which would slow the link, is not in this sandbox's kernel.
// Only the IKE SA is rekeyed: this sandbox's kernel has no XFRM ("unable to install inbound and outbound IPsec SA"),
// so the CHILD SA is never installed (swanctl --initiate exits non-zero) while the IKE SA is established.

#include <gtest/gtest.h>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "capture.h"
#include "logs/format.h"
#include "logs/ike_timeline.h"
#include "servers.h"

namespace sd::peers {
namespace {

constexpr int kAttempts = 5;  // simultaneous rekey requests before giving up

// Rekey settings added to the shared swanctl.conf template: short timers, no jitter on either end.
std::string with_rekey_timers(std::string conf) {
  const std::string version = "version = 2\n";
  conf.replace(conf.find(version), version.size(),
               version + "    rekey_time = 30s\n    rand_time = 0s\n    over_time = 10s\n");
  return conf;
}

bool load_with_timers(const TempDir& dir, const IkeEnd& end, const IkeEnd& peer, const IkeConn& c) {
  if (!load_conn(dir, end, peer, c)) return false;  // renders swanctl-<name>.conf from the template
  const fs::path conf = dir / ("swanctl-" + end.name + ".conf");
  write_text(conf, with_rekey_timers(read_text(conf)));
  Launch l{.argv = {"/usr/sbin/swanctl", "--load-all", "--noprompt", "--file", conf.string(), "--uri",
                    "unix://" + end.vici.string()},
           .output = dir / ("swanctl-timers-" + end.name + ".out")};
  return run(l, milliseconds(20000)) == 0;
}

// A vici connection (the daemon's control socket) that can send the "rekey" command for IKE SA "t".
class Vici {
 public:
  explicit Vici(const fs::path& socket_path) : fd_(::socket(AF_UNIX, SOCK_STREAM, 0)) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", socket_path.c_str());
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error("vici connect " + socket_path.string());
  }
  ~Vici() { ::close(fd_); }
  Vici(const Vici&) = delete;
  Vici& operator=(const Vici&) = delete;

  // Writes CMD_REQUEST "rekey" with the message {ike = t} (vici: 32-bit length, type, name, KEY_VALUE items).
  void send_rekey() const {
    const std::string message = std::string{'\x03', '\x03'} + "ike" + std::string{'\x00', '\x01'} + "t";
    const std::string body = std::string{'\x00', '\x05'} + "rekey" + message;
    const auto n = static_cast<std::uint32_t>(body.size());
    std::string packet{static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                       static_cast<char>(n)};
    packet += body;
    if (::write(fd_, packet.data(), packet.size()) != static_cast<ssize_t>(packet.size()))
      throw std::runtime_error("vici write");
  }
  // Waits (bounded) for the daemon's answer, whatever it is.
  void wait_answer() const {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 10000) == 1) {
      char buf[512];
      [[maybe_unused]] const auto got = ::read(fd_, buf, sizeof buf);
    }
  }

 private:
  int fd_;
};

bool collided(const IkeEnd& a, const IkeEnd& b) {
  constexpr std::string_view kDetected = "detected IKE_REKEY collision with IKE_REKEY";
  return read_text(a.server.log).find(kDetected) != std::string::npos &&
         read_text(b.server.log).find(kDetected) != std::string::npos;
}

const Capture& run_collision() {
  return captured("ike-rekey-collision", [] {
    Capture c{.dir = std::make_unique<TempDir>("ike-rekey-collision")};
    const TempDir& dir = *c.dir;
    const IkeEnd a = start_charon(dir, "a", "127.0.0.1", free_port_range(2, true));
    const IkeEnd b = start_charon(dir, "b", "127.0.0.2", free_port_range(2, true), &a);
    const IkeConn ca{.proposals = "aes256-sha256-modp4096", .local_id = "a.test", .remote_id = "b.test"};
    const IkeConn cb{.proposals = "aes256-sha256-modp4096", .local_id = "b.test", .remote_id = "a.test"};
    if (!load_with_timers(dir, a, b, ca) || !load_with_timers(dir, b, a, cb))
      throw std::runtime_error("swanctl --load-all failed: " + read_text(dir / "swanctl-timers-a.out"));
    c.client_exit = initiate(a, dir / "swanctl-initiate.log");
    if (!wait_text(a.server.log, "IKE_SA t[1] established", milliseconds(5000)))
      throw std::runtime_error("no IKE SA: " + read_text(dir / "swanctl-initiate.log"));
    for (int i = 0; i < kAttempts && !collided(a, b); ++i) {
      const Vici va(a.vici);
      const Vici vb(b.vici);
      va.send_rekey();
      vb.send_rekey();
      va.wait_answer();
      vb.wait_answer();
      std::this_thread::sleep_for(milliseconds(700));  // the loser deletes its redundant SA, the old one goes
    }
    c.files = {{"charon-a.log", a.server.log}, {"charon-b.log", b.server.log}};
    return c;
  });
}

logs::ike::Timeline timeline_of(const Capture& c) {
  auto events = logs::read_text(c.text("charon-a.log"), "charon-a.log");
  const auto b = logs::read_text(c.text("charon-b.log"), "charon-b.log");
  events.insert(events.end(), b.begin(), b.end());
  return logs::ike::build_timeline(events);
}

// The states of the SAs that went through a collision, one list per log.
std::vector<std::string> collision_states(const logs::ike::Timeline& t) {
  std::vector<std::string> out;
  for (const auto& h : t.sas)
    if (h.state.starts_with("collision resolved")) out.push_back(h.file + ": " + h.state);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(LiveIkeRekeyCollision, CharonLogsTheCollisionOnBothEnds) {
  const Capture& c = run_collision();
  for (const char* name : {"charon-a.log", "charon-b.log"}) {
    const std::string log = c.text(name);
    EXPECT_NE(log.find("detected IKE_REKEY collision with IKE_REKEY"), std::string::npos) << name << "\n" << log;
  }
  // One end wins; the other either logs that it lost or, when the winner's DELETE arrives first, aborts its rekey.
  const std::string both = c.text("charon-a.log") + c.text("charon-b.log");
  EXPECT_NE(both.find("IKE_SA rekey collision won"), std::string::npos);
  EXPECT_TRUE(both.find("IKE_SA rekey collision lost") != std::string::npos ||
              both.find("peer did not notice IKE_SA rekey collision, abort active rekeying") != std::string::npos);
}

TEST(LiveIkeRekeyCollision, TimelineSaysCollisionResolved) {
  const Capture& c = run_collision();
  const auto t = timeline_of(c);
  EXPECT_EQ(t.verdict, "collision resolved");
  EXPECT_FALSE(t.point_of_no_return.has_value());
  // Which end wins is a matter of nonces, so the pair is checked as a set of states. When the winner's DELETE
  // reaches the other end before that end's own rekey completes, charon there logs "peer did not notice IKE_SA
  // rekey collision, abort active rekeying" instead of "won": both ends then read as lost (seen in CI under load).
  std::vector<std::string> states;
  for (const auto& s : collision_states(t)) states.push_back(s.substr(s.find(": ") + 2));
  std::sort(states.begin(), states.end());
  const bool aborted = (c.text("charon-a.log") + c.text("charon-b.log"))
                           .find("peer did not notice IKE_SA rekey collision, abort active rekeying") != std::string::npos;
  if (aborted && states == std::vector<std::string>{"collision resolved (lost)", "collision resolved (lost)"})
    SUCCEED() << "one end aborted its rekey when the other's DELETE came first";
  else
    EXPECT_EQ(states, (std::vector<std::string>{"collision resolved (lost)", "collision resolved (won)"}));
  const auto notes = logs::ike::timeline_notes(t);
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0], "left column: charon (charon-a.log); right column: charon (charon-b.log)");
}

}  // namespace
}  // namespace sd::peers
