// Agreement with the real programs: for every test file in tests/vectors/ssh/config-validate (good and broken),
// the real `sshd -t -f FILE` (OpenSSH 9.2p1 and the unpacked 10.0p1) and `ssh -G -F FILE host` are run, and
// `shakedown audit --type sshd|ssh --fact openssh=VERSION FILE` must flag exactly the files they refuse, at the same
// lines, with the same words (the evidence of ssh.config-rejected is the message the program prints).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "harness.h"
#include "servers.h"
#include "shakedown_cli.h"

namespace sd::peers {
namespace {

using nlohmann::json;

const fs::path kVectors = fs::path(SD_SOURCE_DIR) / "tests/vectors/ssh/config-validate";

/// One OpenSSH program to check files with.
struct Program {
  std::string version;  // "9.2" or "10.0", as --fact openssh= takes it
  std::string name;     // "sshd" or "ssh"
  fs::path binary;
};

/// What one side said about a file: whether it refuses it, and the error lines naming the file, in order.
struct Said {
  bool refused = false;
  std::vector<std::string> lines;
};

std::vector<fs::path> vector_files(const std::string& program) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kVectors / program))
    if (e.path().extension() == ".conf") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

/// The program's error lines about `file` ("FILE line N: …", not the warnings sshd starts anyway with).
std::vector<std::string> error_lines(const std::string& text, const std::string& file) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.ends_with('\r')) line.pop_back();  // ssh ends its stderr lines with CR LF
    const bool about_a_line = line.starts_with(file + " line ") || line.starts_with(file + ": line ");
    const bool warning = line.find("Deprecated option") != std::string::npos ||
                         line.find("Unsupported option") != std::string::npos;
    if (about_a_line && !warning) out.push_back(line);
  }
  return out;
}

Said real_program(const TempDir& dir, const Program& p, const fs::path& file, const fs::path& host_key) {
  const auto tag = file.filename().string() + "-" + p.version;
  Launch l{.argv = {p.binary.string()}, .output = dir / (tag + ".out"), .errors = dir / (tag + ".err")};
  if (p.name == "sshd") l.argv.insert(l.argv.end(), {"-t", "-f", file.string(), "-h", host_key.string()});
  else l.argv.insert(l.argv.end(), {"-G", "-F", file.string(), "shakedown.invalid"});
  const int code = run(l, milliseconds(20000));
  EXPECT_NE(code, -1) << tag << " did not finish";
  EXPECT_NE(code, 127) << p.binary << " did not start";
  return Said{code != 0, error_lines(read_text(*l.errors), file.string())};
}

Said audit(const TempDir& dir, const Program& p, const fs::path& file) {
  const auto tag = "audit-" + file.filename().string() + "-" + p.version;
  const CliRun r = shakedown(dir, tag, {"audit", "--type", p.name, "--fact", "openssh=" + p.version, "--fact",
                                        "platform=linux", "--format", "json", file.string()});
  EXPECT_TRUE(reported(r)) << tag << " exit code " << r.exit_code << ": " << r.err;
  Said out;
  const auto report = json::parse(r.out, nullptr, false);
  for (const auto& f : report.value("findings", json::array())) {
    if (f.value("id", "") != "ssh.config-rejected") continue;
    out.refused = true;
    for (const auto& e : f.value("evidence", json::array())) {
      const auto text = e.value("text", "");
      if (!text.starts_with("read once")) out.lines.push_back(text);  // lines the program never reaches
    }
  }
  return out;
}

bool usable(const fs::path& binary) { return fs::exists(binary) && ::access(binary.c_str(), X_OK) == 0; }

/// Checks every vector file of `program_name` with each program and with the audit at that version.
void expect_agreement(const std::vector<Program>& programs, const std::string& program_name) {
  TempDir dir("sshd-validate");
  const fs::path key = dir / "host_ed25519";
  ASSERT_EQ(run(Launch{.argv = {"/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.string()},
                       .output = dir / "keygen.out"},
                milliseconds(20000)),
            0);
  std::size_t refused = 0, accepted = 0;
  for (const auto& conf : vector_files(program_name)) {
    const fs::path file = dir / conf.filename().string();
    write_text(file, read_text(conf));
    for (const auto& p : programs) {
      const Said real = real_program(dir, p, file, key);
      const Said predicted = audit(dir, p, file);
      EXPECT_EQ(predicted.refused, real.refused) << conf.filename() << " with " << p.name << " " << p.version;
      EXPECT_EQ(predicted.lines, real.lines) << conf.filename() << " with " << p.name << " " << p.version;
      ++(real.refused ? refused : accepted);
    }
  }
  EXPECT_GE(refused, 10u);  // the corpus has both kinds, so agreement means something
  EXPECT_GE(accepted, 4u);
}

std::vector<Program> programs(const std::string& name, const fs::path& own, const fs::path& ten) {
  return {Program{"9.2", name, own}, Program{"10.0", name, ten}};
}

TEST(LiveSshdValidate, AuditRefusesExactlyWhatSshdRefuses) {
  const auto list = programs("sshd", "/usr/sbin/sshd", fs::path(kOpenssh10Root) / "usr/sbin/sshd");
  const bool ok = usable(list[0].binary) && usable(list[1].binary);
  SD_NEED_PEER_OR_SKIP(ok, "sshd 9.2 or the unpacked 10.0 is missing", "needs /usr/sbin/sshd and OpenSSH 10.0");
  expect_agreement(list, "sshd");
}

TEST(LiveSshdValidate, AuditRefusesExactlyWhatSshRefuses) {
  const auto list = programs("ssh", "/usr/bin/ssh", fs::path(kOpenssh10Root) / "usr/bin/ssh");
  const bool ok = usable(list[0].binary) && usable(list[1].binary);
  SD_NEED_PEER_OR_SKIP(ok, "ssh 9.2 or the unpacked 10.0 is missing", "needs /usr/bin/ssh and OpenSSH 10.0");
  expect_agreement(list, "ssh");
}

}  // namespace
}  // namespace sd::peers
