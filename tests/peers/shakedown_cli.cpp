#include "shakedown_cli.h"

namespace sd::peers {

CliRun shakedown(const TempDir& dir, const std::string& tag, const std::vector<std::string>& args,
                 milliseconds limit) {
  Launch l{.argv = {std::string(SD_BINARY_DIR) + "/shakedown"}, .output = dir / (tag + ".json"),
           .errors = dir / (tag + ".err")};
  l.argv.insert(l.argv.end(), args.begin(), args.end());
  CliRun r;
  r.exit_code = run(l, limit);
  r.out = read_text(l.output);
  r.err = read_text(*l.errors);
  return r;
}

bool reported(const CliRun& run) { return run.exit_code == 0 || run.exit_code == 1; }

nlohmann::json sections_of(const std::string& json_text) {
  const auto report = nlohmann::json::parse(json_text, nullptr, false);
  return report.is_discarded() ? nlohmann::json::array() : report.value("sections", nlohmann::json::array());
}

std::string child_value(const nlohmann::json& field, const std::string& name) {
  for (const auto& c : field.value("children", nlohmann::json::array()))
    if (c.value("name", "") == name) return c.value("value", "");
  return "";
}

namespace {

/// The word (up to a space or line end) after the first `prefix` in `log`, or "".
std::string word_after(std::string_view log, const std::string& prefix) {
  const auto at = log.find(prefix);
  if (at == std::string_view::npos) return {};
  const auto start = at + prefix.size();
  return std::string(log.substr(start, log.find_first_of(" \r\n", start) - start));
}

/// The whole line that starts with the first `needle` in `log`, or "".
std::string line_from(std::string_view log, std::string_view needle) {
  const auto at = log.find(needle);
  if (at == std::string_view::npos) return {};
  return std::string(log.substr(at, log.find_first_of("\r\n", at) - at));
}

}  // namespace

SshClientChoice ssh_client_choice(std::string_view log_text) {
  SshClientChoice r;
  r.failure = line_from(log_text, "Unable to negotiate with");
  r.kex = word_after(log_text, "debug1: kex: algorithm: ");
  r.host_key = word_after(log_text, "debug1: kex: host key algorithm: ");
  r.cipher_c2s = word_after(log_text, "debug1: kex: client->server cipher: ");
  r.mac_c2s = word_after(log_text, "debug1: kex: client->server cipher: " + r.cipher_c2s + " MAC: ");
  return r;
}

void expect_same_negotiation(const SshClientChoice& predicted, const SshClientChoice& real,
                             const std::string& context) {
  EXPECT_EQ(predicted.failure.empty(), real.failure.empty()) << context << "\nreal: " << real.failure;
  if (!predicted.failure.empty() || !real.failure.empty()) {
    EXPECT_EQ(predicted.failure, real.failure) << context;
    return;
  }
  EXPECT_EQ(predicted.kex, real.kex) << context;
  EXPECT_EQ(predicted.host_key, real.host_key) << context;
  EXPECT_EQ(predicted.cipher_c2s, real.cipher_c2s) << context;
  EXPECT_EQ(predicted.mac_c2s, real.mac_c2s) << context;
}

std::string with_test_dir(const TempDir& dir, std::string lines) {
  for (auto at = lines.find("@DIR@"); at != std::string::npos; at = lines.find("@DIR@"))
    lines.replace(at, 5, dir.path().string());
  return lines;
}

bool rsa_host_key_if_named(const TempDir& dir, const std::string& lines) {
  if (lines.find("@DIR@/host_rsa") == std::string::npos) return true;
  const Launch keygen{.argv = {"/usr/bin/ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f",
                               (dir / "host_rsa").string()},
                      .output = dir / "keygen.out"};
  return run(keygen, milliseconds(20000)) == 0;
}

}  // namespace sd::peers
