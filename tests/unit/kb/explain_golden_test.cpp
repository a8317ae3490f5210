// Golden reports: `shakedown explain` text and JSON for real inputs, compared byte for byte with
// tests/golden/explain/. Regenerate after an intended change with SD_UPDATE_GOLDEN=1.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "shakedown_run.h"

namespace {

const std::string kSource = SD_SOURCE_DIR;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void expect_golden(const std::string& name, const std::string& args) {
  const std::string got = sd::test::run_shakedown("explain " + args);
  const std::string path = kSource + "/tests/golden/explain/" + name;
  const char* update = std::getenv("SD_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") std::ofstream(path, std::ios::binary) << got;
  EXPECT_EQ(got, read_file(path)) << "golden " << name << " differs; SD_UPDATE_GOLDEN=1 regenerates it";
}

TEST(ExplainGolden, ZosFtpTraceWithSystemSslDumpsAsText) {
  expect_golden("zos-ftp-plaintext-reply.txt", "tests/vectors/logs/quoted/zos-ftp-plaintext-reply.log");
}

TEST(ExplainGolden, BothSidesOfAnSshKexMismatchAsJson) {
  expect_golden("ssh-no-kex.json", "--format json tests/vectors/logs/own/ssh-no-kex/client.log "
                                   "tests/vectors/logs/own/ssh-no-kex/sshd.log");
}

TEST(ExplainGolden, NothingMatchedShowsWhatWasRecognised) {
  expect_golden("nothing.txt", "tests/golden/explain/nothing.log");
}

}  // namespace
