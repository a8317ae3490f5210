// The SSH probe against a real OpenSSH sshd on loopback: the lists it reports are exactly what the config allows,
// and each host key it reads has the fingerprint ssh-keygen gives for the key file.
// Connection etiquette: OpenSSH 10.0 (unpacked from bookworm-backports by scripts/setup.sh) with PerSourcePenalties
// tight enough to penalise the probe is reported as throttled, with sshd's own words as evidence, and the same
// server without penalties reads normally; OpenSSH 9.2 with MaxStartups 1:100:1 drops some of the parallel
// connections, which are run again alone instead of reading "closed".

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <memory>
#include <sstream>

#include "probe/engine/options.h"
#include "probe/ssh/ssh_probe.h"
#include "servers.h"

namespace sd::peers {
namespace {

namespace wire = sd::ssh;

const std::string kConfig =
    "KexAlgorithms curve25519-sha256,diffie-hellman-group14-sha256\n"
    "HostKeyAlgorithms ssh-ed25519,ecdsa-sha2-nistp256\n"
    "Ciphers aes128-ctr,aes256-gcm@openssh.com\n"
    "MACs hmac-sha2-256,hmac-sha2-512\n";

probe::Url url_for(std::uint16_t port) {
  return probe::Url{.scheme = "ssh", .host = "127.0.0.1", .port = port,
                    .text = "ssh://127.0.0.1:" + std::to_string(port)};
}

probe::ProbeOptions quick_options() {
  probe::ProbeOptions options;
  options.timeout = milliseconds(5000);
  return options;
}

// The names of a list without the strict-KEX and ext-info markers.
std::vector<std::string> without_markers(const wire::Names& list) {
  std::vector<std::string> out;
  for (const auto& n : list.value)
    if (n.rfind("kex-strict-", 0) != 0 && n.rfind("ext-info-", 0) != 0) out.push_back(n);
  return out;
}

// "SHA256:…" as ssh-keygen -l prints it for a public key file.
std::string keygen_fingerprint(const fs::path& pub) {
  const std::string command = "/usr/bin/ssh-keygen -l -E sha256 -f " + pub.string();
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  std::string text;
  std::array<char, 512> buffer{};
  while (pipe && fgets(buffer.data(), static_cast<int>(buffer.size()), pipe.get()) != nullptr) text += buffer.data();
  std::istringstream words(text);
  std::string bits, fingerprint;
  words >> bits >> fingerprint;
  return fingerprint;
}

TEST(ProbeSsh, ListsExactlyWhatTheConfigAllows) {
  TempDir dir("probe-ssh-lists");
  const Server sshd = start_sshd(dir, kConfig);
  const probe::ssh::Scan scan = probe::ssh::scan(url_for(sshd.port), quick_options());
  ASSERT_TRUE(scan.hello.identification.has_value()) << scan.hello.job.detail;
  EXPECT_EQ(scan.hello.identification->software_version.rfind("OpenSSH_", 0), 0u);
  const wire::Kexinit* k = scan.hello.lists();
  ASSERT_NE(k, nullptr) << scan.hello.job.detail;
  using L = wire::KexList;
  EXPECT_EQ(without_markers(k->list(L::kex)),
            (std::vector<std::string>{"curve25519-sha256", "diffie-hellman-group14-sha256"}));
  EXPECT_TRUE(k->strict_kex_server());
  EXPECT_EQ(k->list(L::host_key).value, (std::vector<std::string>{"ssh-ed25519", "ecdsa-sha2-nistp256"}));
  for (const auto which : {L::cipher_c2s, L::cipher_s2c})
    EXPECT_EQ(k->list(which).value, (std::vector<std::string>{"aes128-ctr", "aes256-gcm@openssh.com"}));
  for (const auto which : {L::mac_c2s, L::mac_s2c})
    EXPECT_EQ(k->list(which).value, (std::vector<std::string>{"hmac-sha2-256", "hmac-sha2-512"}));
  EXPECT_EQ(k->list(L::compression_s2c).value, (std::vector<std::string>{"none", "zlib@openssh.com"}));
}

TEST(ProbeSsh, ReadsEachHostKeyOnItsOwnConnection) {
  TempDir dir("probe-ssh-keys");
  const Server sshd = start_sshd(dir, kConfig);
  const probe::ssh::Scan scan = probe::ssh::scan(url_for(sshd.port), quick_options());
  EXPECT_EQ(scan.kex_used, "curve25519-sha256");
  ASSERT_EQ(scan.host_keys.size(), 2u);
  EXPECT_EQ(scan.host_keys[0].type, "ssh-ed25519");
  ASSERT_TRUE(scan.host_keys[0].key.has_value()) << scan.host_keys[0].problem;
  EXPECT_EQ(scan.host_keys[0].key->type.value, "ssh-ed25519");
  EXPECT_EQ(scan.host_keys[0].fingerprint, keygen_fingerprint(dir / "host_ed25519.pub"));
  EXPECT_EQ(scan.host_keys[1].type, "ecdsa-sha2-nistp256");
  ASSERT_TRUE(scan.host_keys[1].key.has_value()) << scan.host_keys[1].problem;
  EXPECT_EQ(scan.host_keys[1].key->type.value, "ecdsa-sha2-nistp256");
  EXPECT_EQ(scan.host_keys[1].fingerprint, keygen_fingerprint(dir / "host_ecdsa.pub"));
  // One for the hello, one per host key type, four for the behavioural probes after NEWKEYS.
  EXPECT_EQ(scan.stats.attempted, 7u);
  EXPECT_EQ(scan.stats.opened, 7u);
}

TEST(ProbeSsh, RegistryRowFillsTheReport) {
  TempDir dir("probe-ssh-report");
  const Server sshd = start_sshd(dir, kConfig);
  const probe::ProbeKind* kind = probe::find_probe("ssh");
  ASSERT_NE(kind, nullptr);
  EXPECT_EQ(kind->default_port, 22);
  report::Report report;
  std::string error;
  ASSERT_TRUE(kind->run(url_for(sshd.port), quick_options(), report, error)) << error;
  ASSERT_EQ(report.sections.size(), 5u);
  EXPECT_EQ(report.sections[0].kind, "probe");
  const Field& server = report.sections[0].fields.at(0);
  ASSERT_NE(server.child("server_host_key_algorithms"), nullptr);
  EXPECT_EQ(server.child("server_host_key_algorithms")->value, "ssh-ed25519,ecdsa-sha2-nistp256");
  EXPECT_EQ(server.child("strict_kex")->value, "yes");
  EXPECT_EQ(report.sections[1].fields.size(), 2u);
  ASSERT_EQ(report.notes.size(), 1u);
  EXPECT_EQ(report.notes[0], "7 connection(s) made to 127.0.0.1 port " + std::to_string(sshd.port));
}

// A closed port ends as connection-refused in the report, not as an error.
TEST(ProbeSsh, ClosedPortIsAnOutcome) {
  const probe::ssh::Scan scan = probe::ssh::scan(url_for(free_port()), quick_options());
  EXPECT_FALSE(scan.hello.identification.has_value());
  EXPECT_EQ(scan.hello.job.outcome, Outcome::connection_refused);
  EXPECT_TRUE(scan.host_keys.empty());
}

// ---- Connection etiquette ----

namespace pssh = sd::probe::ssh;
using pssh::Reaction;

// Penalties short enough for a test: two connections that end without authentication earn one (noauth 5 s each,
// enforced from 5 s on), and each address is its own source.
const std::string kTightPenalties =
    "PerSourcePenalties authfail:5s noauth:5s crash:5s max:30s min:5s\n"
    "PerSourceNetBlockSize 32:128\n";

// The peer, or a skip (a failure on CI, where setup.sh unpacks OpenSSH 10).
#define START_OR_SKIP(server, start)                                               \
  auto server##_started = started([&] { return start; });                          \
  if (!server##_started) {                                                         \
    if (std::getenv("CI") != nullptr) FAIL() << "OpenSSH 10 is missing on CI";     \
    GTEST_SKIP() << "OpenSSH 10 is not unpacked here (scripts/setup.sh)";          \
  }                                                                                \
  const Server& server = *server##_started

const pssh::BehaviourResult* result_named(const pssh::ServerBehaviour& b, std::string_view name) {
  for (const auto& r : b.results)
    if (r.name == name) return &r;
  return nullptr;
}

// What OpenSSH's code implies for the behavioural probes (dispatch.c answers unknown numbers with UNIMPLEMENTED).
// Message 199 differs by version: 9.2's packet.c refuses any number from 192 up with a DISCONNECT, while 10.0
// (measured here) dispatches it like any unknown number and answers UNIMPLEMENTED.
void expect_openssh_answers(const pssh::ServerBehaviour& b, const std::string& log, bool disconnects_on_199) {
  ASSERT_EQ(b.results.size(), 4u) << log;
  EXPECT_EQ(b.results[0].reaction, Reaction::ignored) << b.results[0].job.detail << "\n" << log;
  EXPECT_EQ(result_named(b, "unknown-message")->reaction, Reaction::unimplemented) << log;
  EXPECT_EQ(result_named(b, "ignore-and-debug")->reaction, Reaction::ignored) << log;
  const auto* vendor = result_named(b, "local-extension");
  if (disconnects_on_199) {
    EXPECT_EQ(vendor->reaction, Reaction::disconnected) << log;
    EXPECT_EQ(vendor->disconnect_description, "Invalid ssh2 packet type: 199");
  } else {
    EXPECT_EQ(vendor->reaction, Reaction::unimplemented) << log;
    EXPECT_TRUE(vendor->sequence_matches());
    EXPECT_TRUE(vendor->service_accepted);
  }
}

TEST(ProbeSshThrottle, OpenSsh10WithoutPenaltiesReadsNormally) {
  TempDir dir("ssh-throttle-10-plain");
  START_OR_SKIP(sshd, start_openssh10(dir, "PerSourcePenalties no\n"));
  for (int run = 0; run < 2; ++run) {  // twice: nothing carries over from one run to the next
    SCOPED_TRACE(run);
    const pssh::Scan scan = pssh::scan(url_for(sshd.port), quick_options());
    ASSERT_TRUE(scan.hello.identification.has_value()) << scan.hello.job.detail << "\n" << read_text(sshd.log);
    EXPECT_EQ(scan.hello.identification->software_version, "OpenSSH_10.0p2");
    ASSERT_NE(scan.hello.lists(), nullptr);
    EXPECT_EQ(scan.hello.lists()->list(sd::ssh::KexList::kex).value.front(), "mlkem768x25519-sha256");
    EXPECT_FALSE(scan.etiquette.throttled) << scan.etiquette.reason;
    EXPECT_TRUE(scan.etiquette.retried.empty());
    ASSERT_EQ(scan.host_keys.size(), 2u);
    for (const auto& look : scan.host_keys) EXPECT_TRUE(look.key.has_value()) << look.type << ": " << look.problem;
    expect_openssh_answers(scan.behaviour, read_text(sshd.log), /*disconnects_on_199=*/false);
    EXPECT_EQ(pssh::refuses_vendor_messages(scan.behaviour), std::optional<bool>(false));
    EXPECT_EQ(scan.stats.attempted, 7u);
  }
}

// A first run earns the penalty (seven connections that never authenticate); the second is refused at once with
// "Not allowed at this time" and says so, drawing no conclusion about host keys, clients or behaviour.
TEST(ProbeSshThrottle, OpenSsh10PerSourcePenaltiesReadAsThrottled) {
  TempDir dir("ssh-throttle-10-penalty");
  START_OR_SKIP(sshd, start_openssh10(dir, kTightPenalties));
  const pssh::Scan first = pssh::scan(url_for(sshd.port), quick_options());
  ASSERT_TRUE(first.hello.identification.has_value()) << first.hello.job.detail;
  // Whatever part of the first run the penalty caught is marked, never read as a fact about the server.
  for (const auto& look : first.host_keys)
    EXPECT_TRUE(look.key.has_value() || look.problem.rfind("not concluded: the server was throttling", 0) == 0)
        << look.type << ": " << look.problem;
  for (const auto& r : first.behaviour.results)
    EXPECT_NE(r.reaction, Reaction::closed) << r.name << ": " << r.job.detail;

  const pssh::Scan second = pssh::scan(url_for(sshd.port), quick_options());
  EXPECT_TRUE(second.etiquette.throttled);
  EXPECT_EQ(second.etiquette.first_throttled_job, "ssh-kexinit");
  EXPECT_EQ(second.etiquette.reason,
            "sshd refused the connection: this address is penalised (PerSourcePenalties, OpenSSH 9.8 and later) "
            "(it wrote \"Not allowed at this time\")");
  EXPECT_FALSE(second.hello.identification.has_value());
  EXPECT_EQ(second.hello.lists(), nullptr);
  EXPECT_TRUE(second.host_keys.empty());
  EXPECT_TRUE(second.behaviour.results.empty());
  EXPECT_EQ(second.stats.attempted, 1u);

  report::Report report;
  pssh::add_to_report(url_for(sshd.port), second, report);
  for (const auto& s : report.sections) EXPECT_NE(s.kind, "clients") << "no predictions from a refused run";
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].id, "ssh.maxstartups-drop");
  EXPECT_NE(report.findings[0].cause.find("Not allowed at this time"), std::string::npos);
  ASSERT_EQ(report.findings[0].evidence.size(), 1u);
  EXPECT_EQ(report.findings[0].evidence[0].text, "first throttled connection: ssh-kexinit");
  // sshd's side of the story: it logged the drop with the penalty's reason.
  EXPECT_NE(read_text(sshd.log).find("penalty: connections without attempting authentication"), std::string::npos);
}

