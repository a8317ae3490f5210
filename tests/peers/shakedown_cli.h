#pragma once
// Running this build's shakedown binary from a live test, and reading its JSON reports and the real OpenSSH
// client's -vvv log: the pieces the cross-check tests (audit against probe, audit against the real client) share.

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "harness.h"

namespace sd::peers {

/// What one run of the shakedown binary left behind.
struct CliRun {
  int exit_code = -1;  // -1 when it did not finish in time
  std::string out;     // standard output (the report)
  std::string err;     // standard error
};

/// Runs this build's shakedown with `args`; stdout and stderr are kept as DIR/<tag>.json and DIR/<tag>.err.
CliRun shakedown(const TempDir& dir, const std::string& tag, const std::vector<std::string>& args,
                 milliseconds limit = milliseconds(120000));

/// True when the exit code is a report's (0 nothing wrong, 1 problems), not a usage or input error (2) or a crash.
bool reported(const CliRun& run);

/// The "sections" array of a JSON report; an empty array when the text is not JSON or has none.
nlohmann::json sections_of(const std::string& json_text);

/// The value of the child named `name` of a report field, or "" when it has none.
std::string child_value(const nlohmann::json& field, const std::string& name);

/// Calls `compare(id, audit_entry, probe_entry)` for every profile of the audit's map, a failure for one the probe's
/// lacks, and expects both maps to be the same size; returns how many calls returned true (profiles compared).
template <class Map, class Compare>
std::size_t compare_profiles(const Map& audit, const Map& probe, Compare compare) {
  std::size_t compared = 0;
  for (const auto& [id, a] : audit) {
    const auto p = probe.find(id);
    if (p == probe.end()) {
      ADD_FAILURE() << id << ": in the audit's prediction but not in the probe's";
      continue;
    }
    if (compare(id, a, p->second)) ++compared;
  }
  EXPECT_EQ(audit.size(), probe.size());
  return compared;
}

/// What the real OpenSSH client logged with -vvv: its "Unable to negotiate" line or its "kex:" choices.
struct SshClientChoice {
  std::string failure;     // the whole "Unable to negotiate with …" line, "" when it negotiated
  std::string kex;         // from "debug1: kex: algorithm: "
  std::string host_key;    // from "debug1: kex: host key algorithm: "
  std::string cipher_c2s;  // from "debug1: kex: client->server cipher: "
  std::string mac_c2s;     // the word after that line's " MAC: "
};

/// Reads the negotiation outcome out of an `ssh -vvv` log text.
SshClientChoice ssh_client_choice(std::string_view log_text);

/// Expects a prediction to be what the real client did: both fail with the same line, or both pick the same names.
void expect_same_negotiation(const SshClientChoice& predicted, const SshClientChoice& real,
                             const std::string& context);

/// sshd_config lines with every "@DIR@" replaced by the test folder.
std::string with_test_dir(const TempDir& dir, std::string lines);

/// Makes DIR/host_rsa with ssh-keygen when the lines name "@DIR@/host_rsa"; false when ssh-keygen fails.
bool rsa_host_key_if_named(const TempDir& dir, const std::string& lines);

}  // namespace sd::peers

/// In a TEST body: when `ok` is false, fails under CI (a peer must not go missing there) and skips elsewhere.
#define SD_NEED_PEER_OR_SKIP(ok, failure, needs)      \
  if (!(ok)) {                                        \
    if (std::getenv("CI")) FAIL() << (failure);       \
    GTEST_SKIP() << (needs);                          \
  }
