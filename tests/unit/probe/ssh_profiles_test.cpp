// The SSH client profile folder: every file loads, carries its sources, lists only names the registry knows
// (or marks them vendor), and the profile of the local ssh client equals what that client really sends.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/bytes.h"
#include "kb/rule.h"
#include "sshprofiles/predict.h"
#include "sshprofiles/profiles.h"
#include "wire/ssh/registry.h"
#include "wire/ssh/transcript.h"

namespace sd::probe::ssh {
namespace {

namespace fs = std::filesystem;
namespace wire = sd::ssh;

const fs::path kProfiles = fs::path(SD_SOURCE_DIR) / "data/profiles/ssh";
const fs::path kVectors = fs::path(SD_SOURCE_DIR) / "tests/vectors/profiles/ssh";
constexpr std::array<AlgoKind, 5> kKinds = {AlgoKind::kex, AlgoKind::host_key, AlgoKind::cipher, AlgoKind::mac,
                                            AlgoKind::compression};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<fs::path> profile_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kProfiles))
    if (e.path().extension() == ".yaml") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Hex lines of a capture file ('#' lines are comments) as bytes.
ByteVec hex_file(const fs::path& p) {
  std::istringstream lines(read_file(p));
  std::string hex;
  for (std::string line; std::getline(lines, line);)
    if (!line.empty() && line[0] != '#') hex += line;
  return from_hex(hex).value_or(ByteVec{});
}

bool has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

TEST(SshProfiles, EveryFileLoadsAndIsCompiledIn) {
  const auto files = profile_files();
  ASSERT_GE(files.size(), 25u);
  std::set<std::string> ids;
  for (const auto& f : files) {
    std::string error;
    const auto p = parse_profile(read_file(f), error);
    ASSERT_TRUE(p.has_value()) << f << ": " << error;
    EXPECT_EQ(p->id, f.stem().string()) << "the id is the file name";
    EXPECT_TRUE(ids.insert(p->id).second) << "duplicate id " << p->id;
    EXPECT_NE(find_profile(p->id), nullptr) << p->id << " is not compiled in";
  }
  EXPECT_EQ(client_profiles().size(), files.size());
}

TEST(SshProfiles, EveryProfileHasSourcesAndKnownNames) {
  for (const auto& p : client_profiles()) {
    EXPECT_FALSE(p.source.empty()) << p.id;
    EXPECT_FALSE(p.platform.empty()) << p.id;
    EXPECT_FALSE(p.version.empty()) << p.id;
    for (const auto kind : kKinds) {
      ASSERT_FALSE(p.list(kind).empty()) << p.id << " " << to_string(kind);
      for (const auto& name : p.list(kind))
        EXPECT_TRUE(wire::find_algorithm(name, registry_kind(kind)) != nullptr || has(p.vendor, name))
            << p.id << ": " << to_string(kind) << " " << name << " is neither in the registry nor marked vendor";
    }
    for (const auto& name : p.markers) {
      const auto* row = wire::find_algorithm(name, "kex");
      ASSERT_NE(row, nullptr) << p.id << ": " << name;
      EXPECT_EQ(row->strength, "marker") << p.id << ": " << name;
    }
    for (const auto& b : p.behaviours) {
      EXPECT_FALSE(b.text.empty()) << p.id;
      EXPECT_FALSE(b.source.empty()) << p.id << ": " << b.text;
    }
  }
}

TEST(SshProfiles, VendorNamesAreReallyUnknownToTheRegistry) {
  for (const auto& p : client_profiles())
    for (const auto& name : p.vendor)
      for (const auto kind : kKinds)
        EXPECT_EQ(wire::find_algorithm(name, registry_kind(kind)) != nullptr && has(p.list(kind), name), false)
            << p.id << ": " << name << " is in the registry, do not mark it vendor";
}

TEST(SshProfiles, EveryStyleWordsEveryListAndNamesItsOrder) {
  std::set<std::string> styles;
  for (const auto& p : client_profiles()) styles.insert(p.style);
  for (const auto& style : styles) {
    const StyleRow* order = find_style(style, "order");
    ASSERT_NE(order, nullptr) << style;
    std::istringstream steps(order->message);
    std::vector<std::string> words{std::istream_iterator<std::string>(steps), {}};
    EXPECT_EQ(words.size(), 8u) << style << ": the order names all eight lists";
    for (const auto kind : kKinds) {
      const StyleRow* row = find_style(style, to_string(kind));
      ASSERT_NE(row, nullptr) << style << " " << to_string(kind);
      EXPECT_FALSE(row->message.empty()) << style;
      EXPECT_FALSE(row->source.empty()) << style;
    }
  }
}

TEST(SshProfiles, BehavioursNameKbRulesThatExist) {
  std::set<std::string> ids;
  for (const auto& r : kb::load_embedded().kb.rules) ids.insert(r.id);
  std::size_t efs = 0;
  for (const auto& p : client_profiles())
    for (const auto& b : p.behaviours) {
      if (!b.kb.empty()) {
        EXPECT_TRUE(ids.count(b.kb)) << p.id << ": unknown KB id " << b.kb;
      }
      if (b.kind == "vendor-message") ++efs;
    }
  EXPECT_EQ(efs, 4u) << "the four AIX profiles carry the EFS keystore request";
}