// MaxStartups 1:100:1: sshd serves one unauthenticated connection at a time and drops the rest of a parallel batch
// ("Exceeded MaxStartups"). Each dropped look and probe is run again alone and reads as on a relaxed server.
TEST(ProbeSshThrottle, MaxStartupsDropsInParallelProbesAreRetriedAlone) {
  TempDir dir("ssh-throttle-maxstartups");
  const Server sshd = start_sshd(dir, "MaxStartups 1:100:1\n");
  const pssh::Scan scan = pssh::scan(url_for(sshd.port), quick_options());
  const std::string log = read_text(sshd.log);
  ASSERT_NE(scan.hello.lists(), nullptr) << scan.hello.job.detail << "\n" << log;
  EXPECT_FALSE(scan.etiquette.throttled) << scan.etiquette.reason << "\n" << log;
  ASSERT_EQ(scan.host_keys.size(), 2u);
  for (const auto& look : scan.host_keys) EXPECT_TRUE(look.key.has_value()) << look.type << ": " << look.problem;
  expect_openssh_answers(scan.behaviour, log, /*disconnects_on_199=*/true);
  // Every retry answers for one connection sshd dropped, and sshd logged each drop.
  EXPECT_FALSE(scan.etiquette.retried.empty()) << log;
  EXPECT_EQ(scan.stats.attempted, 7u + scan.etiquette.retried.size());
  std::size_t drops = 0;
  for (auto at = log.find("past MaxStartups"); at != std::string::npos; at = log.find("past MaxStartups", at + 1))
    ++drops;
  EXPECT_EQ(drops, scan.etiquette.retried.size()) << log;
}

