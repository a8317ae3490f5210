// The command table drives parsing, help and the man page; exit codes are as documented.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/wait.h>

#include "cli/command.h"

namespace sd::cli {
namespace {

struct Run {
  int code;
  std::string out;
};

Run run(const std::string& args) {
  const std::string cmd = std::string(SD_BINARY_DIR) + "/shakedown " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  while (std::size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST(CommandTable, HasTheFiveCommands) {
  std::vector<std::string> names;
  for (const auto& c : commands()) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"decode", "explain", "probe", "audit", "fleet"}));
}

TEST(ManPage, DocumentsEveryCommandAndOption) {
  const std::string man = man_page();
  EXPECT_EQ(man.rfind(".TH SHAKEDOWN 1", 0), 0u);
  auto roff = [](std::string s) {
    std::string o;
    for (char c : s) o += (c == '-') ? std::string("\\-") : std::string(1, c);
    return o;
  };
  for (const auto& o : global_options()) EXPECT_NE(man.find(roff(o.flags)), std::string::npos) << o.flags;
  for (const auto& c : commands()) {
    EXPECT_NE(man.find(".SS \"" + c.name), std::string::npos) << c.name;
    for (const auto& o : c.options) EXPECT_NE(man.find(roff(o.flags)), std::string::npos) << o.flags;
  }
  EXPECT_NE(man.find(".SH EXIT STATUS"), std::string::npos);
}

TEST(Binary, HelpExitsZeroAndListsCommands) {
  const auto r = run("--help");
  EXPECT_EQ(r.code, kOk);
  for (const auto& c : commands()) EXPECT_NE(r.out.find(c.name), std::string::npos);
}

TEST(Binary, CommandHelpShowsExitCodes) {
  const auto r = run("decode --help");
  EXPECT_EQ(r.code, kOk);
  EXPECT_NE(r.out.find("2 usage or input error"), std::string::npos);
}

TEST(Binary, UnknownCommandIsUsageError) {
  const auto r = run("frobnicate");
  EXPECT_EQ(r.code, kUsage);
}

TEST(Binary, BadFormatIsOneClearLine) {
  const auto r = run("decode --format yaml /dev/null");
  EXPECT_EQ(r.code, kUsage);
  EXPECT_NE(r.out.find("--format"), std::string::npos);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1);
}

TEST(Binary, ManFlagPrintsRoff) {
  const auto r = run("--man");
  EXPECT_EQ(r.code, kOk);
  EXPECT_EQ(r.out, man_page());
}

// Every format the audit recognises can be named with --type (pure-ftpd was once recognised but refused by the flag).
TEST(Binary, AuditTypeTakesEveryKindTheAuditNames) {
  const std::string dir = std::string(SD_BINARY_DIR) + "/cli-type-test";
  std::system(("mkdir -p '" + dir + "'").c_str());
  const std::string conf = dir + "/server.conf";
  std::FILE* f = std::fopen(conf.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs("TLS 2\nTLSCipherSuite HIGH\n", f);
  std::fclose(f);
  const auto r = run("audit --type pureftpd '" + conf + "'");
  EXPECT_NE(r.code, 2) << r.out;
  EXPECT_EQ(r.out.find("not recognised"), std::string::npos) << r.out;
  const auto bad = run("audit --type nonsense '" + conf + "'");
  EXPECT_EQ(bad.code, 2);
  for (const char* kind : {"pureftpd", "niminfo", "proftpd", "attls", "ipsec.conf"})
    EXPECT_NE(bad.out.find(kind), std::string::npos) << kind << " missing from: " << bad.out;
}

}  // namespace
}  // namespace sd::cli
