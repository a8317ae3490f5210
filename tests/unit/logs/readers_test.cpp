// Readers: each format recognises its own lines from real logs, with side, type and attributes.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "logs/format.h"

namespace sd::logs {
namespace {

std::string slurp(const std::string& rel) {
  std::ifstream in(std::string(SD_SOURCE_DIR) + "/" + rel, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const Event* find_line(const std::vector<Event>& evs, std::size_t line) {
  for (const auto& e : evs)
    if (e.line <= line && line <= e.last_line) return &e;
  return nullptr;
}

TEST(SplitLine, SyslogHeaderGivesProgramPidAndTime) {
  const Line l = split_line("Nov 22 01:02:03 host sshd[4242]: Connection closed by 10.0.0.1 port 22");
  EXPECT_TRUE(l.syslog);
  EXPECT_EQ(l.host, "host");
  EXPECT_EQ(l.program, "sshd");
  EXPECT_EQ(l.pid, "4242");
  EXPECT_EQ(l.message, "Connection closed by 10.0.0.1 port 22");
  ASSERT_TRUE(l.time_ms);
  EXPECT_EQ(*l.time_ms, (325LL * 86400 + 3723) * 1000);  // Nov 22 is day 326 of a common year
}

TEST(SplitLine, IsoTimeWithOffsetIsUtcMilliseconds) {
  const Line l = split_line("2026-11-22T01:02:03.250+01:00 gw charon[7]: 05[IKE] initiating IKE_SA t[1]");
  ASSERT_TRUE(l.time_ms);
  EXPECT_EQ(*l.time_ms, 1795309323250LL - 3600000LL);
  EXPECT_EQ(l.program, "charon");
}

TEST(SplitLine, UnknownShapeKeepsTheLine) {
  const Line l = split_line("just words");
  EXPECT_FALSE(l.syslog);
  EXPECT_EQ(l.message, "just words");
  EXPECT_FALSE(l.time_ms);
}

TEST(ZosFtp, TracePointsMessagesAndReplies) {
  const auto evs = read_text(slurp("tests/vectors/logs/quoted/zos-ftp-plaintext-reply.log"), "t");
  const Event* cmd = find_line(evs, 2);
  ASSERT_NE(cmd, nullptr);
  EXPECT_EQ(cmd->format, "zos-ftp");
  EXPECT_EQ(cmd->type, "ftp.command");
  EXPECT_EQ(cmd->side, "client");
  EXPECT_EQ(cmd->attrs.at("command"), "AUTH TLS");
  const Event* reply = find_line(evs, 5);
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(reply->type, "ftp.reply");
  EXPECT_EQ(reply->format, "zos-ftp");
  EXPECT_EQ(reply->attrs.at("code"), "234");
  const Event* rc = find_line(evs, 15);
  ASSERT_NE(rc, nullptr);
  EXPECT_EQ(rc->attrs.at("rc"), "410");
  EXPECT_EQ(rc->attrs.at("trace"), "FC1103");
}

TEST(ZosSystemSsl, RecordsBecomeOneEventEachWithJobAttributes) {
  const auto evs = read_text(slurp("tests/vectors/logs/quoted/zos-ftp-plaintext-reply.log"), "t");
  const Event* hello = find_line(evs, 29);  // "V3 CLIENT-HELLO message" dump
  ASSERT_NE(hello, nullptr);
  EXPECT_EQ(hello->format, "zos-systemssl");
  EXPECT_EQ(hello->type, "ssl.dump");
  EXPECT_EQ(hello->line, 26u);
  EXPECT_EQ(hello->last_line, 32u);
  EXPECT_EQ(hello->attrs.at("job"), "SJP1");
  EXPECT_EQ(hello->attrs.at("process"), "0501028D");
  EXPECT_EQ(hello->attrs.at("function"), "send_v3_client_hello");
  const Event* err = find_line(evs, 47);
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->type, "ssl.error");
  EXPECT_EQ(err->text, "S0W1 MESSAGE 00000004 01:49:34.467943 SSL_ERROR\n"
                       "Job SJP1 Process 0501028D Thread 00000001 gsk_read_v3_record\n"
                       "Content Type 53 is not supported");
  ASSERT_TRUE(err->time_ms);
  EXPECT_EQ(*err->time_ms, (1 * 3600 + 49 * 60 + 34) * 1000LL + 467);
}

TEST(OpenSsh, ClientAndServerLogsAreToldApart) {
  const auto client = read_text(slurp("tests/vectors/logs/own/ssh-no-kex/client.log"), "c");
  const auto server = read_text(slurp("tests/vectors/logs/own/ssh-no-kex/sshd.log"), "s");
  std::size_t client_lines = 0, server_lines = 0;
  for (const auto& e : client) client_lines += e.format == "openssh-client" && e.side == "client";
  for (const auto& e : server) server_lines += e.format == "sshd" && e.side == "server";
  EXPECT_EQ(client_lines, client.size());
  EXPECT_GE(server_lines, 2u);
  bool broke = false;
  for (const auto& e : client)
    broke = broke || (e.attrs.count("dir") && e.attrs.at("dir") == "break" &&
                      e.text.find("no matching key exchange method") != std::string::npos);
  EXPECT_TRUE(broke);
}

TEST(Vsftpd, StraceWriteCarryingOopsIsAServerLine) {
  const auto evs = read_text("12213 write(0, \"500 OOPS: \", 10)        = 10\n", "t");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].format, "vsftpd");
  EXPECT_EQ(evs[0].side, "server");
  EXPECT_EQ(evs[0].type, "strace");
}

TEST(Vsftpd, ProtocolLogLines) {
  const auto evs = read_text(
      "Sun Nov 22 01:02:03 2026 [pid 3] [ftp] FTP response: Client \"::ffff:127.0.0.1\", "
      "\"522 SSL connection failed: session reuse required\"\n",
      "t");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].format, "vsftpd");
  EXPECT_EQ(evs[0].type, "ftp.reply");
  EXPECT_EQ(evs[0].attrs.at("code"), "522");
  EXPECT_EQ(evs[0].attrs.at("dir"), "server->client");
}

