// Live IKEv2 failures: two real strongSwan charon daemons (127.0.0.1 and 127.0.0.2, own ports, own /run)
// with mismatched IKE proposals, a wrong pre-shared key, a wrong identity, and disjoint traffic selectors.

#include <gtest/gtest.h>

#include "capture.h"
#include "servers.h"

namespace sd::peers {
namespace {

// The two ends' connection settings for one case; a initiates.
struct IkeCase {
  std::string case_name;
  IkeConn a;
  IkeConn b;
};

IkeConn conn(const std::string& local, const std::string& remote) {
  return IkeConn{.local_id = local, .remote_id = remote};
}

IkeCase proposals_case() {
  IkeCase c{"ike-no-proposal-chosen", conn("a.test", "b.test"), conn("b.test", "a.test")};
  c.a.proposals = "aes128-sha256-modp3072";
  c.b.proposals = "aes256gcm16-prfsha384-ecp384";
  return c;
}

IkeCase psk_case() {
  IkeCase c{"ike-authentication-failed-psk", conn("a.test", "b.test"), conn("b.test", "a.test")};
  c.b.psk = "a-different-secret";
  return c;
}

IkeCase identity_case() {
  // a expects the responder to be c.test; b is b.test and has no config for a peer asking for c.test.
  return IkeCase{"ike-authentication-failed-id", conn("a.test", "c.test"), conn("b.test", "a.test")};
}

IkeCase selectors_case() {
  IkeCase c{"ike-ts-unacceptable", conn("a.test", "b.test"), conn("b.test", "a.test")};
  c.a.local_ts = "10.1.0.0/24";
  c.a.remote_ts = "10.2.0.0/24";
  c.b.local_ts = "10.3.0.0/24";
  c.b.remote_ts = "10.4.0.0/24";
  return c;
}

const Capture& run_case(const IkeCase& k) {
  return captured(k.case_name, [&k] {
    Capture c{.dir = std::make_unique<TempDir>(k.case_name)};
    const TempDir& dir = *c.dir;
    const IkeEnd a = start_charon(dir, "a", "127.0.0.1", free_port_range(2, true));
    const IkeEnd b = start_charon(dir, "b", "127.0.0.2", free_port_range(2, true), &a);
    if (!load_conn(dir, a, b, k.a) || !load_conn(dir, b, a, k.b))
      throw std::runtime_error("swanctl --load-all failed: " + read_text(dir / "swanctl-load-a.out") +
                               read_text(dir / "swanctl-load-b.out"));
    c.client_exit = initiate(a, dir / "swanctl-initiate.log");
    c.files = {{"charon-initiator.log", a.server.log},
               {"charon-responder.log", b.server.log},
               {"swanctl-initiate.log", dir / "swanctl-initiate.log"}};
    return c;
  });
}

TEST(LiveIkeProposals, BothSidesLogNoProposalChosen) {
  const Capture& c = run_case(proposals_case());
  EXPECT_NE(c.client_exit, 0);
  const std::string responder = c.text("charon-responder.log");
  EXPECT_NE(responder.find("received proposals: IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_3072"),
            std::string::npos) << responder;
  EXPECT_NE(responder.find("configured proposals: IKE:AES_GCM_16_256/PRF_HMAC_SHA2_384/ECP_384"), std::string::npos);
  EXPECT_NE(responder.find("received proposals unacceptable"), std::string::npos);
  EXPECT_NE(responder.find("generating IKE_SA_INIT response 0 [ N(NO_PROP) ]"), std::string::npos);
  const std::string initiator = c.text("charon-initiator.log");
  EXPECT_NE(initiator.find("parsed IKE_SA_INIT response 0 [ N(NO_PROP) ]"), std::string::npos) << initiator;
  EXPECT_NE(initiator.find("received NO_PROPOSAL_CHOSEN notify error"), std::string::npos);
}

TEST(LiveIkeProposals, ExplainNamesNoProposalChosen) {
  expect_diagnosis(run_case(proposals_case()), "ike.no-proposal-chosen");
}

TEST(LiveIkePsk, BothSidesLogAuthenticationFailed) {
  const Capture& c = run_case(psk_case());
  EXPECT_NE(c.client_exit, 0);
  const std::string responder = c.text("charon-responder.log");
  EXPECT_NE(responder.find("tried 1 shared key for 'b.test' - 'a.test', but MAC mismatched"), std::string::npos)
      << responder;
  EXPECT_NE(responder.find("generating IKE_AUTH response 1 [ N(AUTH_FAILED) ]"), std::string::npos);
  const std::string initiator = c.text("charon-initiator.log");
  EXPECT_NE(initiator.find("received AUTHENTICATION_FAILED notify error"), std::string::npos) << initiator;
}

TEST(LiveIkePsk, ExplainNamesAuthenticationFailed) {
  expect_diagnosis(run_case(psk_case()), "ike.authentication-failed");
}

TEST(LiveIkeIdentity, ResponderFindsNoPeerConfig) {
  const Capture& c = run_case(identity_case());
  const std::string responder = c.text("charon-responder.log");
  EXPECT_NE(responder.find("looking for peer configs matching 127.0.0.2[c.test]...127.0.0.1[a.test]"),
            std::string::npos) << responder;
  EXPECT_NE(responder.find("no matching peer config found"), std::string::npos);
  EXPECT_NE(c.text("charon-initiator.log").find("received AUTHENTICATION_FAILED notify error"), std::string::npos);
}

TEST(LiveIkeIdentity, ExplainNamesAuthenticationFailed) {
  expect_diagnosis(run_case(identity_case()), "ike.authentication-failed");
}

TEST(LiveIkeSelectors, ResponderRefusesTrafficSelectors) {
  const Capture& c = run_case(selectors_case());
  const std::string responder = c.text("charon-responder.log");
  EXPECT_NE(responder.find("traffic selectors 10.2.0.0/24 === 10.1.0.0/24 unacceptable"), std::string::npos)
      << responder;
  EXPECT_NE(responder.find("generating IKE_AUTH response 1 [ IDr AUTH N(TS_UNACCEPT) ]"), std::string::npos);
  EXPECT_NE(c.text("charon-initiator.log").find("received TS_UNACCEPTABLE notify, no CHILD_SA built"),
            std::string::npos);
}

TEST(LiveIkeSelectors, ExplainNamesTsUnacceptable) {
  expect_diagnosis(run_case(selectors_case()), "ike.ts-unacceptable");
}

}  // namespace
}  // namespace sd::peers
