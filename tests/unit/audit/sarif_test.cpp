// SARIF 2.1.0 from an audit: ruleId = finding id, location = file:line, defaults without a region.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "audit/audit.h"
#include "report/render.h"

namespace sd::audit {
namespace {

TEST(Sarif, AuditFindingsBecomeResultsWithFileLine) {
  const auto path = std::string(SD_SOURCE_DIR) + "/tests/vectors/audit/vsftpd/explicit-yes.conf";
  report::Report r;
  r.command = "audit";
  r.findings = run({path}, {}).findings;
  const auto doc = nlohmann::json::parse(report::render_sarif(r));
  EXPECT_EQ(doc["version"], "2.1.0");
  const auto& run0 = doc["runs"][0];
  EXPECT_EQ(run0["tool"]["driver"]["name"], "shakedown");
  // The two vsftpd hazards come first; predictions of known clients on this host's OpenSSL may add more.
  EXPECT_GE(run0["tool"]["driver"]["rules"].size(), 2u);
  ASSERT_GE(run0["results"].size(), 2u);
  EXPECT_EQ(run0["results"][0]["ruleId"], "ftps.vsftpd-ssl-request-cert");
  const auto& res = run0["results"][1];
  EXPECT_EQ(res["ruleId"], "ftps.vsftpd-require-ssl-reuse");
  EXPECT_EQ(res["level"], "error");
  const auto& loc = res["locations"][0]["physicalLocation"];
  EXPECT_EQ(loc["artifactLocation"]["uri"], path);
  EXPECT_EQ(loc["region"]["startLine"], 4);
}

TEST(Sarif, DefaultEvidenceHasNoRegion) {
  const auto path = std::string(SD_SOURCE_DIR) + "/tests/vectors/audit/vsftpd/debian-ssl-enable.conf";
  report::Report r;
  r.findings = run({path}, {}).findings;
  const auto doc = nlohmann::json::parse(report::render_sarif(r));
  const auto& loc = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
  EXPECT_FALSE(loc.contains("region"));
}

}  // namespace
}  // namespace sd::audit
