// The hostile set of issue 4: scripted peers on loopback that misbehave in every way a probe meets,
// each ending with one outcome from the closed vocabulary, within its timeout, with bounded buffers.
#include "probe/engine/engine.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <random>
#include <string>

#include "scripted_peer.h"

namespace sd::probe {
namespace {

using namespace std::chrono_literals;
using testing::PeerConn;
using testing::ScriptedPeer;
using testing::UdpPeer;

ByteVec bytes(std::string_view s) { return ByteVec(s.begin(), s.end()); }
std::string text(const ByteVec& b) { return std::string(b.begin(), b.end()); }
std::string raw(const char* hex_text) { return text(*from_hex(hex_text)); }

constexpr std::size_t kCap = 64 * 1024;

Limits quick_limits() {
  Limits limits;
  limits.connect_timeout = 1000ms;
  limits.io_timeout = 1000ms;
  limits.deadline = 5000ms;
  return limits;
}

Job job_to(std::uint16_t port, Conversation conversation, Transport transport = Transport::tcp,
           std::string host = "127.0.0.1") {
  return Job{"job", Target{transport, std::move(host), port}, quick_limits(), std::move(conversation)};
}

/// Reads one message with the framer.
Conversation read_one(Framer framer, std::size_t cap = kCap, Millis timeout = 1000ms) {
  return [framer, cap, timeout](Session& s) -> asio::awaitable<Step> {
    co_return co_await s.read_until(framer, cap, timeout);
  };
}

/// Sends bytes, then reads one message with the framer.
Conversation send_then_read(std::string out, Framer framer, std::size_t cap = kCap, Millis timeout = 1000ms) {
  return [out, framer, cap, timeout](Session& s) -> asio::awaitable<Step> {
    const Step sent = co_await s.send(bytes(out));
    if (!sent.ok()) co_return sent;
    co_return co_await s.read_until(framer, cap, timeout);
  };
}

const std::string kHello = raw("16 03 01 00 04 01 00 00 00");
const std::string kServerHello = raw("16 03 03 00 04 02 00 00 00");
const std::string kHelloDone = raw("16 03 03 00 04 0e 00 00 00");

TEST(Engine, WellBehavedTlsLikePeerSucceeds) {
  ScriptedPeer peer([](PeerConn& c) {
    if (c.read_some(2000).size() == 9) c.send(kServerHello + kHelloDone);
    c.read_some(2000);
  });
  ASSERT_TRUE(peer.ok());
  std::vector<Job> jobs;
  jobs.push_back(job_to(peer.port(), [](Session& s) -> asio::awaitable<Step> {
    const Step sent = co_await s.send(bytes(kHello));
    if (!sent.ok()) co_return sent;
    const Step first = co_await s.read_until(tls_record_framer(), kCap, 1000ms);
    if (!first.ok() || text(first.bytes) != kServerHello) co_return Step{Outcome::protocol_error, "first record", first.bytes};
    co_return co_await s.read_until(tls_record_framer(), kCap, 1000ms);
  }));
  EngineStats stats;
  const auto results = run_jobs(std::move(jobs), {}, &stats);
  ASSERT_EQ(results.size(), 1u);
  const JobResult& r = results[0];
  EXPECT_EQ(r.outcome, Outcome::success) << r.detail;
  EXPECT_EQ(text(r.last_message), kHelloDone);
  EXPECT_TRUE(r.connected);
  EXPECT_EQ(r.address, "127.0.0.1:" + std::to_string(peer.port()));
  ASSERT_EQ(r.transcript.chunks.size(), 2u);
  EXPECT_EQ(r.transcript.chunks[0].direction, Direction::sent);
  EXPECT_EQ(text(r.transcript.chunks[0].bytes), kHello);
  EXPECT_EQ(text(r.transcript.all(Direction::received)), kServerHello + kHelloDone);
  EXPECT_FALSE(r.transcript.truncated);
  EXPECT_LE(r.peak_buffer, kCap);
  EXPECT_EQ(stats.attempted, 1u);
  EXPECT_EQ(stats.opened, 1u);
  EXPECT_EQ(stats.jobs, 1u);
  EXPECT_EQ(peer.accepted(), 1);
}

TEST(Engine, EchoThroughAResolvedName) {
  ScriptedPeer peer([](PeerConn& c) { c.send(c.read_line(2000)); });
  ASSERT_TRUE(peer.ok());
  const auto target = parse_target("localhost:" + std::to_string(peer.port()), Transport::tcp, 1);
  ASSERT_TRUE(target.has_value());
  Engine engine;
  const JobResult r = engine.run_one(Job{"echo", *target, quick_limits(), send_then_read("ping\r\n", line_framer())});
  EXPECT_EQ(r.outcome, Outcome::success) << r.detail;
  EXPECT_EQ(text(r.last_message), "ping\r\n");
  EXPECT_EQ(r.address, "127.0.0.1:" + std::to_string(peer.port()));
  EXPECT_EQ(engine.stats().opened, 1u);
}

TEST(Engine, ClosedPortIsConnectionRefused) {
  EngineStats stats;
  const auto results = run_jobs({job_to(testing::closed_port(), read_one(line_framer()))}, {}, &stats);
  EXPECT_EQ(results[0].outcome, Outcome::connection_refused);
  EXPECT_EQ(results[0].detail, "the peer refused the connection");
  EXPECT_FALSE(results[0].connected);
  EXPECT_EQ(stats.attempted, 1u);
  EXPECT_EQ(stats.opened, 0u);
}

TEST(Engine, FullBacklogIsConnectTimeout) {
  // A listener with backlog 0 that never accepts: once its queue is full, Linux drops further SYNs.
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 0), 0);
  socklen_t len = sizeof addr;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  std::vector<int> fillers;
  for (int i = 0; i < 3; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    fillers.push_back(fd);
  }
  ::usleep(100 * 1000);
  Job job = job_to(ntohs(addr.sin_port), read_one(line_framer()));
  job.limits.connect_timeout = 300ms;
  const JobResult r = run_jobs({std::move(job)})[0];
  for (const int fd : fillers) ::close(fd);
  ::close(listener);
  EXPECT_EQ(r.outcome, Outcome::connect_timeout) << r.detail;
  EXPECT_EQ(r.detail, "no answer to the connection request within 300 ms");
}