TEST(ZosIked, MessagesCarryIdAndTunnel) {
  const auto evs = read_text("EZD1796I Simultaneous rekeying of IKE version 2.0 security association 12 for tunnel K7 detected\n", "t");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].format, "zos-iked");
  EXPECT_EQ(evs[0].attrs.at("msgid"), "EZD1796I");
  EXPECT_EQ(evs[0].attrs.at("tunnel"), "K7");
}

TEST(StrongSwan, FilelogRequestIsDrawnFromTheInitiator) {
  const auto evs = read_text("Nov 22 01:02:03 05[ENC] generating IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) ]\n", "t");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].format, "strongswan");
  EXPECT_EQ(evs[0].attrs.at("group"), "ENC");
  EXPECT_EQ(evs[0].side, "client");
  EXPECT_EQ(evs[0].attrs.at("dir"), "client->server");
}

TEST(Nimsh, SslStepsAreNimEvents) {
  const auto evs = read_text(slurp("tests/vectors/logs/quoted/nimsh-create-bio-hang.log"), "t");
  ASSERT_EQ(evs.size(), 4u);
  for (const auto& e : evs) EXPECT_EQ(e.format, "nimsh");
}

TEST(TlsClients, OpensslGnutlsAndCurlLines) {
  const auto o = read_text(slurp("tests/vectors/logs/own/tls-cert-expired/client.log"), "o");
  const auto g = read_text(slurp("tests/vectors/logs/own/tls-gnutls-cert-expired/client.log"), "g");
  const auto c = read_text(slurp("tests/vectors/logs/own/tls-curl-cert-expired/client.log"), "c");
  const auto has = [](const std::vector<Event>& evs, const std::string& f) {
    for (const auto& e : evs)
      if (e.format == f) return true;
    return false;
  };
  EXPECT_TRUE(has(o, "openssl-client"));
  EXPECT_TRUE(has(g, "gnutls-client"));
  EXPECT_TRUE(has(c, "curl"));
}

