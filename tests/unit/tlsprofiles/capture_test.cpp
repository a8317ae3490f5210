// The profiles of clients that run on this machine, checked against a hello captured from the real client now
// (a listener on 127.0.0.1 records the first record it sends). SD_UPDATE_VECTORS=1 rewrites
// tests/vectors/profiles/tls/<id>.hex from the capture.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "../wire/tls/loopback.h"
#include "hello_check.h"
#include "tlsprofiles/codes.h"
#include "wire/tls/extensions.h"

namespace sd::tlsprofiles {
namespace {

struct Client {
  const char* profile;
  const char* command;  ///< "{port}" is the listener's port
};

constexpr Client kClients[] = {
    {"openssl-3.0", "openssl s_client -connect 127.0.0.1:{port} -servername localhost </dev/null"},
    {"gnutls-3.7", "gnutls-cli --insecure --port {port} --sni-hostname localhost 127.0.0.1 </dev/null"},
    {"curl-7.88-ftps", "curl -sk --max-time 5 --resolve localhost:{port}:127.0.0.1 ftps://localhost:{port}/"},
    {"lftp-4.9-ftps", "lftp -e 'set ssl:verify-certificate no; set net:max-retries 1; ls; quit' ftps://127.0.0.1:{port} </dev/null"},
};

std::string names(CodeKind kind, const std::vector<std::uint16_t>& codes) {
  std::string out;
  for (const auto c : codes) out += (out.empty() ? "" : ", ") + code_label(kind, c);
  return "[" + out + "]";
}

std::vector<std::uint16_t> u16s(const tls::ClientHello& h, std::uint16_t type) {
  const auto* e = tls::find_extension(h.extensions, type);
  return e ? tls::u16_list(*e) : std::vector<std::uint16_t>{};
}

/// The hello's facts as profile-file sections, printed when a comparison fails so the profile is easy to mend.
std::string as_yaml(const test::CapturedHello& c) {
  std::vector<std::uint16_t> exts;
  for (const auto& e : c.hello.extensions) exts.push_back(e.type);
  return "versions: record " + code_label(CodeKind::version, c.record_version) + " legacy " +
         code_label(CodeKind::version, c.hello.legacy_version) + " supported " +
         names(CodeKind::version, tls::offered_versions(c.hello)) + "\ncipher_suites:\n  list: " +
         names(CodeKind::cipher_suite, c.hello.cipher_suites) + "\nextensions:\n  list: " + names(CodeKind::extension, exts) +
         "\ngroups:\n  list: " + names(CodeKind::group, u16s(c.hello, 10)) + "\nsignature_schemes:\n  list: " +
         names(CodeKind::signature_scheme, u16s(c.hello, 13)) + "\nsni: " + tls::server_name(c.hello) + "\n";
}

void save(const std::string& id, const std::string& command, Bytes bytes) {
  const std::string dir = std::string(SD_BINARY_DIR) + "/captures/profiles";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/" + id + ".hex") << to_hex(bytes) << "\n";
  if (const char* update = std::getenv("SD_UPDATE_VECTORS"); update && std::string(update) == "1")
    std::ofstream(std::string(SD_SOURCE_DIR) + "/tests/vectors/profiles/tls/" + id + ".hex")
        << "# ClientHello record captured on 127.0.0.1 by tests/unit/tlsprofiles/capture_test.cpp from:\n# " << command
        << "\n" << to_hex(bytes) << "\n";
}

class LiveClient : public ::testing::TestWithParam<Client> {};

TEST_P(LiveClient, HelloMatchesProfile) {
  const Client& c = GetParam();
  const auto bytes = sd::test::capture_client_hello(c.command);
  ASSERT_TRUE(bytes.has_value()) << "no hello from: " << c.command;
  save(c.profile, c.command, *bytes);
  const auto captured = test::parse_hello_record(*bytes);
  ASSERT_TRUE(captured.has_value());
  const auto profile = find_profile(c.profile);
  ASSERT_TRUE(profile.has_value()) << "no profile " << c.profile << "; the capture says:\n" << as_yaml(*captured);
  if (std::getenv("SD_SHOW_HELLO")) std::cout << as_yaml(*captured);
  test::expect_profile_matches(*profile, *captured);
}

INSTANTIATE_TEST_SUITE_P(Clients, LiveClient, ::testing::ValuesIn(kClients),
                         [](const auto& info) {
                           std::string n = info.param.profile;
                           for (auto& ch : n)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return n;
                         });

}  // namespace
}  // namespace sd::tlsprofiles