TEST(Engine, SilentAfterAcceptIsIoTimeout) {
  ScriptedPeer peer([](PeerConn& c) { c.sleep(3000); });
  ASSERT_TRUE(peer.ok());
  const JobResult r = run_jobs({job_to(peer.port(), read_one(numbered_reply_framer(), kCap, 300ms))})[0];
  EXPECT_EQ(r.outcome, Outcome::io_timeout);
  EXPECT_EQ(r.detail, "the step's timeout passed while reading (0 bytes buffered)");
  EXPECT_TRUE(r.connected);
  EXPECT_EQ(r.transcript.received, 0u);
}

TEST(Engine, OneBytePerSecondHitsTheReadTimeoutNotOnlyAnIdleOne) {
  ScriptedPeer peer([](PeerConn& c) {
    for (int i = 0; i < 10 && c.send("2"); ++i) c.sleep(1000);
  });
  ASSERT_TRUE(peer.ok());
  Job job = job_to(peer.port(), read_one(numbered_reply_framer(), kCap, 1500ms));
  job.limits.deadline = 10000ms;
  const JobResult r = run_jobs({std::move(job)})[0];
  EXPECT_EQ(r.outcome, Outcome::io_timeout);
  EXPECT_TRUE(r.detail.starts_with("the step's timeout passed while reading")) << r.detail;
  EXPECT_GE(r.transcript.received, 1u);
  EXPECT_LE(r.transcript.received, 3u);
  EXPECT_EQ(text(r.last_message), std::string(r.transcript.received, '2'));
}