TEST(Detect, ScoresTheFirstLines) {
  const std::vector<std::string> lines{"debug1: Reading configuration data /etc/ssh/ssh_config",
                                       "debug1: Connecting to 127.0.0.1 [127.0.0.1] port 22.", "plain words"};
  EXPECT_EQ(detect_format(lines), "openssh-client");
  const std::vector<std::string> none{"hello", "world"};
  EXPECT_EQ(detect_format(none), "plain");
}

TEST(Forced, EveryLineTakesTheForcedFormat) {
  ReadOptions o;
  o.forced_format = "sshd";
  const auto evs = read_text("debug1: something\nunrelated words\n", "t", o);
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(evs[0].format, "sshd");
  EXPECT_EQ(evs[1].format, "sshd");
  EXPECT_EQ(evs[1].type, "plain");
}

TEST(Stream, LongLinesAreCutAndCountsStayRight) {
  ReadOptions o;
  o.max_line = 16;
  std::istringstream in(std::string(100000, 'x') + "\nshort\n");
  std::vector<std::pair<std::size_t, std::size_t>> seen;
  const auto n = read_events(in, "t", o, [&](const Event& e) { seen.emplace_back(e.line, e.text.size()); });
  EXPECT_EQ(n.lines, 2u);
  EXPECT_EQ(n.skipped, 0u);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], std::make_pair(std::size_t{1}, std::size_t{16}));
  EXPECT_EQ(seen[1], std::make_pair(std::size_t{2}, std::size_t{5}));
}

TEST(Stream, FastLaneReadsOnlyLinesWithAMatchAndCountsTheRest) {
  ReadOptions o;
  o.prefilter = [](std::string_view chunk, std::vector<std::size_t>& ends) {
    for (auto at = chunk.find("HIT"); at != std::string_view::npos; at = chunk.find("HIT", at + 1)) ends.push_back(at + 3);
  };
  std::string text;
  for (int i = 1; i <= 100; ++i) text += (i == 90 ? "a HIT here" : "filler line " + std::to_string(i)) + "\n";
  std::istringstream in(text);
  std::vector<std::size_t> lines;
  const auto stats = read_events(in, "t", o, [&](const Event& e) { lines.push_back(e.line); });
  EXPECT_EQ(stats.lines, 100u);
  EXPECT_EQ(stats.skipped, 35u);  // the first 64 lines are always read; of the other 36, only line 90
  ASSERT_EQ(lines.size(), 65u);
  EXPECT_EQ(lines.back(), 90u);
}

TEST(Stream, FastLaneCountsLinesExactlyOverManyChunks) {
  // 3 MiB of lines of varied length (blank lines, runs of newlines, no trailing newline): the vector counter's
  // 16-byte steps, its 255-step flushes and its byte-by-byte tail must all agree with a plain count.
  ReadOptions o;
  o.prefilter = [](std::string_view chunk, std::vector<std::size_t>& ends) {
    for (auto at = chunk.find("HIT"); at != std::string_view::npos; at = chunk.find("HIT", at + 1)) ends.push_back(at + 3);
  };
  std::string text;
  std::size_t newlines = 0, hit_line = 0;
  for (std::size_t i = 0; text.size() < (3u << 20); ++i) {
    text += std::string(i % 37, 'x');
    if (i == 70000) {
      text += "HIT";
      hit_line = newlines + 1;
    }
    const std::size_t run = i % 11 == 0 ? 3 : 1;
    text += std::string(run, '\n');
    newlines += run;
  }
  text += "tail without newline";
  std::istringstream in(text);
  std::vector<std::size_t> lines;
  const auto stats = read_events(in, "t", o, [&](const Event& e) { lines.push_back(e.line); });
  EXPECT_EQ(stats.lines, newlines + 1);
  EXPECT_EQ(stats.skipped, newlines + 1 - 65);  // 64 head lines and the hit were read
  ASSERT_EQ(lines.size(), 65u);
  EXPECT_EQ(lines.back(), hit_line);
}

TEST(Stream, NoTrailingNewlineAndCrLf) {
  const auto evs = read_text("a\r\nb", "t");
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(evs[0].text, "a");
  EXPECT_EQ(evs[1].text, "b");
}

}  // namespace
}  // namespace sd::logs