TEST(SshProfiles, AParseErrorNamesTheMissingField) {
  std::string error;
  EXPECT_FALSE(parse_profile("id: x\nname: X\nsource: s\nstyle: openssh\nkex: [a]\nhostkey: [b]\ncipher: [c]\n", error));
  EXPECT_EQ(error, "x: missing or empty mac");
  EXPECT_FALSE(parse_profile("[1, 2", error));
  EXPECT_FALSE(error.empty());
}

// A captured profile is exactly what that client sent to a listening socket (tests/vectors/profiles/ssh): the
// local ssh client, the unpacked OpenSSH 10.0, Debian's python3-paramiko and plink 0.78.
TEST(SshProfiles, CapturedProfilesEqualTheirCaptures) {
  for (const std::string id : {"openssh-9.2", "openssh-10.0", "paramiko-2.12", "putty-0.78"}) {
    SCOPED_TRACE(id);
    const ClientProfile* p = find_profile(id);
    ASSERT_NE(p, nullptr);
    const ByteVec bytes = hex_file(kVectors / (id + "-client.hex"));
    ASSERT_FALSE(bytes.empty());
    const wire::Transcript t = wire::read_transcript(bytes);
    ASSERT_FALSE(t.error.has_value()) << t.error->message;
    ASSERT_EQ(t.messages.size(), 1u);
    const auto& k = std::get<wire::Kexinit>(t.messages[0].body);
    using L = wire::KexList;
    std::vector<std::string> kex = p->kex;
    kex.insert(kex.end(), p->markers.begin(), p->markers.end());
    EXPECT_EQ(k.list(L::kex).value, kex);
    EXPECT_EQ(k.list(L::host_key).value, p->host_key);
    EXPECT_EQ(k.list(L::cipher_c2s).value, p->cipher);
    EXPECT_EQ(k.list(L::cipher_s2c).value, p->cipher);
    EXPECT_EQ(k.list(L::mac_c2s).value, p->mac);
    EXPECT_EQ(k.list(L::compression_c2s).value, p->compression);
  }
}

// The real pair behind ssh.no-matching-compression: a paramiko server offering only "zlib" (its KEXINIT captured)
// against OpenSSH 10.0, which prints exactly what the prediction says, and 9.2, which still offers zlib and connects.
TEST(SshProfiles, CompressionPredictionMatchesTheRealOpenssh10Client) {
  const fs::path dir = fs::path(SD_SOURCE_DIR) / "tests/vectors/logs/own/ssh-no-compression";
  const wire::Transcript t = wire::read_transcript(hex_file(dir / "paramiko-server-kexinit.hex"));
  ASSERT_FALSE(t.error.has_value()) << t.error->message;
  ASSERT_EQ(t.messages.size(), 1u);
  const auto& server = std::get<wire::Kexinit>(t.messages[0].body);
  const Endpoint where{.host = "127.0.0.1", .port = 42224};  // the port of the capture
  const ClientProfile* v10 = find_profile("openssh-10.0");
  ASSERT_NE(v10, nullptr);
  const Prediction fails = predict(*v10, server, where);
  EXPECT_EQ(fails.failed_step, "compression_s2c");  // kex.c checks the incoming direction first
  EXPECT_EQ(fails.kb_id, "ssh.no-matching-compression");
  std::istringstream log(read_file(dir / "openssh10-client.log"));
  std::string last;
  for (std::string line; std::getline(log, line);) last = line;
  if (!last.empty() && last.back() == '\r') last.pop_back();  // ssh ends its fatal line with CR LF
  EXPECT_EQ(fails.message, last);
  const ClientProfile* v92 = find_profile("openssh-9.2");
  ASSERT_NE(v92, nullptr);
  const Prediction connects = predict(*v92, server, where);
  EXPECT_EQ(connects.failed_step, "");
  EXPECT_EQ(chosen(connects, "compression_c2s"), "zlib");
}

// Every name the profile says a local OpenSSH client could enable is one its `ssh -Q` lists.
TEST(SshProfiles, LocalOpensshOptionalNamesAreBuiltIn) {
  for (const std::string version : {"9.2", "10.0"}) {
    SCOPED_TRACE(version);
    const ClientProfile* p = find_profile("openssh-" + version);
    ASSERT_NE(p, nullptr);
    std::istringstream lines(read_file(kVectors / ("openssh-" + version + "-Q.txt")));
    std::set<std::string> known;
    for (std::string line; std::getline(lines, line);) {
      std::istringstream cells(line.substr(line.find('\t') + 1));
      for (std::string name; std::getline(cells, name, ',');) known.insert(name);
    }
    ASSERT_GT(known.size(), 40u);
    for (const auto& name : p->optional) {
      if (name != "zlib@openssh.com") {
        EXPECT_TRUE(known.count(name)) << name;
      }
    }
  }
}

}  // namespace
}  // namespace sd::probe::ssh