TEST(Engine, OneLinePerSecondHitsTheOverallDeadline) {
  // Every read completes well within its own timeout; only the job's deadline can end this conversation.
  ScriptedPeer peer([](PeerConn& c) {
    for (int i = 0; i < 10 && c.send("2\n"); ++i) c.sleep(1000);
  });
  ASSERT_TRUE(peer.ok());
  Job job = job_to(peer.port(), [](Session& s) -> asio::awaitable<Step> {
    for (int i = 0; i < 100; ++i) {
      Step line = co_await s.read_until(line_framer(), kCap, 1500ms);
      if (!line.ok()) co_return line;
    }
    co_return Step{};
  });
  job.limits.deadline = 2500ms;
  const JobResult r = run_jobs({std::move(job)})[0];
  EXPECT_EQ(r.outcome, Outcome::io_timeout);
  EXPECT_TRUE(r.detail.starts_with("the job's overall deadline of 2500 ms passed while reading")) << r.detail;
  EXPECT_GE(r.transcript.received, 4u);
  EXPECT_LE(r.transcript.received, 8u);
}

TEST(Engine, EndlessBannerIsOversizedAtTheCap) {
  ScriptedPeer peer([](PeerConn& c) {
    for (int i = 0; i < 100000 && c.send("Welcome to a very chatty server\r\n"); ++i) {
    }
  });
  ASSERT_TRUE(peer.ok());
  Job job = job_to(peer.port(), read_one(ssh_banner_framer(), 4096));
  job.limits.transcript_cap = 1000;
  const JobResult r = run_jobs({std::move(job)})[0];
  EXPECT_EQ(r.outcome, Outcome::oversized);
  EXPECT_EQ(r.detail, "the message needs at least 4097 bytes, above the read cap of 4096");
  EXPECT_EQ(r.last_message.size(), 4096u);
  EXPECT_EQ(r.peak_buffer, 4096u);
  EXPECT_TRUE(r.transcript.truncated);
  EXPECT_EQ(r.transcript.all(Direction::received).size(), 1000u);
}

TEST(Engine, EndlessMultiLineReplyIsOversized) {
  ScriptedPeer peer([](PeerConn& c) {
    for (int i = 0; i < 100000 && c.send("220-still greeting you\r\n"); ++i) {
    }
  });
  ASSERT_TRUE(peer.ok());
  const JobResult r = run_jobs({job_to(peer.port(), read_one(numbered_reply_framer(), 2000))})[0];
  EXPECT_EQ(r.outcome, Outcome::oversized);
  EXPECT_LE(r.peak_buffer, 2000u);
}

TEST(Engine, SixteenMegabyteLengthIsOversizedWithoutAllocatingIt) {
  ScriptedPeer peer([](PeerConn& c) {
    c.send(raw("01 00 00 00 0a 14"));
    for (int i = 0; i < 1000 && c.send(std::string(1024, 'x')); ++i) {
    }
  });
  ASSERT_TRUE(peer.ok());
  const JobResult r = run_jobs({job_to(peer.port(), read_one(ssh_packet_framer(), kCap))})[0];
  EXPECT_EQ(r.outcome, Outcome::oversized);
  EXPECT_TRUE(r.detail.starts_with("the message needs at least 16777220 bytes")) << r.detail;
  EXPECT_LE(r.peak_buffer, kCap);
  EXPECT_LT(r.transcript.received, kCap + 1);
}

TEST(Engine, OverlongTlsRecordIsOversized) {
  ScriptedPeer peer([](PeerConn& c) {
    c.send(raw("16 03 03 ff ff 02"));
    c.read_some(2000);
  });
  ASSERT_TRUE(peer.ok());
  const JobResult r = run_jobs({job_to(peer.port(), read_one(tls_record_framer()))})[0];
  EXPECT_EQ(r.outcome, Outcome::oversized);
  EXPECT_EQ(r.detail, "record length 65535 is above the TLS limit of 18432");
}

