// The FTPS data-channel check against real vsftpd and proftpd on loopback: session reuse required or not,
// clear data refused or allowed, CCC, the passive address, implicit FTPS, a server without TLS, and logins
// (anonymous, --user with the password from the environment or a file, which never shows in any output).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "probe/ftps/ftps_data.h"
#include "report/render.h"
#include "servers.h"

namespace sd::peers {
namespace {

namespace ftps = sd::probe::ftps;

const std::string kPassword = "Pr0be-s3cret!in-env";
const std::string kFilePassword = "Pr0be-s3cret!in-file";

probe::Url url_for(std::uint16_t port, const std::string& scheme = "ftps") {
  return probe::Url{.scheme = scheme, .host = "127.0.0.1", .port = port,
                    .text = scheme + "://127.0.0.1:" + std::to_string(port)};
}

probe::ProbeOptions quick_options() {
  probe::ProbeOptions options;
  options.timeout = milliseconds(4000);
  return options;
}

#define SD_NEED(server)                                                         \
  if (!(server)) {                                                              \
    if (std::getenv("CI")) FAIL() << "the FTP server did not start";            \
    GTEST_SKIP() << "needs root, vsftpd (unpacked) and proftpd with mod_tls";   \
  }

std::vector<std::string> finding_ids(const ftps::DataChannelResult& result) {
  report::Report r;
  ftps::add_to_report(result, r);
  std::vector<std::string> ids;
  for (const auto& f : r.findings) ids.push_back(f.id);
  return ids;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string transcript_of(const ftps::DataChannelResult& result) {
  std::string out;
  for (const auto& line : result.control) out += (line.sent ? "> " : "< ") + line.text + "\n";
  return out;
}

// proftpd users come from a passwd-format file (mod_auth_file), so no system account is needed.
std::string proftpd_users(const TempDir& dir, const std::string& password) {
  const fs::path hash_file = dir / "hash.txt";
  Launch hash{.argv = {"/usr/bin/openssl", "passwd", "-6", password}, .output = hash_file};
  if (run(hash, milliseconds(10000)) != 0) throw std::runtime_error("openssl passwd failed");
  std::string hash_text = read_text(hash_file);
  while (!hash_text.empty() && hash_text.back() == '\n') hash_text.pop_back();
  const fs::path home = dir.subdir("home");
  write_text(home / "README", "shakedown live test\n");
  const fs::path users = dir / "ftpd.passwd";
  write_text(users, "probe:" + hash_text + ":0:0::" + home.string() + ":/bin/sh\n");
  fs::permissions(users, fs::perms::owner_read | fs::perms::owner_write);
  return "AuthUserFile " + users.string() + "\n  AuthOrder mod_auth_file.c\n  RequireValidShell off\n";
}

// proftpd as start_proftpd() runs it, but with TLS optional on the control connection (the shared template
// says TLSRequired on, and proftpd keeps the first of two settings), which it needs to accept CCC.
Server start_proftpd_tls_optional(const TempDir& dir, const CertFiles& cert, const std::string& extra) {
  Server s;
  s.port = free_port();
  s.log = dir / "proftpd.log";
  s.tls_log = dir / "proftpd-tls.log";
  const std::uint16_t passive = free_port_range(8);
  std::string conf = render_template(
      "proftpd.conf.in", {{"PORT", std::to_string(s.port)}, {"PASV_MIN", std::to_string(passive)},
                          {"PASV_MAX", std::to_string(passive + 7)}, {"DIR", dir.path().string()},
                          {"TLS_LOG", s.tls_log.string()}, {"CERT", cert.cert.string()},
                          {"KEY", cert.key.string()}, {"EXTRA", extra}});
  const auto at = conf.find("TLSRequired on");
  if (at == std::string::npos) throw std::runtime_error("proftpd.conf.in no longer says TLSRequired on");
  conf.replace(at, 14, "TLSRequired off");
  write_text(dir / "proftpd.conf", conf);
  s.console = s.log;
  s.process = std::make_unique<Process>(
      Launch{.argv = {"/usr/sbin/proftpd", "-n", "-c", (dir / "proftpd.conf").string()}, .output = s.log});
  if (!wait_tcp(s.port, milliseconds(10000), s.process.get())) throw std::runtime_error("proftpd did not listen");
  return s;
}

struct Checked {
  std::unique_ptr<TempDir> dir;
  std::optional<Server> server;
  ftps::DataChannelResult result;
};

Checked vsftpd_run(const std::string& tag, const std::string& extra, bool implicit = false) {
  Checked r{std::make_unique<TempDir>(tag), std::nullopt, {}};
  const CertFiles cert = make_cert(r.dir->path(), "server", {});
  r.server = started([&] { return start_vsftpd(*r.dir, cert, extra); });
  if (r.server)
    r.result = ftps::check_data_channel(url_for(r.server->port, implicit ? "ftps-implicit" : "ftps"), quick_options(),
                                        implicit);
  return r;
}

Checked proftpd_run(const std::string& tag, const std::string& extra, const probe::ProbeOptions& options) {
  Checked r{std::make_unique<TempDir>(tag), std::nullopt, {}};
  const CertFiles cert = make_cert(r.dir->path(), "server", {});
  r.server = started([&] { return start_proftpd(*r.dir, cert, proftpd_users(*r.dir, kPassword) + extra); });
  if (r.server) r.result = ftps::check_data_channel(url_for(r.server->port), options, false);
  return r;
}

probe::ProbeOptions user_from_env() {
  ::setenv("SD_LIVE_FTPS_PASSWORD", kPassword.c_str(), 1);
  probe::ProbeOptions options = quick_options();
  options.user = "probe";
  options.password_env = "SD_LIVE_FTPS_PASSWORD";
  return options;
}

TEST(LiveProbeFtps, VsftpdRequireSslReuseIsDetected) {
  const Checked r = vsftpd_run("ftps-reuse", "require_ssl_reuse=YES\n");
  SD_NEED(r.server);
  const auto& res = r.result;
  EXPECT_EQ(res.outcome, "success") << res.detail;
  EXPECT_EQ(res.banner, "220 (vsFTPd 3.0.3)");
  EXPECT_EQ(res.auth_tls, true);
  EXPECT_EQ(res.login_user, "anonymous");
  EXPECT_EQ(res.login_reply, "230 Login successful.");
  EXPECT_EQ(res.prot_p_reply, "200 PROT now Private.");
  ASSERT_EQ(res.attempts.size(), 3u);
  const auto& resumed = res.attempts[0];
  EXPECT_EQ(resumed.mode, "resumed");
  EXPECT_TRUE(resumed.succeeded);
  EXPECT_EQ(resumed.session_reused, true);
  EXPECT_EQ(resumed.final_reply, "226 Directory send OK.");
  EXPECT_GT(resumed.listing_bytes, 0u);
  const auto& fresh = res.attempts[2];
  EXPECT_EQ(fresh.mode, "fresh");
  EXPECT_FALSE(fresh.succeeded);
  EXPECT_EQ(fresh.final_reply, "522 SSL connection failed: session reuse required");
  EXPECT_EQ(res.requires_session_reuse, true);
  EXPECT_EQ(res.connections, 4u);  // control + three data connections
  EXPECT_EQ(res.ccc_advertised, false);
  EXPECT_FALSE(res.ccc_accepted.has_value());  // vsftpd does not advertise CCC, so it is never sent
  EXPECT_NE(read_text(r.server->log).find("No SSL session reuse on data channel."), std::string::npos);
  const auto ids = finding_ids(res);
  EXPECT_TRUE(has(ids, "ftps.vsftpd-require-ssl-reuse"));
  probe::tls::FtpsFacts facts;
  ftps::fill_facts(res, facts);
  EXPECT_EQ(facts.requires_session_reuse, true);
  EXPECT_EQ(facts.auth_tls, true);
  EXPECT_EQ(facts.implicit, false);
  EXPECT_EQ(facts.prot_p_accepted, true);
  EXPECT_EQ(facts.ccc_accepted, false);
  EXPECT_TRUE(has(facts.replies, "522 SSL connection failed: session reuse required"));
}

TEST(LiveProbeFtps, VsftpdForcedDataSslRefusesClearList) {
  // The template sets force_anon_data_ssl=YES: PROT C is taken, the transfer in clear is not.
  const Checked r = vsftpd_run("ftps-force-data", "require_ssl_reuse=NO\n");
  SD_NEED(r.server);
  const auto& res = r.result;
  EXPECT_EQ(res.prot_c_reply, "200 PROT now Clear.");
  EXPECT_EQ(res.prot_c_accepted, false);
  const auto* clear = res.attempt("clear");
  ASSERT_NE(clear, nullptr);
  EXPECT_EQ(clear->final_reply, "522 Data connections must be encrypted.");
  EXPECT_TRUE(has(finding_ids(res), "ftps.data-protection-required"));
  EXPECT_EQ(res.requires_session_reuse, false);
  ASSERT_NE(res.attempt("fresh"), nullptr);
  EXPECT_EQ(res.attempt("fresh")->final_reply, "226 Directory send OK.");
  EXPECT_FALSE(has(finding_ids(res), "ftps.vsftpd-require-ssl-reuse"));
}

TEST(LiveProbeFtps, VsftpdWithoutReuseOrForcedDataSsl) {
  const Checked r = vsftpd_run("ftps-relaxed", "require_ssl_reuse=NO\nforce_anon_data_ssl=NO\n");
  SD_NEED(r.server);
  const auto& res = r.result;
  EXPECT_EQ(res.requires_session_reuse, false);
  EXPECT_EQ(res.prot_c_accepted, true);
  ASSERT_EQ(res.attempts.size(), 3u);
  for (const auto& a : res.attempts) {
    EXPECT_TRUE(a.succeeded) << a.mode << ": " << a.final_reply;
    EXPECT_EQ(a.final_reply, "226 Directory send OK.") << a.mode;
  }
  EXPECT_TRUE(finding_ids(res).empty());
  EXPECT_EQ(res.outcome, "success");
}

TEST(LiveProbeFtps, VsftpdAnnouncingAnotherPassiveAddress) {
  const Checked r = vsftpd_run("ftps-pasv-address", "pasv_address=10.255.255.1\nrequire_ssl_reuse=NO\n");
  SD_NEED(r.server);
  const auto& res = r.result;
  EXPECT_EQ(res.pasv_address_differs, true);
  ASSERT_FALSE(res.attempts.empty());
  const auto& first = res.attempts[0];
  EXPECT_EQ(first.passive_command, "PASV");
  EXPECT_EQ(first.announced_host, "10.255.255.1");
  EXPECT_EQ(first.data_host, "127.0.0.1");  // the control connection's address is used instead
  EXPECT_TRUE(first.succeeded) << first.final_reply;
  EXPECT_TRUE(has(finding_ids(res), "ftps.pasv-address-unreachable"));
}

TEST(LiveProbeFtps, VsftpdImplicit) {
  const Checked r = vsftpd_run("ftps-implicit", "implicit_ssl=YES\nrequire_ssl_reuse=NO\n", true);
  SD_NEED(r.server);
  const auto& res = r.result;
  EXPECT_TRUE(res.implicit);
  EXPECT_FALSE(res.auth_tls.has_value());
  EXPECT_EQ(res.banner, "220 (vsFTPd 3.0.3)");
  EXPECT_FALSE(res.control_tls_version.empty());
  EXPECT_EQ(res.logged_in, true);
  EXPECT_EQ(res.requires_session_reuse, false);
  probe::tls::FtpsFacts facts;
  ftps::fill_facts(res, facts);
  EXPECT_EQ(facts.implicit, true);
}

TEST(LiveProbeFtps, ServerWithoutTlsRefusesAuth) {
  const Checked r = vsftpd_run("ftps-no-tls", "ssl_enable=NO\n");
  SD_NEED(r.server);
  const auto& res = r.result;
  EXPECT_EQ(res.auth_tls, false);
  EXPECT_EQ(res.auth_ssl, false);
  EXPECT_EQ(res.stopped_at, "auth");
  EXPECT_EQ(res.outcome, "plaintext-reply");
  EXPECT_EQ(transcript_of(res),
            "< 220 (vsFTPd 3.0.3)\n> AUTH TLS\n< 530 Please login with USER and PASS.\n"
            "> AUTH SSL\n< 530 Please login with USER and PASS.\n");
  EXPECT_EQ(res.connections, 1u);
  EXPECT_TRUE(has(finding_ids(res), "ftps.auth-tls-refused"));
}

TEST(LiveProbeFtps, ProftpdRequiresReuseByDefaultAndRefusesCcc) {
  const Checked r = proftpd_run("ftps-proftpd-default", "", user_from_env());
  SD_NEED(r.server);
  const auto& res = r.result;
  EXPECT_EQ(res.login_user, "probe");
  EXPECT_EQ(res.login_reply, "230 User probe logged in");
  EXPECT_EQ(res.requires_session_reuse, true);
  ASSERT_NE(res.attempt("fresh"), nullptr);
  EXPECT_EQ(res.attempt("fresh")->final_reply, "425 Unable to build data connection: Operation not permitted");
  EXPECT_EQ(res.attempt("resumed")->final_reply, "226 Transfer complete");
  EXPECT_EQ(res.prot_c_reply, "534 Unwilling to accept security parameters");
  EXPECT_EQ(res.prot_c_accepted, false);
  EXPECT_EQ(res.ccc_advertised, true);
  EXPECT_EQ(res.ccc_accepted, false);
  EXPECT_EQ(res.ccc_reply, "534 Unwilling to accept security parameters");
  EXPECT_EQ(res.control.back().text, "221 Goodbye.");  // CCC was the last command before QUIT
  const auto ids = finding_ids(res);
  EXPECT_TRUE(has(ids, "ftps.vsftpd-require-ssl-reuse"));
  EXPECT_TRUE(has(ids, "ftps.ccc-refused"));
  EXPECT_TRUE(has(ids, "ftps.data-protection-required"));
}

TEST(LiveProbeFtps, ProftpdNoSessionReuseRequired) {
  const Checked r = proftpd_run("ftps-proftpd-noreuse", "TLSOptions NoSessionReuseRequired\n", user_from_env());
  SD_NEED(r.server);
  const auto& res = r.result;
  EXPECT_EQ(res.requires_session_reuse, false);
  ASSERT_NE(res.attempt("fresh"), nullptr);
  EXPECT_EQ(res.attempt("fresh")->final_reply, "226 Transfer complete");
  EXPECT_FALSE(has(finding_ids(res), "ftps.vsftpd-require-ssl-reuse"));
}

TEST(LiveProbeFtps, ProftpdAcceptsCccWhenControlTlsIsOptional) {
  Checked r{std::make_unique<TempDir>("ftps-proftpd-ccc"), std::nullopt, {}};
  const CertFiles cert = make_cert(r.dir->path(), "server", {});
  r.server = started([&] { return start_proftpd_tls_optional(*r.dir, cert, proftpd_users(*r.dir, kPassword)); });
  SD_NEED(r.server);
  const auto res = ftps::check_data_channel(url_for(r.server->port), user_from_env(), false);
  EXPECT_EQ(res.ccc_advertised, true);
  EXPECT_EQ(res.ccc_accepted, true);
  EXPECT_EQ(res.ccc_reply, "200 Clearing control channel protection");
  ASSERT_GE(res.control.size(), 2u);
  EXPECT_EQ(res.control[res.control.size() - 2].text, "QUIT");  // sent in clear after CCC
  EXPECT_EQ(res.control.back().text, "221 Goodbye.");
  EXPECT_FALSE(has(finding_ids(res), "ftps.ccc-refused"));
  EXPECT_NE(read_text(r.server->tls_log).find("received CCC, clearing control channel protection"), std::string::npos);
  EXPECT_EQ(res.prot_c_accepted, true);  // TLSRequired off: clear data is allowed too
  probe::tls::FtpsFacts facts;
  ftps::fill_facts(res, facts);
  EXPECT_EQ(facts.ccc_accepted, true);
}

TEST(LiveProbeFtps, PasswordNeverInReportOrTranscript) {
  const Checked r = proftpd_run("ftps-secret", "", user_from_env());
  SD_NEED(r.server);
  report::Report rep;
  rep.command = "probe";
  ftps::add_to_report(r.result, rep);
  const std::string json = report::render_json(rep);
  const std::string text = report::render_text(rep);
  const std::string transcript = transcript_of(r.result);
  EXPECT_EQ(r.result.logged_in, true);
  EXPECT_NE(transcript.find("> PASS ****\n"), std::string::npos);
  for (const std::string& out : {json, text, transcript}) {
    EXPECT_EQ(out.find(kPassword), std::string::npos);
    EXPECT_EQ(out.find("Pr0be"), std::string::npos);
  }
}

TEST(LiveProbeFtps, PasswordFromFileAndWrongPassword) {
  Checked r{std::make_unique<TempDir>("ftps-password-file"), std::nullopt, {}};
  const CertFiles cert = make_cert(r.dir->path(), "server", {});
  r.server = started([&] { return start_proftpd(*r.dir, cert, proftpd_users(*r.dir, kFilePassword)); });
  SD_NEED(r.server);
  probe::ProbeOptions options = quick_options();
  options.user = "probe";
  options.password_file = (*r.dir / "password.txt").string();
  write_text(options.password_file, kFilePassword + "\n");
  const auto good = ftps::check_data_channel(url_for(r.server->port), options, false);
  EXPECT_EQ(good.logged_in, true) << good.detail;
  write_text(options.password_file, "not-the-password\n");
  const auto bad = ftps::check_data_channel(url_for(r.server->port), options, false);
  EXPECT_EQ(bad.logged_in, false);
  EXPECT_EQ(bad.stopped_at, "login");
  EXPECT_EQ(bad.login_reply, "530 Login incorrect.");
  EXPECT_EQ(transcript_of(bad).find("not-the-password"), std::string::npos);
}

}  // namespace
}  // namespace sd::peers
