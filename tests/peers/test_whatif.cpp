// --what-if against reality: a real server is probed (or its config audited) with a change given as --what-if, then
// the server is started (or the config written) with that change really made and probed (audited) plainly. For
// every client profile, what the what-if said it would become must be what the changed server's plain prediction
// says, word for word; and the profiles it breaks are exactly the expected ones.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "harness.h"
#include "ike_lab.h"
#include "servers.h"
#include "shakedown_cli.h"

namespace sd::peers {
namespace {

using Lines = std::map<std::string, std::string>;  // profile id -> its one-line prediction

/// The plain predictions of a JSON report: TLS "Which clients connect", SSH "clients", IKE "prediction" sections.
Lines plain_predictions(const std::string& json_text) {
  Lines out;
  for (const auto& s : sections_of(json_text)) {
    const auto kind = s.value("kind", "");
    for (const auto& f : s.value("fields", nlohmann::json::array())) {
      const auto name = f.value("name", "");
      if (kind == "prediction" && name == "profile") out[f.value("value", "")] = child_value(f, "prediction");  // IKE
      else if (kind == "prediction") out[name] = f.value("value", "");                                          // TLS
      else if (kind == "clients" && name == "client") out[f.value("value", "")] = child_value(f, "summary");    // SSH
    }
  }
  return out;
}

/// What the what-if section says: each moved profile's new line, and which of them break.
struct WhatIf {
  Lines after;
  std::set<std::string> broken;
  std::string title;
};

WhatIf what_if_of(const std::string& json_text) {
  WhatIf out;
  for (const auto& s : sections_of(json_text)) {
    if (s.value("kind", "") != "what-if") continue;
    out.title = s.value("title", "");
    for (const auto& f : s.value("fields", nlohmann::json::array())) {
      if (child_value(f, "after").empty()) continue;
      out.after[f.value("name", "")] = child_value(f, "after");
      if (f.value("value", "") == "connects → fails") out.broken.insert(f.value("name", ""));
    }
  }
  return out;
}

/// `text` with the decimal port replaced by "PORT" (an SSH client's message names the port it dialled).
std::string without_port(std::string text, std::uint16_t port) {
  const std::string p = " port " + std::to_string(port);
  for (auto at = text.find(p); at != std::string::npos; at = text.find(p, at + 1)) text.replace(at, p.size(), " port PORT");
  return text;
}

/// The what-if applied to the first server's predictions equals the changed server's predictions, profile by
/// profile; returns how many were compared.
std::size_t expect_agreement(const std::string& first_json, std::uint16_t first_port, const std::string& changed_json,
                             std::uint16_t changed_port) {
  const Lines before = plain_predictions(first_json);
  const WhatIf predicted = what_if_of(first_json);
  const Lines real = plain_predictions(changed_json);
  EXPECT_EQ(before.size(), real.size());
  std::size_t compared = 0;
  for (const auto& [id, line] : before) {
    const auto moved = predicted.after.find(id);
    const std::string expected = without_port(moved == predicted.after.end() ? line : moved->second, first_port);
    const auto found = real.find(id);
    if (found == real.end()) {
      ADD_FAILURE() << id << " missing from the changed server's predictions";
      continue;
    }
    EXPECT_EQ(expected, without_port(found->second, changed_port)) << id;
    ++compared;
  }
  return compared;
}

std::optional<Server> s_server(const TempDir& dir, const CertFiles& cert, std::vector<std::string> args) {
  args.insert(args.end(), {"-naccept", "1000"});
  return started([&] { return start_s_server(dir, cert, args); });
}

CliRun probe(const TempDir& dir, const std::string& tag, const std::string& url, const std::vector<std::string>& what_if) {
  std::vector<std::string> args{"probe", "--format", "json", url};
  for (const auto& w : what_if) args.insert(args.end(), {"--what-if", w});
  return shakedown(dir, tag, args);
}

const std::vector<std::string> kLegacyTls{"-cipher", "ALL:@SECLEVEL=0", "-min_protocol", "TLSv1"};

/// s_server with TLS 1.0 to 1.3 probed with --what-if `change`, and s_server started with `changed_args` probed
/// plainly: the what-if report (exit 1) and how many profiles agreed, or nullopt when s_server cannot run here.
struct TlsAgreement {
  WhatIf what_if;
  std::size_t compared = 0;
};

std::optional<TlsAgreement> tls_agreement(const std::string& tag, const std::string& change,
                                          const std::vector<std::string>& changed_args) {
  TempDir dir("whatif-" + tag);
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const auto full = s_server(dir, cert, kLegacyTls);
  const auto changed = s_server(dir, cert, changed_args);
  if (!full || !changed) return std::nullopt;
  const CliRun asked = probe(dir, "what-if", "tls://127.0.0.1:" + std::to_string(full->port), {change});
  EXPECT_EQ(asked.exit_code, 1) << asked.err;
  const CliRun real = probe(dir, "real", "tls://127.0.0.1:" + std::to_string(changed->port), {});
  EXPECT_TRUE(reported(real)) << real.err;
  return TlsAgreement{what_if_of(asked.out), expect_agreement(asked.out, full->port, real.out, changed->port)};
}

const std::set<std::string> kTls10Only{"ibm-java-8", "zos-2.2-ftp", "zos-systemssl-2.1-default"};

// --what-if no-tls1.0 breaks exactly the three TLS-1.0-only profiles, and s_server with -no_tls1 gives every
// profile the prediction the what-if made.
TEST(WhatIfLive, NoTls10AgreesWithAServerWithoutTls10) {
  auto args = kLegacyTls;
  args.push_back("-no_tls1");
  const auto result = tls_agreement("tls10", "no-tls1.0", args);
  SD_NEED_PEER_OR_SKIP(result, "openssl s_server did not start", "needs openssl s_server");
  EXPECT_EQ(result->what_if.title, "what if: no-tls1.0");
  EXPECT_EQ(result->what_if.broken, kTls10Only);
  EXPECT_EQ(result->what_if.after.size(), 3u);
  EXPECT_EQ(result->what_if.after.at("zos-2.2-ftp"), "fails: tls.client-version-too-old");
  EXPECT_GE(result->compared, 32u);
}

// min-tls1.2 against -min_protocol TLSv1.2: TLS 1.0 and 1.1 both go.
TEST(WhatIfLive, MinTls12AgreesWithAServerWhoseFloorIsTls12) {
  const auto result = tls_agreement("min12", "min-tls1.2", {"-cipher", "ALL:@SECLEVEL=0", "-min_protocol", "TLSv1.2"});
  SD_NEED_PEER_OR_SKIP(result, "openssl s_server did not start", "needs openssl s_server");
  EXPECT_EQ(result->what_if.broken, kTls10Only);
  EXPECT_GE(result->compared, 32u);
}

// A change that does not fit the protocol, or an unknown word, is a usage error naming the argument.
TEST(WhatIfLive, WrongProtocolIsAUsageError) {
  TempDir dir("whatif-usage");
  const CliRun kex = probe(dir, "kex", "tls://127.0.0.1:1", {"drop-kex:diffie-hellman-*"});
  EXPECT_EQ(kex.exit_code, 2);
  EXPECT_EQ(kex.err, "shakedown: probe tls://127.0.0.1:1: --what-if drop-kex:diffie-hellman-*: does not apply to tls "
                     "(it changes ssh)\n");
  const CliRun word = probe(dir, "word", "ssh://127.0.0.1:1", {"no-tls1.9"});
  EXPECT_EQ(word.exit_code, 2);
  EXPECT_EQ(word.err, "shakedown: --what-if no-tls1.9: unknown change (see --help for the words)\n");
}

// sshd with and without its ECDH and finite-field DH key exchanges: drop-kex:ecdh-* and drop-kex:diffie-hellman-*
// leave curve25519 and sntrup761 only, which the clients older than curve25519 lack; the real sshd with
// KexAlgorithms -ecdh-*,diffie-hellman-* agrees for every profile.
TEST(WhatIfLive, DropKexAgreesWithSshdWithoutThoseKex) {
  TempDir dir("whatif-ssh");
  const auto full = started([&] { return start_sshd(dir, ""); });
  SD_NEED_PEER_OR_SKIP(full, "sshd did not start", "needs OpenSSH sshd");
  const CliRun asked = probe(dir, "what-if", "ssh://127.0.0.1:" + std::to_string(full->port),
                             {"drop-kex:ecdh-*", "drop-kex:diffie-hellman-*"});
  ASSERT_EQ(asked.exit_code, 1) << asked.err;
  const WhatIf w = what_if_of(asked.out);
  EXPECT_EQ(w.title, "what if: drop-kex:ecdh-*, drop-kex:diffie-hellman-*");
  EXPECT_EQ(w.broken, (std::set<std::string>{"aix-6.1", "jsch-0.1.55"}));

  TempDir other("whatif-ssh-changed");
  const auto changed = started([&] { return start_sshd(other, "KexAlgorithms -ecdh-*,diffie-hellman-*\n"); });
  ASSERT_TRUE(changed);
  const CliRun real = probe(other, "real", "ssh://127.0.0.1:" + std::to_string(changed->port), {});
  ASSERT_TRUE(reported(real)) << real.err;
  EXPECT_GE(expect_agreement(asked.out, full->port, real.out, changed->port), 25u);
}

// charon with and without MODP_1024: drop-group:MODP_1024 breaks the peers whose only group it is, and a charon
// configured without it gives every profile the prediction the what-if made.
TEST(WhatIfLive, DropGroupAgreesWithCharonWithoutThatGroup) {
  const std::uint16_t port = free_port_range(2, true);
  probe::ike::Charon full(port, "aes128-aes256-sha1-sha256-modp1024-modp2048");
  SD_NEED_PEER_OR_SKIP(full.ok(), "charon did not start", "needs root and strongSwan charon");
  TempDir dir("whatif-ike");
  const CliRun asked = probe(dir, "what-if", "ike://127.0.0.1:" + std::to_string(port), {"drop-group:MODP_1024"});
  ASSERT_TRUE(reported(asked)) << asked.err;
  EXPECT_EQ(asked.exit_code, 1);
  EXPECT_EQ(what_if_of(asked.out).broken,
            (std::set<std::string>{"azure-vpn-gateway-default", "cisco-asa-9-ikev2-asdm",
                                   "cisco-ios-15-ikev2-smart-defaults", "windows-ikev2-client-default",
                                   "zos-iked-v2r4-default"}));
  const std::uint16_t other = free_port_range(2, true);
  probe::ike::Charon changed(other, "aes128-aes256-sha1-sha256-modp2048");
  ASSERT_TRUE(changed.ok());
  const CliRun real = probe(dir, "real", "ike://127.0.0.1:" + std::to_string(other), {});
  ASSERT_TRUE(reported(real)) << real.err;
  EXPECT_GE(expect_agreement(asked.out, port, real.out, other), 9u);
}

// The audit: vsftpd.conf with TLS 1.0 on, audited with --what-if no-tls1.0, agrees with the audit of the same
// file with ssl_tlsv1=NO.
TEST(WhatIfLive, AuditOfVsftpdAgreesWithTheChangedFile) {
  TempDir dir("whatif-audit");
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const std::string common = "listen=YES\nssl_enable=YES\nssl_ciphers=ALL:@SECLEVEL=0\nrequire_ssl_reuse=NO\n"
                             "ssl_request_cert=NO\nrsa_cert_file=" +
                             cert.cert.string() + "\nrsa_private_key_file=" + cert.key.string() + "\n";
  write_text(dir / "before.conf", common + "ssl_tlsv1=YES\n");
  write_text(dir / "after.conf", common + "ssl_tlsv1=NO\n");
  const CliRun asked =
      shakedown(dir, "audit-what-if", {"audit", "--format", "json", (dir / "before.conf").string(), "--what-if", "no-tls1.0"});
  ASSERT_EQ(asked.exit_code, 1) << asked.err;
  const WhatIf w = what_if_of(asked.out);
  EXPECT_EQ(w.broken, (std::set<std::string>{"ibm-java-8", "zos-2.2-ftp", "zos-systemssl-2.1-default"}));
  const CliRun real = shakedown(dir, "audit-real", {"audit", "--format", "json", (dir / "after.conf").string()});
  ASSERT_TRUE(reported(real)) << real.err;
  EXPECT_GE(expect_agreement(asked.out, 0, real.out, 0), 32u);
  const CliRun wrong =
      shakedown(dir, "audit-wrong", {"audit", "--format", "json", (dir / "before.conf").string(), "--what-if", "drop-kex:x"});
  EXPECT_EQ(wrong.exit_code, 2);
}

}  // namespace
}  // namespace sd::peers