TEST(Engine, ResetMidHandshakeIsResetByPeer) {
  ScriptedPeer peer([](PeerConn& c) {
    c.read_some(2000);
    c.send(raw("16 03 03 00 40 02 00"));
    c.sleep(50);
    c.reset();
  });
  ASSERT_TRUE(peer.ok());
  const JobResult r = run_jobs({job_to(peer.port(), send_then_read(kHello, tls_record_framer()))})[0];
  EXPECT_EQ(r.outcome, Outcome::reset_by_peer) << r.detail;
  EXPECT_TRUE(r.connected);
}

TEST(Engine, RandomBytesAreAProtocolError) {
  std::mt19937 random(4);
  std::string noise(256, '\0');
  for (auto& c : noise) c = static_cast<char>(random() & 0xff);
  noise[0] = '\x07';  // neither a content type, printable text, nor an SSLv2 header
  ScriptedPeer peer([noise](PeerConn& c) {
    c.send(noise);
    c.read_some(2000);
  });
  ASSERT_TRUE(peer.ok());
  const JobResult r = run_jobs({job_to(peer.port(), read_one(tls_record_framer()))})[0];
  EXPECT_EQ(r.outcome, Outcome::protocol_error);
  EXPECT_EQ(r.detail, "byte 0x07 is not a TLS content type");
  EXPECT_EQ(r.last_message.front(), 0x07);
}

TEST(Engine, CloseAfterAcceptIsClosedByPeer) {
  ScriptedPeer peer([](PeerConn& c) { c.close(); });
  ASSERT_TRUE(peer.ok());
  const JobResult r = run_jobs({job_to(peer.port(), read_one(numbered_reply_framer()))})[0];
  EXPECT_EQ(r.outcome, Outcome::closed_by_peer);
  EXPECT_EQ(r.detail, "the peer closed the connection while reading (0 bytes buffered)");
}

TEST(Engine, AlertThenPlaintextComesBackAsTwoLabelledMessages) {
  ScriptedPeer peer([](PeerConn& c) {
    c.read_some(2000);
    c.send(raw("15 03 01 00 02 02 28") + "500 OOPS: SSL: cannot accept\r\n");
    c.read_some(2000);
  });
  ASSERT_TRUE(peer.ok());
  ByteVec alert;
  std::vector<Job> jobs{job_to(peer.port(), [&alert](Session& s) -> asio::awaitable<Step> {
    co_await s.send(bytes(kHello));
    Step first = co_await s.read_until(tls_record_framer(), kCap, 1000ms);
    if (first.outcome != Outcome::handshake_alert) co_return first;
    alert = first.bytes;
    Step after = co_await s.read_until(tls_record_framer(), kCap, 1000ms);
    if (after.outcome == Outcome::plaintext_reply) after.outcome = Outcome::alert_then_plaintext;
    co_return after;
  })};
  const JobResult r = run_jobs(std::move(jobs))[0];
  EXPECT_EQ(r.outcome, Outcome::alert_then_plaintext);
  EXPECT_EQ(text(alert), raw("15 03 01 00 02 02 28"));
  EXPECT_EQ(text(r.last_message), "500 OOPS: SSL: cannot accept\r\n");
}

TEST(Engine, PlaintextWhereARecordWasExpected) {
  ScriptedPeer peer([](PeerConn& c) {
    c.read_some(2000);
    c.send("421 TLS handshake failed\r\n");
    c.close();
  });
  ASSERT_TRUE(peer.ok());
  const JobResult r = run_jobs({job_to(peer.port(), send_then_read(kHello, tls_record_framer()))})[0];
  EXPECT_EQ(r.outcome, Outcome::plaintext_reply);
  EXPECT_EQ(text(r.last_message), "421 TLS handshake failed\r\n");
}

