// Malformed input for every audit parser: unterminated blocks, unknown keywords, binary junk, a 100 MB file, an
// empty file, a folder and an unreadable file each give one exact error at FILE:LINE or an exact set of findings,
// never a crash (the suite also runs under ASan/UBSan), and exit code 2 through the command line.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "audit/common/config_text.h"
#include "audit/nim/niminfo.h"
#include "audit/pureftpd/pureftpd.h"

namespace sd::audit {
namespace {

namespace fs = std::filesystem;

// A fresh folder under the build tree for one test's inputs, removed at the end.
class Malformed : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = std::string(SD_BINARY_DIR) + "/audit-malformed-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Writes bytes to a file in the test folder and returns its path.
  std::string write(const std::string& name, const std::string& bytes) const {
    const auto path = (fs::path(dir_) / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  // The error run() gives for one file audited as kind, as "FILE:LINE: message" with the folder cut off.
  // run() over one file written with bytes, read as kind.
  Outcome audit_as(const std::string& kind, const std::string& name, const std::string& bytes) const {
    Options o;
    o.kind = kind;
    return run({write(name, bytes)}, o);
  }

  std::string error_of(const std::string& kind, const std::string& name, const std::string& bytes) const {
    const auto out = audit_as(kind, name, bytes);
    if (!out.error) return "(no error)";
    auto text = out.error->text();
    return text.rfind(dir_ + "/", 0) == 0 ? text.substr(dir_.size() + 1) : text;
  }

  // The finding ids run() gives for one file audited as kind; "error: …" when it could not be read.
  std::vector<std::string> ids_of(const std::string& kind, const std::string& name, const std::string& bytes) const {
    const auto out = audit_as(kind, name, bytes);
    if (out.error) return {"error: " + out.error->text()};
    std::vector<std::string> ids;
    for (const auto& f : out.findings) ids.push_back(f.id);
    return ids;
  }

  std::string dir_;
};

using Ids = std::vector<std::string>;

// The first bytes of an x86-64 ELF executable: binary, with a NUL and control bytes on line 1.
const std::string kElf("\x7f" "ELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00", 20);

// 64 KiB from a fixed-seed Mersenne Twister: the same bytes on every platform.
std::string random_junk() {
  std::mt19937 gen(20261122);
  std::string out;
  for (std::size_t i = 0; i < (64u << 10) / 4; ++i) {
    const auto v = gen();
    for (int b = 0; b < 4; ++b) out.push_back(static_cast<char>((v >> (8 * b)) & 0xff));
  }
  return out;
}

const std::vector<std::string> kAllKinds{"vsftpd", "sshd", "ssh", "cert", "swanctl", "ipsec.conf",
                                         "ftpdata", "openssl", "attls", "proftpd"};

TEST_F(Malformed, UnterminatedBlocksNameTheLineThatOpensThem) {
  EXPECT_EQ(error_of("proftpd", "proftpd.conf", "<IfModule mod_tls.c>\nTLSEngine on\n"),
            "proftpd.conf:1: '<IfModule mod_tls.c>' is never closed");
  EXPECT_EQ(error_of("attls", "policy", "TTLSRule x {\n  LocalPortRange 21\n"),
            "policy:1: TTLSRule x is not closed with '}'");
  EXPECT_EQ(error_of("attls", "policy", "TTLSRule x\n{\n  LocalPortRange 21\n}\n}\n"),
            "policy:5: '}' without an open block");
  EXPECT_EQ(error_of("swanctl", "swanctl.conf", "connections {\n  gw {\n    version = 2\n"),
            "swanctl.conf:2: section 'gw' is never closed");
  EXPECT_EQ(error_of("openssl", "openssl.cnf", "[system_default_sect\nMinProtocol = TLSv1.2\n"),
            "openssl.cnf:1: section header without ']'");
  EXPECT_EQ(error_of("ssh", "ssh_config", "Host x\n  Ciphers \"aes128-ctr\n"),
            "ssh_config:2: unbalanced quotes: sshd and ssh refuse this line");
}

TEST_F(Malformed, StatementsWithoutTheirValueAreErrorsAtTheirLine) {
  EXPECT_EQ(error_of("vsftpd", "vsftpd.conf", "ssl_enable=YES\nssl_request_cert\n"),
            "vsftpd.conf:2: 'ssl_request_cert' has no '=': vsftpd refuses to start on it");
  EXPECT_EQ(error_of("ftpdata", "FTP.DATA", "SECURE_FTP REQUIRED\nTLSMECHANISM\n"),
            "FTP.DATA:2: statement TLSMECHANISM has no value");
  EXPECT_EQ(error_of("ipsec.conf", "ipsec.conf", "config setup\nconn gw\nleft=1.2.3.4\n"),
            "ipsec.conf:3: expected conn, config, ca or include: left=1.2.3.4");
}

// Unknown keywords are passed over: the findings are those of the same file without them.
TEST_F(Malformed, UnknownKeywordsAreIgnored) {
  EXPECT_EQ(ids_of("vsftpd", "a.conf", "ssl_enable=YES\nbogus_option=1\n"),
            ids_of("vsftpd", "b.conf", "ssl_enable=YES\n"));
  EXPECT_EQ(ids_of("proftpd", "a.conf", "TLSEngine on\nFrobnicate yes\n"), ids_of("proftpd", "b.conf", "TLSEngine on\n"));
  // sshd itself refuses an unknown keyword (ssh.config-rejected, first); the other findings stay those without it.
  auto sshd_ids = ids_of("sshd", "b", "Port 22\n");
  sshd_ids.insert(sshd_ids.begin(), "ssh.config-rejected");
  EXPECT_EQ(ids_of("sshd", "a", "Port 22\nNoSuchKeyword yes\n"), sshd_ids);
  EXPECT_EQ(ids_of("ftpdata", "a", "SECURE_FTP REQUIRED\nFROBNICATE YES\n"), ids_of("ftpdata", "b", "SECURE_FTP REQUIRED\n"));
  EXPECT_EQ(ids_of("ipsec.conf", "a.conf", "conn gw\n\tleft=1.2.3.4\n\tfrobnicate=yes\n"),
            ids_of("ipsec.conf", "b.conf", "conn gw\n\tleft=1.2.3.4\n"));
  EXPECT_EQ(ids_of("openssl", "a.cnf", "[s]\nFrobnicate = 1\n"), Ids{});
  EXPECT_EQ(ids_of("attls", "a.policy", "TTLSFrobnicate x\n{\n  Foo Bar\n}\n"), Ids{});
  EXPECT_EQ(ids_of("swanctl", "a.conf", "frobnicate {\n  x = 1\n}\n"), Ids{});
}

TEST_F(Malformed, BinaryDataIsRefusedAtItsFirstLine) {
  const std::string text_error = "junk:1: binary data (byte 0x02): not a text configuration file";
  for (const auto* kind : {"vsftpd", "sshd", "ssh", "ftpdata", "openssl", "attls", "proftpd", "swanctl", "ipsec.conf"})
    EXPECT_EQ(error_of(kind, "junk", kElf), text_error) << kind;
  // Control bytes without a NUL are binary too, and are never echoed into the error line.
  const std::string no_nul = "conn a {\x1b[2J\x07\x01\n";
  EXPECT_EQ(error_of("swanctl", "ctl", no_nul), "ctl:1: binary data (byte 0x1b): not a text configuration file");
  EXPECT_EQ(error_of("ipsec.conf", "ctl", no_nul), "ctl:1: binary data (byte 0x1b): not a text configuration file");
  EXPECT_EQ(error_of("cert", "junk", kElf), "junk: no certificate could be read (neither PEM nor DER)");
}

TEST_F(Malformed, RandomBytesGiveAnErrorInEveryParser) {
  const auto junk = random_junk();
  for (const auto& kind : kAllKinds) {
    const auto out = audit_as(kind, "random-" + kind, junk);
    ASSERT_TRUE(out.error) << kind;
    EXPECT_EQ(out.error->file, (fs::path(dir_) / ("random-" + kind)).string()) << kind;
    EXPECT_LE(out.error->line, 1u) << kind << ": " << out.error->text();
  }
}

TEST_F(Malformed, BrokenCertificatesAndKeystores) {
  const std::string none = ": no certificate could be read (neither PEM nor DER)";
  EXPECT_EQ(error_of("cert", "trunc.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n"), "trunc.pem" + none);
  EXPECT_EQ(error_of("cert", "bad64.pem", "-----BEGIN CERTIFICATE-----\n!!!notbase64!!!\n-----END CERTIFICATE-----\n"),
            "bad64.pem" + none);
  EXPECT_EQ(error_of("cert", "trunc.der", std::string("\x30\x82\xff\xff\x30\x00", 6)), "trunc.der" + none);
  EXPECT_EQ(error_of("cert", "junk.der", random_junk().substr(0, 300)), "junk.der" + none);
  EXPECT_EQ(error_of("cert", "junk.p12", random_junk().substr(0, 300)), "junk.p12: not a PKCS#12 file");
  EXPECT_EQ(error_of("cert", "empty.pem", ""), "empty.pem" + none);
}

// An empty file is a file with every default in force: the findings those defaults imply, no error.
TEST_F(Malformed, EmptyFileMeansEveryDefault) {
  EXPECT_EQ(ids_of("vsftpd", "vsftpd.conf", ""), Ids{});  // ssl_enable is off by default
  EXPECT_EQ(ids_of("proftpd", "proftpd.conf", ""), Ids{});
  EXPECT_EQ(ids_of("ssh", "ssh_config", ""), Ids{});
  EXPECT_EQ(ids_of("openssl", "openssl.cnf", ""), Ids{});
  EXPECT_EQ(ids_of("attls", "policy", ""), Ids{});
  EXPECT_EQ(ids_of("swanctl", "swanctl.conf", ""), Ids{});
  EXPECT_EQ(ids_of("ipsec.conf", "ipsec.conf", ""), Ids{});
  EXPECT_EQ(ids_of("sshd", "sshd_config", ""), (Ids{"ssh.ssh-rsa-disabled", "ssh.no-matching-kex"}));
  EXPECT_EQ(ids_of("ftpdata", "FTP.DATA", ""), (Ids{"tls.client-version-too-old", "ftps.vsftpd-require-ssl-reuse"}));
}

// 100 MB of valid lines: refused by its size before a byte is read; nothing close to it is held in memory.
TEST_F(Malformed, HundredMegabyteFileIsRefusedWithoutReadingIt) {
  const auto path = (fs::path(dir_) / "vsftpd.conf").string();
  {
    std::ofstream f(path, std::ios::binary);
    std::string block;
    while (block.size() < (1u << 20)) block += "ssl_enable=YES\n";
    for (int i = 0; i < 100; ++i) f << block;
  }
  ASSERT_GE(fs::file_size(path), 100u << 20);
  const auto text = read_config_file(path);
  ASSERT_TRUE(text.error);
  EXPECT_EQ(text.error->text(), path + ": larger than 4 MiB, not a configuration file this tool reads");
  EXPECT_EQ(text.bytes_read, 0u);
  EXPECT_TRUE(text.text.empty());
  for (const auto& kind : kAllKinds) {
    Options o;
    o.kind = kind;
    const auto out = run({path}, o);
    ASSERT_TRUE(out.error) << kind;
    EXPECT_EQ(out.error->text(), path + ": larger than 4 MiB, not a configuration file this tool reads") << kind;
  }
}

// A stream without a size (a device) is read only one byte past the cap.
TEST_F(Malformed, EndlessStreamStopsOneBytePastTheCap) {
  const auto text = read_config_file("/dev/zero");
  ASSERT_TRUE(text.error);
  EXPECT_EQ(text.error->text(), "/dev/zero: larger than 4 MiB, not a configuration file this tool reads");
  EXPECT_EQ(text.bytes_read, kMaxConfigBytes + 1);
}

TEST_F(Malformed, FileExactlyAtTheCapIsRead) {
  const auto path = write("at-cap.conf", std::string(kMaxConfigBytes - 1, '#') + "\n");
  const auto text = read_config_file(path);
  EXPECT_FALSE(text.error);
  EXPECT_EQ(text.bytes_read, kMaxConfigBytes);
}

// A folder named where a file is expected (an Include target, or read directly) is an error; given to run() it is
// a certificate folder, and one without certificates gives nothing.
TEST_F(Malformed, FolderGivenAsAFile) {
  const auto text = read_config_file(dir_);
  ASSERT_TRUE(text.error);
  EXPECT_EQ(text.error->text(), dir_ + ": a directory, not a file");
  const auto out = run({dir_}, {});
  EXPECT_FALSE(out.error);
  EXPECT_TRUE(out.findings.empty());
  EXPECT_TRUE(out.certs.empty());
  // Named as a config format, a folder is an error, not an empty certificate folder that audits clean.
  Options as_vsftpd;
  as_vsftpd.kind = "vsftpd";
  const auto typed = run({dir_}, as_vsftpd);
  ASSERT_TRUE(typed.error);
  EXPECT_EQ(typed.error->text(), dir_ + ": a directory, not a file (--type vsftpd reads one file)");
}

TEST_F(Malformed, UnreadableFiles) {
  // Opens, then every read fails: offset 0 of the process's own memory is not mapped.
  const auto mem = read_config_file("/proc/self/mem");
  ASSERT_TRUE(mem.error);
  EXPECT_EQ(mem.error->text(), "/proc/self/mem: read error (Input/output error)");
  const auto missing = read_config_file(dir_ + "/absent.conf");
  ASSERT_TRUE(missing.error);
  EXPECT_EQ(missing.error->text(), dir_ + "/absent.conf: cannot open the file");
  if (geteuid() != 0) {  // root reads a file whatever its mode
    const auto path = write("mode-000.conf", "ssl_enable=YES\n");
    fs::permissions(path, fs::perms::none);
    const auto denied = read_config_file(path);
    ASSERT_TRUE(denied.error);
    EXPECT_EQ(denied.error->text(), path + ": cannot open the file");
  }
}

// pure-ftpd.conf through its parser (its dispatch in run() is still being written): an Include that cannot be read
// is an error at its line, binary data at line 1, unknown keys are passed over, an Include target over the cap
// is refused.
TEST_F(Malformed, PureFtpdConf) {
  const auto error = [&](const std::string& name, const std::string& bytes) {
    const auto path = write(name, bytes);
    const auto p = pureftpd::parse(path, bytes, "1.0.50", dir_);
    return p.error ? p.error->text().substr(dir_.size() + 1) : std::string("(no error)");
  };
  EXPECT_EQ(error("a.conf", "TLS 1\nInclude /absent.conf\n"), "a.conf:2: Include /absent.conf: cannot open the file");
  EXPECT_EQ(error("b.conf", kElf), "b.conf:1: binary data (byte 0x02): not a text configuration file");
  write("big.conf", std::string(kMaxConfigBytes + 1, '#'));
  EXPECT_EQ(error("e.conf", "Include /big.conf\n"),
            "e.conf:1: Include /big.conf: larger than 4 MiB, not a configuration file this tool reads");
  EXPECT_EQ(error("c.conf", "TLS 1\nFrobnicate yes\n"), "(no error)");
  EXPECT_EQ(error("d.conf", ""), "(no error)");
}

// AIX /etc/niminfo through its parser: a line that is not NAME=value, binary data, empty.
TEST_F(Malformed, Niminfo) {
  const auto error = [](std::string_view text) {
    const auto p = nim::parse_niminfo("niminfo", text);
    return p.error ? p.error->text() : std::string("(no error)");
  };
  EXPECT_EQ(error("export NIM_NAME=client1\nthis is not an assignment\n"), "niminfo:2: 'this is not an assignment' is not a NAME=value assignment");
  EXPECT_EQ(error(kElf), "niminfo:1: binary data (byte 0x02): not a text configuration file");
  EXPECT_EQ(error(""), "(no error)");
  EXPECT_EQ(error("export NIM_NAME=client1\nNIM_FROBNICATE=yes\n"), "(no error)");
}

// shakedown's exit code and stderr line for one command.
struct Cli {
  int code = -1;
  std::string err;
};

Cli shakedown(const std::string& args, const std::string& dir) {
  const auto err_file = dir + "/stderr.txt";
  const auto cmd = std::string(SD_BINARY_DIR) + "/shakedown " + args + " >/dev/null 2>" + err_file;
  const int status = std::system(cmd.c_str());
  Cli r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file);
  std::getline(in, r.err);
  return r;
}

TEST_F(Malformed, CommandLineExitsTwoWithOneLine) {
  const auto junk = write("junk.conf", kElf);
  auto r = shakedown("audit --type vsftpd " + junk, dir_);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "shakedown: audit: " + junk + ":1: binary data (byte 0x02): not a text configuration file");
  r = shakedown("audit --type vsftpd /proc/self/mem", dir_);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "shakedown: audit: /proc/self/mem: read error (Input/output error)");
  r = shakedown("audit --type vsftpd /dev/zero", dir_);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "shakedown: audit: /dev/zero: larger than 4 MiB, not a configuration file this tool reads");
  const auto unterminated = write("policy", "TTLSRule x {\n");
  r = shakedown("audit " + unterminated, dir_);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "shakedown: audit: " + unterminated + ":1: TTLSRule x is not closed with '}'");
}

}  // namespace
}  // namespace sd::audit
