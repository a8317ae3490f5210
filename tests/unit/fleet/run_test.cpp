// Reading fleet rows out of hand-made reports shaped like the TLS, SSH and IKE probes' sections.
#include <gtest/gtest.h>

#include "fleet/run.h"

namespace sd::fleet {
namespace {

report::Section tls_matrix() {
  report::Section s{"prediction", "Which clients connect", "tls://127.0.0.1:4433", {}, {}};
  Field ok = leaf("openssl-3.0", "connects with TLSv1.3");
  ok.add(leaf("verdict", "connects"));
  s.fields.push_back(ok);
  Field bad = leaf("zos-2.2-ftp", "fails at the TLS handshake");
  bad.add(leaf("verdict", "fails"));
  bad.add(leaf("cause", "tls.no-shared-version")).add(leaf("reason", "the server accepts no TLS 1.0"));
  s.fields.push_back(bad);
  Field unsure = leaf("java-8", "not sure");
  unsure.add(leaf("verdict", "unknown"));
  s.fields.push_back(unsure);
  return s;
}

report::Section ssh_clients() {
  report::Section s{"clients", "SSH clients", "ssh://127.0.0.1:2222", {}, {}};
  Field f = leaf("client", "putty-0.78");
  f.add(leaf("prediction", "fails"));
  f.add(leaf("summary", "no shared host key"));
  f.add(leaf("message", "Couldn't agree a host key algorithm"));
  s.fields.push_back(f);
  return s;
}

report::Section ike_profiles() {
  report::Section s{"prediction", "IKEv2 peer profiles", "ike://127.0.0.1:500", {}, {}};
  Field f = leaf("profile", "zos-iked-v2r4-default");
  f.add(leaf("prediction", "establishes with AES_CBC_256/SHA2_256/MODP_2048"));
  s.fields.push_back(f);
  return s;
}

report::Section chain() {
  report::Section s{"probe", "Certificate chain as sent", "tls://127.0.0.1:4433", {}, {}};
  Field c{.name = "certificate", .value = "0"};
  c.add(leaf("subject", "CN = localhost"));
  c.add(leaf("issuer", "CN = Test CA"));
  c.add(leaf("not_after", "2027-01-02T03:04:05Z"));
  c.add(leaf("serial", "0a1b"));
  c.add(leaf("sha256", "ab12"));
  s.fields.push_back(c);
  s.fields.push_back(leaf("chain_in_order", "yes"));
  return s;
}

TEST(FleetRun, ReadsFindingsPredictionsAndCertificates) {
  report::Report r;
  r.command = "probe";
  Finding f;
  f.id = "tls.no-shared-version";
  f.title = "No shared version";
  f.severity = Severity::high;
  f.change_side = "server";
  r.findings.push_back(f);
  r.sections = {tls_matrix(), ssh_clients(), ike_profiles(), chain()};
  const RunRecord run = run_from(r, "tls://127.0.0.1:4433");
  EXPECT_EQ(run.command, "probe");
  EXPECT_EQ(run.target, "tls://127.0.0.1:4433");
  ASSERT_EQ(run.findings.size(), 1u);
  EXPECT_EQ(run.findings[0].id, "tls.no-shared-version");
  EXPECT_EQ(run.findings[0].severity, "high");
  EXPECT_EQ(run.findings[0].title, "No shared version");
  EXPECT_EQ(run.findings[0].side, "server");
  ASSERT_EQ(run.predictions.size(), 5u);
  EXPECT_EQ(run.predictions[0].profile, "openssl-3.0");
  EXPECT_EQ(run.predictions[0].verdict, "connects");
  EXPECT_EQ(run.predictions[0].reason, "connects with TLSv1.3");
  EXPECT_EQ(run.predictions[1].profile, "zos-2.2-ftp");
  EXPECT_EQ(run.predictions[1].verdict, "fails");
  EXPECT_EQ(run.predictions[1].reason, "the server accepts no TLS 1.0");
  EXPECT_EQ(run.predictions[2].verdict, "unknown");
  EXPECT_EQ(run.predictions[3].profile, "putty-0.78");
  EXPECT_EQ(run.predictions[3].verdict, "fails");
  EXPECT_EQ(run.predictions[3].reason, "Couldn't agree a host key algorithm");
  EXPECT_EQ(run.predictions[4].profile, "zos-iked-v2r4-default");
  EXPECT_EQ(run.predictions[4].verdict, "connects");
  EXPECT_EQ(run.predictions[4].reason, "establishes with AES_CBC_256/SHA2_256/MODP_2048");
  ASSERT_EQ(run.certificates.size(), 1u);
  EXPECT_EQ(run.certificates[0].subject, "CN = localhost");
  EXPECT_EQ(run.certificates[0].issuer, "CN = Test CA");
  EXPECT_EQ(run.certificates[0].serial, "0a1b");
  EXPECT_EQ(run.certificates[0].not_after, "2027-01-02T03:04:05Z");
  EXPECT_EQ(run.certificates[0].sha256, "ab12");
  EXPECT_EQ(run.certificates[0].where, "tls://127.0.0.1:4433 #0");
}

TEST(FleetRun, WhatIfFindingsAreNotTheTargets) {
  report::Report r;
  r.command = "probe";
  Finding real;
  real.id = "tls.dh-too-small";
  Finding hypothetical;
  hypothetical.id = "whatif.client-breaks";
  r.findings = {hypothetical, real};
  r.sections.push_back({"what-if", "If the server had min TLS 1.2", "tls://x", {leaf("zos-2.2-ftp", "fails")}, {}});
  const auto run = run_from(r, "tls://x");
  ASSERT_EQ(run.findings.size(), 1u);
  EXPECT_EQ(run.findings[0].id, "tls.dh-too-small");
  EXPECT_TRUE(run.predictions.empty());
}

TEST(FleetRun, VerdictVocabularyIsClosed) {
  EXPECT_EQ(verdict_of("connects"), "connects");
  EXPECT_EQ(verdict_of("establishes with X"), "connects");
  EXPECT_EQ(verdict_of("fails: NO_PROPOSAL_CHOSEN because …"), "fails");
  EXPECT_EQ(verdict_of("maybe"), "unknown");
  EXPECT_EQ(verdict_of(""), "unknown");
}

TEST(FleetRun, IsoTimeIsUtc) {
  EXPECT_EQ(iso_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(iso_utc(1798160645), "2026-12-25T01:04:05Z");
}

}  // namespace
}  // namespace sd::fleet