TEST(Engine, BudgetOfTwoNeverOpensAThirdConnection) {
  ScriptedPeer peer([](PeerConn& c) {
    const std::string line = c.read_line(2000);
    c.sleep(30);
    c.done();  // counted closed before the answer, so the client cannot start its next job first
    c.send(line);
    c.read_some(2000);
  });
  ASSERT_TRUE(peer.ok());
  std::vector<Job> jobs;
  for (int i = 0; i < 10; ++i) jobs.push_back(job_to(peer.port(), send_then_read("job\n", line_framer())));
  EngineConfig config;
  config.per_target_budget = 2;
  EngineStats stats;
  const auto results = run_jobs(std::move(jobs), config, &stats);
  for (const auto& r : results) EXPECT_EQ(r.outcome, Outcome::success) << r.detail;
  EXPECT_EQ(stats.peak_per_target, 2u);
  EXPECT_LE(peer.max_concurrent(), 2);
  EXPECT_GE(peer.max_concurrent(), 1);
  EXPECT_EQ(stats.opened, 10u);
  EXPECT_EQ(peer.accepted(), 10);
}

TEST(Engine, RateLimitStartsConnectionsInOrderAndApart) {
  std::mutex mutex;
  std::vector<std::string> seen;
  ScriptedPeer peer([&](PeerConn& c) {
    const std::string line = c.read_line(2000);
    {
      std::lock_guard lock(mutex);
      seen.push_back(line);
    }
    c.send(line);
    c.read_some(2000);
  });
  ASSERT_TRUE(peer.ok());
  std::vector<Job> jobs;
  for (int i = 0; i < 5; ++i)
    jobs.push_back(job_to(peer.port(), send_then_read(std::to_string(i) + "\n", line_framer())));
  EngineConfig config;
  config.per_target_budget = 10;
  config.min_start_interval = 100ms;
  const auto results = run_jobs(std::move(jobs), config);
  EXPECT_EQ(seen, (std::vector<std::string>{"0\n", "1\n", "2\n", "3\n", "4\n"}));
  for (std::size_t i = 1; i < results.size(); ++i) {
    EXPECT_EQ(results[i].outcome, Outcome::success);
    EXPECT_LT(results[i - 1].started, results[i].started) << "job " << i;
  }
}

TEST(Engine, ConnectionCounterIsExactAndTheCapHolds) {
  ScriptedPeer peer([](PeerConn& c) {
    c.send(c.read_line(2000));
    c.read_some(2000);
  });
  ASSERT_TRUE(peer.ok());
  EngineConfig config;
  config.per_target_budget = 1;
  config.max_connections = 4;
  Engine engine(config);
  std::vector<Job> jobs;
  for (int i = 0; i < 3; ++i) jobs.push_back(job_to(peer.port(), send_then_read("x\n", line_framer())));
  jobs.push_back(job_to(testing::closed_port(), read_one(line_framer())));
  jobs.push_back(job_to(peer.port(), send_then_read("x\n", line_framer())));
  const auto results = engine.run(std::move(jobs));
  EXPECT_EQ(results[3].outcome, Outcome::connection_refused);
  EXPECT_EQ(results[4].outcome, Outcome::budget_exhausted);
  EXPECT_EQ(results[4].detail, "the cap of 4 connections was reached");
  EXPECT_EQ(engine.stats().attempted, 4u);
  EXPECT_EQ(engine.stats().opened, 3u);
  EXPECT_EQ(engine.stats().jobs, 5u);
  EXPECT_EQ(peer.accepted(), 3);
  // The cap spans the engine's life: a later round starts already exhausted.
  const JobResult later = engine.run_one(job_to(peer.port(), send_then_read("x\n", line_framer())));
  EXPECT_EQ(later.outcome, Outcome::budget_exhausted);
  EXPECT_EQ(peer.accepted(), 3);
}

