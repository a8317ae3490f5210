// Bounded reading: a file over the cap is refused with its name, not loaded.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "audit/audit.h"
#include "audit/common/config_text.h"

namespace sd::audit {
namespace {

TEST(ConfigText, OversizedFileIsRefusedWithAClearError) {
  const auto path = std::string(SD_BINARY_DIR) + "/audit-oversized-vsftpd.conf";
  {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    const std::string line = "ssl_enable=YES\n";
    for (std::size_t n = 0; n < (kMaxConfigBytes / line.size()) + 2; ++n) f << line;
  }
  const auto out = run({path}, {});
  std::filesystem::remove(path);
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->text(), path + ": larger than 4 MiB, not a configuration file this tool reads");
}

TEST(ConfigText, SplitKeepsLineNumbersAndDropsComments) {
  const auto s = split_config("f", "# c\n\n  key = value \r\nother\tx y\n", Separator::whitespace);
  ASSERT_FALSE(s.error);
  ASSERT_EQ(s.lines.size(), 2u);
  EXPECT_EQ(s.lines[0].line, 3u);
  EXPECT_EQ(s.lines[0].key, "key");
  EXPECT_EQ(s.lines[0].value, "value");
  EXPECT_EQ(s.lines[1].value, "x y");
}

TEST(ConfigText, ForcedTypeReadsEveryFileThatWay) {
  const auto path = std::string(SD_SOURCE_DIR) + "/tests/vectors/audit/openssh/sshd_config-ed25519-only";
  Options o;
  o.kind = "vsftpd";
  const auto out = run({path}, o);
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->line, 2u);
}

}  // namespace
}  // namespace sd::audit
