// A profile predicted to fail really fails: the probe lists what a charon with an AEAD-only proposal accepts, the
// z/OS IKED V2R4 default profile is predicted NO_PROPOSAL_CHOSEN against it, and a charon initiating with exactly that
// profile's proposal to a charon configured the same way is refused with NO_PROPOSAL_CHOSEN.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>

#include "ike_lab.h"
#include "ikeprofiles/profiles.h"
#include "probe/ike/ike_probe.h"
#include "servers.h"

namespace sd::probe::ike {
namespace {

constexpr const char* kAeadOnly = "aes128gcm16-prfsha384-x25519";

const PeerProfile& profile(const std::string& id) {
  const auto& all = peer_profiles();
  const auto it = std::find_if(all.begin(), all.end(), [&](const PeerProfile& p) { return p.id == id; });
  if (it == all.end()) throw std::runtime_error("no profile " + id);
  return *it;
}

// The profile's first proposal in swanctl syntax (only the transforms the z/OS profiles use).
std::string swanctl_proposal(const PeerProfile& p) {
  static const std::map<std::string, std::string> keyword{{"ENCR_AES_CBC/128", "aes128"}, {"AUTH_HMAC_SHA1_96", "sha1"},
                                                          {"PRF_HMAC_SHA1", "prfsha1"}, {"MODP_1024", "modp1024"}};
  std::string out;
  for (const auto& name : p.proposals.at(0)) out += (out.empty() ? "" : "-") + keyword.at(name);
  return out;
}

TEST(IkeProfileLive, ZosDefaultIsPredictedToFailAndCharonWithItsProposalFailsTheSameWay) {
  const PeerProfile& zos = profile("zos-iked-v2r4-default");
  Charon probed(16630, kAeadOnly);
  SD_NEED_CHARON(probed);
  ProbeOptions options;
  options.timeout = Millis(1500);
  const GatewayFacts facts = probe_gateway({Transport::udp, "127.0.0.1", 16630}, options);
  const Prediction prediction = predict(zos, facts);
  EXPECT_FALSE(prediction.establishes);
  EXPECT_EQ(prediction.text, "fails: NO_PROPOSAL_CHOSEN because proposal 1 has no accepted ENCR (offers "
                             "ENCR_AES_CBC/128); PRF (offers PRF_HMAC_SHA1); INTEG (offers AUTH_HMAC_SHA1_96); KE "
                             "(offers MODP_1024)");

  ASSERT_EQ(swanctl_proposal(zos), "aes128-prfsha1-sha1-modp1024");
  // The same proposal from a real initiator: charon a offers it, charon b is configured like the probed one.
  using namespace sd::peers;
  TempDir dir("ike-zos-profile");
  std::optional<IkeEnd> a, b;
  try {
    a = start_charon(dir, "a", "127.0.0.1", free_port_range(2, true));
    b = start_charon(dir, "b", "127.0.0.2", free_port_range(2, true), &*a);
  } catch (const std::exception& e) {
    if (std::getenv("CI")) FAIL() << "charon pair did not start: " << e.what();
    GTEST_SKIP() << "charon pair did not start: " << e.what();
  }
  const IkeConn as_zos{.proposals = swanctl_proposal(zos), .local_id = "zos.test", .remote_id = "gw.test"};
  const IkeConn gateway{.proposals = kAeadOnly, .local_id = "gw.test", .remote_id = "zos.test"};
  ASSERT_TRUE(load_conn(dir, *a, *b, as_zos));
  ASSERT_TRUE(load_conn(dir, *b, *a, gateway));
  EXPECT_NE(initiate(*a, dir.subdir("out") / "initiate.log"), 0);
  const std::string responder = read_text(b->server.log);
  EXPECT_NE(responder.find("received proposals: IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024"),
            std::string::npos) << responder;
  EXPECT_NE(responder.find("generating IKE_SA_INIT response 0 [ N(NO_PROP) ]"), std::string::npos) << responder;
  const std::string initiator = read_text(a->server.log);
  EXPECT_NE(initiator.find("received NO_PROPOSAL_CHOSEN notify error"), std::string::npos) << initiator;
}

}  // namespace
}  // namespace sd::probe::ike