TEST(Engine, Ipv6Loopback) {
  if (!testing::ipv6_loopback_available()) GTEST_SKIP() << "::1 is not available here";
  ScriptedPeer peer([](PeerConn& c) { c.send("220 v6 ready\r\n"); }, true);
  ASSERT_TRUE(peer.ok());
  const auto target = parse_target("[::1]:" + std::to_string(peer.port()), Transport::tcp, 21);
  ASSERT_TRUE(target.has_value());
  EXPECT_EQ(target->host, "::1");
  const JobResult r = run_jobs({Job{"v6", *target, quick_limits(), read_one(numbered_reply_framer())}})[0];
  EXPECT_EQ(r.outcome, Outcome::success) << r.detail;
  EXPECT_EQ(text(r.last_message), "220 v6 ready\r\n");
  EXPECT_EQ(r.address, "[::1]:" + std::to_string(peer.port()));
}

TEST(Engine, UdpDatagramRoundTrip) {
  UdpPeer peer([](const std::string& d) { return std::vector<std::string>{"re:" + d}; });
  ASSERT_TRUE(peer.ok());
  const JobResult r =
      run_jobs({job_to(peer.port(), send_then_read("ike", datagram_framer(), 2048), Transport::udp)})[0];
  EXPECT_EQ(r.outcome, Outcome::success) << r.detail;
  EXPECT_EQ(text(r.last_message), "re:ike");
  EXPECT_EQ(peer.received(), 1);
}

TEST(Engine, SilentUdpPeerIsNoResponse) {
  UdpPeer peer([](const std::string&) { return std::vector<std::string>{}; });
  ASSERT_TRUE(peer.ok());
  const JobResult r =
      run_jobs({job_to(peer.port(), send_then_read("ike", datagram_framer(), 2048, 300ms), Transport::udp)})[0];
  EXPECT_EQ(r.outcome, Outcome::no_response);
}

TEST(Engine, OversizedDatagramIsCutAtTheCap) {
  UdpPeer peer([](const std::string&) { return std::vector<std::string>{std::string(3000, 'z')}; });
  ASSERT_TRUE(peer.ok());
  const JobResult r =
      run_jobs({job_to(peer.port(), send_then_read("ike", datagram_framer(), 1024), Transport::udp)})[0];
  EXPECT_EQ(r.outcome, Outcome::oversized);
  EXPECT_EQ(r.last_message.size(), 1024u);
  EXPECT_LE(r.peak_buffer, 1024u);
}

TEST(Engine, UdpToAClosedPortIsUnreachable) {
  const JobResult r =
      run_jobs({job_to(testing::closed_port(), send_then_read("ike", datagram_framer(), 2048, 1000ms), Transport::udp)})[0];
  EXPECT_EQ(r.outcome, Outcome::unreachable) << r.detail;
}

TEST(ParseTarget, Forms) {
  const auto v4 = parse_target("192.0.2.1:990", Transport::tcp, 21);
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "192.0.2.1");
  EXPECT_EQ(v4->port, 990);
  const auto name = parse_target("ftp.example", Transport::tcp, 21);
  ASSERT_TRUE(name);
  EXPECT_EQ(name->port, 21);
  const auto bare6 = parse_target("2001:db8::1", Transport::udp, 500);
  ASSERT_TRUE(bare6);
  EXPECT_EQ(bare6->host, "2001:db8::1");
  EXPECT_EQ(bare6->to_string(), "[2001:db8::1]:500");
  EXPECT_FALSE(parse_target("[::1", Transport::tcp, 1));
  EXPECT_FALSE(parse_target("host:70000", Transport::tcp, 1));
  EXPECT_FALSE(parse_target("host:", Transport::tcp, 0));
  EXPECT_FALSE(parse_target("", Transport::tcp, 1));
}

}  // namespace
}  // namespace sd::probe