// With no connection left for a retry (--max-connections), a dropped probe reads "throttled", never "closed".
TEST(ProbeSshThrottle, ADroppedProbeWithoutRoomForARetryReadsThrottled) {
  TempDir dir("ssh-throttle-cap");
  const Server sshd = start_sshd(dir, "MaxStartups 1:100:1\n");
  probe::ProbeOptions options = quick_options();
  options.max_connections = 4;  // the baseline and three parallel probes, nothing more
  const pssh::Scan hello = pssh::scan(url_for(sshd.port), [] {
    probe::ProbeOptions o;
    o.timeout = milliseconds(5000);
    o.max_connections = 1;
    return o;
  }());
  ASSERT_NE(hello.hello.lists(), nullptr) << hello.hello.job.detail;
  // Let sshd see the first connection end, so that the baseline (alone) is served and only the batch is dropped.
  std::this_thread::sleep_for(milliseconds(500));
  probe::Engine engine(probe::engine_config(options));
  const pssh::ServerBehaviour b = pssh::probe_behaviour(url_for(sshd.port), options, engine, *hello.hello.lists());
  ASSERT_EQ(b.results.size(), 4u);
  EXPECT_TRUE(b.retried.empty());
  std::size_t throttled = 0;
  EXPECT_EQ(b.results[0].reaction, Reaction::ignored) << b.results[0].job.detail;
  for (const auto& r : b.results) {
    EXPECT_NE(r.reaction, Reaction::closed) << r.name;
    if (r.reaction == Reaction::throttled) ++throttled;
  }
  EXPECT_GE(throttled, 1u) << "three parallel connections against MaxStartups 1";
  EXPECT_EQ(engine.stats().attempted, 4u);
}

}  // namespace
}  // namespace sd::peers
